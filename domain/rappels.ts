// When a hearing's SMS reminder (and, for a cancelled hearing, the cancellation SMS) is sent.
// Pure: computed by the sender (services/tribunal.ts) in Europe/Paris, passed to the case
// workflow as an absolute instant; the workflow only sleeps until it (DESIGN.md).
//
// The rule, precisely:
//  1. target = hearing start − REMINDER_LEAD, calendar units counted in Europe/Paris (P3D before
//     a hearing on Tuesday 10:00 is Saturday 10:00 local time, whatever the daylight-saving
//     change in between); a target already past (hearing scheduled inside the lead time) becomes
//     "now": the reminder goes at once.
//  2. Quiet hours [debut, fin) in Europe/Paris local time (20:00-08:00 by default; none when
//     null). A target outside them is kept. A target inside them is
//       a. held until the end of that quiet period (08:00) if that is still before the hearing;
//       b. otherwise brought forward to one minute before the start of that quiet period
//          (19:59 the day before, for a hearing at 07:30) if that is not already past;
//       c. otherwise (the hearing was scheduled during the quiet period, for before its end),
//          sent at once: a late-night SMS is better than no reminder of an early hearing.
//  3. No reminder at all for a hearing that has already started (null).
//  4. Rule 2 (and, inside quiet hours, rule 3) is applied again at the moment the SMS actually
//     goes (decisionEnvoiSms, used by the sending activity): a retry can reach quiet hours long
//     after the instant was computed.
import { DateTime } from 'luxon';
import { FUSEAU, retrancherDuree } from './durees.js';

export interface PlageSilence {
  /** `HH:MM`, Europe/Paris: start of the quiet hours (inclusive). */
  debut: string;
  /** `HH:MM`, Europe/Paris: end of the quiet hours (exclusive). */
  fin: string;
}

/** One minute before quiet hours start: "sent before 20:00" means 19:59 at the latest. */
const MARGE_AVANT_SILENCE_MS = 60_000;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `jour` (a Paris local date) at `hhmm` local time. */
function aLHeure(jour: DateTime, hhmm: string): DateTime {
  return jour.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)), second: 0, millisecond: 0 });
}

/**
 * The quiet period containing `instant` ({debut, fin} as epoch ms), or null when the instant is
 * outside quiet hours (or there are none).
 */
export function periodeDeSilence(instant: number, silence: PlageSilence | null): { debut: number; fin: number } | null {
  if (!silence) return null;
  const t = DateTime.fromMillis(instant, { zone: FUSEAU });
  const m = t.hour * 60 + t.minute;
  const d = minutes(silence.debut);
  const f = minutes(silence.fin);
  const jour = t.startOf('day');
  if (d < f) {
    if (m < d || m >= f) return null;
    return { debut: aLHeure(jour, silence.debut).toMillis(), fin: aLHeure(jour, silence.fin).toMillis() };
  }
  // Across midnight (20:00-08:00).
  if (m >= d) return { debut: aLHeure(jour, silence.debut).toMillis(), fin: aLHeure(jour.plus({ days: 1 }), silence.fin).toMillis() };
  if (m < f) return { debut: aLHeure(jour.minus({ days: 1 }), silence.debut).toMillis(), fin: aLHeure(jour, silence.fin).toMillis() };
  return null;
}

/**
 * The first acceptable instant at or after `cible` to send an SMS about a hearing starting at
 * `avant`, given quiet hours (rule 2 above), never before `maintenant`.
 */
export function horsSilence(cible: number, avant: number, silence: PlageSilence | null, maintenant: number): number {
  const t = Math.max(cible, maintenant);
  const p = periodeDeSilence(t, silence);
  if (!p) return t;
  if (p.fin < avant) return p.fin;
  const veille = p.debut - MARGE_AVANT_SILENCE_MS;
  if (veille >= maintenant) return veille;
  return t;
}

/**
 * When to send the reminder of a hearing starting at `debut` (epoch ms or Date), or null when
 * the hearing has already started.
 */
export function instantRappel(debut: Date | number, avance: string, silence: PlageSilence | null, maintenant: Date | number): Date | null {
  const d = typeof debut === 'number' ? debut : debut.getTime();
  const n = typeof maintenant === 'number' ? maintenant : maintenant.getTime();
  if (d <= n) return null;
  const cible = retrancherDuree(d, avance).getTime();
  return new Date(horsSilence(cible, d, silence, n));
}

/**
 * When to send the short SMS saying a hearing was cancelled after its reminder went: as soon as
 * quiet hours allow; null when the hearing has already started (nothing left to say).
 */
export function instantAnnulation(debut: Date | number, silence: PlageSilence | null, maintenant: Date | number): Date | null {
  const d = typeof debut === 'number' ? debut : debut.getTime();
  const n = typeof maintenant === 'number' ? maintenant : maintenant.getTime();
  if (d <= n) return null;
  return new Date(horsSilence(n, d, silence, n));
}

/**
 * How long from `instant` to the end of the quiet period containing it (ms); 0 outside quiet
 * hours. The end is 08:00 Paris local time of that day, so a period spanning a daylight-saving
 * change lasts 11 hours (29 March 2026) or 13 hours (25 October 2026), not 12.
 */
export function dureeJusquaFinSilence(instant: number, silence: PlageSilence | null): number {
  const p = periodeDeSilence(instant, silence);
  return p ? p.fin - instant : 0;
}

/** What the sender does with an SMS at the very moment it is about to go. */
export type DecisionEnvoiSms = { decision: 'envoyer' } | { decision: 'retenir'; pendantMs: number } | { decision: 'abandonner' };

/**
 * Rule 2 applied again when an SMS is actually sent, at `maintenant`: its instant was computed
 * outside quiet hours, but a retry after a provider failure (or a worker that was down) can
 * reach them hours later. `debutAudience` is the start of the hearing the SMS is about (null:
 * about no hearing, always held).
 *  - outside quiet hours: send;
 *  - inside, and their end comes before the hearing: hold it until their end (`pendantMs`);
 *  - inside, their end is too late but the hearing has not started (hearing at 07:30, retry at
 *    03:00): send now, as rule 2c does: a late-night SMS is better than no reminder at all;
 *  - inside, the hearing has already started: drop it (rule 3): waking someone at night about a
 *    hearing that is under way or over helps no one.
 */
export function decisionEnvoiSms(maintenant: number, debutAudience: number | null, silence: PlageSilence | null): DecisionEnvoiSms {
  const reste = dureeJusquaFinSilence(maintenant, silence);
  if (reste === 0) return { decision: 'envoyer' };
  if (debutAudience === null || maintenant + reste < debutAudience) return { decision: 'retenir', pendantMs: reste };
  if (debutAudience > maintenant) return { decision: 'envoyer' };
  return { decision: 'abandonner' };
}

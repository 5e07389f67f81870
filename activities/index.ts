// createActivities(deps): side effects, with their dependencies injected so tests run them on a
// real database and the local sinks. Workflows import only the *type* `Activites`.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import * as notifications from '../db/notifications.js';
import * as dossiers from '../db/dossiers.js';
import { journaliser } from '../db/journal.js';
import * as rattachements from '../db/rattachements.js';
import * as rappels from '../db/rappels.js';
import { courrielAlerte, jetonDesabonnement, smsAnnulation, smsRappel } from '../domain/alertes.js';
import type { Config } from '../domain/config.js';
import { decisionEnvoiSms } from '../domain/rappels.js';
import type { Messagerie } from './envoi.js';
import { createActivitesRequetes, type DepotJuridiction } from './requetes.js';
import { createActivitesRetention } from './retention.js';

export interface DependancesActivites {
  pool: DatabasePool;
  messagerie: Messagerie;
  /**
   * What the alert e-mails need: links (PUBLIC_URL), the unsubscribe signature, visibility; and
   * the quiet hours checked again when an SMS actually goes (QUIET_HOURS).
   */
  config: Pick<Config, 'PUBLIC_URL' | 'HASH_KEY' | 'CASE_RETENTION' | 'QUIET_HOURS'>;
  /** Where sent requêtes go; the portal's own intake by default (activities/requetes.ts). */
  depot?: DepotJuridiction;
}

/** A secret (identification number) is written between these markers and masked once sent. */
export const SECRET_DEBUT = '⟦';
export const SECRET_FIN = '⟧';
const masquerSecrets = (texte: string) => texte.replace(/⟦[^⟧]*⟧/g, '[masqué après envoi]');
const retirerMarqueurs = (texte: string) => texte.replace(/[⟦⟧]/g, '');

/**
 * A permanent refusal: an SMTP 5xx answer (unknown mailbox, refused recipient) or a Twilio 4xx
 * other than rate limiting (invalid number). Connection errors and 4xx SMTP answers are passing.
 */
export function estDefinitif(e: unknown): boolean {
  const smtp = (e as { responseCode?: unknown })?.responseCode;
  if (typeof smtp === 'number') return smtp >= 500;
  const http = (e as { status?: unknown })?.status;
  if (typeof http === 'number') return http >= 400 && http < 500 && http !== 429 && http !== 408;
  return false;
}

/**
 * SMS the recipient has just asked for and is waiting for (a code valid ten minutes): quiet
 * hours protect from unsolicited messages, and holding a code until 08:00 would make it useless.
 */
const SMS_DEMANDES = new Set(['code_sms']);

/** Outbox key of a hearing's SMS; the hearing's start is read back from it when the SMS goes. */
const cleSmsAudience = (o: { type: 'rappel' | 'annulation'; audienceId: string; debut: string; partieId: string }) =>
  `${o.type}:${o.audienceId}:${o.debut}:${o.partieId}`;

/** The hearing a `cleSmsAudience` key is about, and its start (epoch ms); null for any other key. */
export function audienceDeCle(cle: string): { audienceId: string; debut: number } | null {
  // The start is an ISO instant and has colons of its own; the ids around it have none.
  const m = /^(?:rappel|annulation):([^:]+):(.+):[^:]+$/.exec(cle);
  const debut = m ? Date.parse(m[2]!) : NaN;
  return Number.isNaN(debut) ? null : { audienceId: m![1]!, debut };
}

/** The running activity's context; none when a test calls an activity function directly. */
function contexte(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/**
 * One failed delivery attempt: a log line (with the request id the activity carries, never the
 * recipient or the body) and the counter `portail_notification_echecs` by channel and kind,
 * exported by the worker's Temporal runtime (TEMPORAL_METRICS_BIND).
 */
function signalerEchec(o: { id: string; canal: string; type: string; definitif: boolean; code: unknown }) {
  const c = contexte();
  if (!c) return;
  const nature = o.definitif ? 'definitif' : 'temporaire';
  c.metricMeter.createCounter('portail_notification_echecs', '1', 'Échecs d’envoi de courriel ou de SMS').add(1, { canal: o.canal, nature });
  // The provider's code only: its message may quote the recipient's address or number.
  c.log.warn('notification non envoyée', { notificationId: o.id, canal: o.canal, type: o.type, nature, codeFournisseur: typeof o.code === 'number' ? o.code : null });
}

/**
 * What became of a row: sent (now or before), or given up without sending (its hearing was
 * cancelled, moved or has begun). Histories recorded before this result existed hold none: a
 * workflow reads `undefined` as sent, which is what those runs assumed.
 */
export type IssueEnvoi = 'envoyee' | 'abandonnee';
interface EchecEnvoi {
  e: unknown;
  message: string;
  definitif: boolean;
  canal: string;
  type: string;
}

export function createActivities(deps: DependancesActivites) {
  return {
    ...createActivitesRequetes({ pool: deps.pool, config: deps.config, depot: deps.depot }),
    ...createActivitesRetention({ pool: deps.pool }),
    /**
     * Deletes a case and everything that belongs to it once its retention has run out, leaving a
     * tombstone without personal data (db/dossiers.ts); idempotent: a retry finds it gone.
     */
    async purgerDossier(dossierId: string): Promise<void> {
      await deps.pool.transaction(async (t) => {
        const d = await dossiers.obtenirDossier(t, dossierId);
        if (!d) return;
        await dossiers.purgerDossier(t, dossierId);
        await journaliser(t, { acteurType: 'systeme', action: 'affaire.purger', juridiction: d.juridiction, objetType: 'dossier', objetId: dossierId, resultat: 'succes', details: { cloture: d.date_cloture?.toISOString() ?? null } });
      });
    },

    /**
     * Sends one outbox row; idempotent: an already-sent row is not sent again. The row is claimed,
     * sent and marked in one transaction, so the only window for a second send is a worker dying
     * between the provider's acceptance and the commit (one round trip); the e-mail then carries
     * the same Message-ID (the row's key) and mail clients show it once.
     */
    async envoyerNotification(id: string): Promise<IssueEnvoi> {
      const echec = await deps.pool.transaction(async (t): Promise<IssueEnvoi | EchecEnvoi> => {
        const n = await notifications.reserver(t, id);
        if (!n) {
          if (await notifications.existe(t, id)) return 'envoyee';
          throw ApplicationFailure.nonRetryable(`notification ${id} introuvable`, 'notification_introuvable');
        }
        const audience = audienceDeCle(n.cle_idempotence);
        if (n.type === 'rappel' && audience && n.dossier_id) {
          // The hearing is read again when its reminder goes, not only when the reminder was
          // prepared: a reminder held (quiet hours, a provider down) may outlive its hearing's
          // cancellation or move, and a reminder for a hearing that no longer holds is wrong.
          const a = await rappels.audiencePourRappel(t, n.dossier_id, audience.audienceId);
          if (!a || a.annulee_at !== null || a.debut.getTime() !== audience.debut) {
            await notifications.abandonner(t, id, 'non envoyé : audience annulée ou déplacée avant l’envoi du rappel');
            contexte()?.log.info('rappel abandonné : audience annulée ou déplacée', { notificationId: id });
            return 'abandonnee';
          }
        }
        if (n.canal === 'sms' && !SMS_DEMANDES.has(n.type)) {
          // Quiet hours are checked again here, not only when the reminder's instant is computed:
          // a retry after a provider failure (or a worker down at 19:59) can reach them hours later.
          const d = decisionEnvoiSms(Date.now(), audience?.debut ?? null, deps.config.QUIET_HOURS);
          if (d.decision === 'retenir') {
            // Why a retry delay rather than a sleep in the workflow: the fix stays out of the
            // case workflow's history (no patched()), and Temporal's own retry is the timer. The
            // policies that send these SMS allow it: the case workflow's envoyerNotification has
            // neither maximumAttempts nor a schedule-to-close timeout, so an attempt held until
            // 08:00 can never be the last one; an operator's resend (envoiNotifications, one
            // day) always has at least the day's sending hours of real attempts before a
            // deferral could outlast it. Thrown inside the transaction, it rolls the claim back:
            // the row's attempts and status show no failure, the metric counts none.
            contexte()?.log.info('SMS retenu jusqu’à la fin des heures de silence', { notificationId: id, type: n.type, retenuMs: d.pendantMs });
            throw ApplicationFailure.create({
              message: 'SMS retenu jusqu’à la fin des heures de silence',
              type: 'heures_de_silence',
              nextRetryDelay: d.pendantMs,
              category: 'BENIGN',
            });
          }
          if (d.decision === 'abandonner') {
            // Its hearing has started during quiet hours: not worth waking anyone (domain/rappels.ts).
            await notifications.abandonner(t, id, 'non envoyé : audience déjà commencée, pendant les heures de silence');
            contexte()?.log.info('SMS abandonné : audience commencée pendant les heures de silence', { notificationId: id, type: n.type });
            return 'abandonnee';
          }
        }
        try {
          const texte = retirerMarqueurs(n.corps);
          const fournisseurId =
            n.canal === 'courriel'
              ? await deps.messagerie.envoyerCourriel({ a: n.destinataire, sujet: n.sujet ?? 'Portail du justiciable', texte, cle: n.cle_idempotence })
              : await deps.messagerie.envoyerSms({ a: n.destinataire, texte });
          const archive = n.corps.includes(SECRET_DEBUT) ? masquerSecrets(n.corps) : undefined;
          await notifications.marquerEnvoyee(t, id, fournisseurId, archive);
          contexte()?.log.info('notification envoyée', { notificationId: id, canal: n.canal, type: n.type });
          return 'envoyee';
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          const definitif = estDefinitif(e);
          // Recorded (and the attempt counted) by this transaction's commit; thrown after it.
          await notifications.marquerEchec(t, id, message, definitif);
          return { e, message, definitif, canal: n.canal, type: n.type };
        }
      });
      if (typeof echec === 'string') return echec;
      const erreur = echec.e as { responseCode?: unknown; status?: unknown };
      signalerEchec({ id, canal: echec.canal, type: echec.type, definitif: echec.definitif, code: erreur?.responseCode ?? erreur?.status });
      // A refused address will never accept: stop retrying, keep the cause for support.
      if (echec.definitif) throw ApplicationFailure.nonRetryable(echec.message, 'notification_refusee');
      throw echec.e;
    },

    /**
     * Queues the update alert number `n` of a case: one e-mail per account attached and visible
     * with alerts on, keyed `alerte:<dossier>:<compte>:<n>` so a retry or a replay queues nothing
     * twice. Returns the outbox rows to send (none when the case is gone).
     */
    async preparerAlerte(o: { dossierId: string; n: number; natures: string[] }): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const d = await dossiers.obtenirDossier(t, o.dossierId);
        if (!d || !d.suivi_en_ligne) return [];
        const juridiction = (await t.maybeOneFirst(sql.type(z.object({ nom: z.string() }))`SELECT nom FROM juridiction WHERE code = ${d.juridiction}`)) ?? d.juridiction;
        const ids: string[] = [];
        for (const dest of await rattachements.destinatairesAlerte(t, o.dossierId, new Date(), deps.config.CASE_RETENTION)) {
          const m = courrielAlerte({
            numeroDossier: d.numero_dossier, juridiction, natures: o.natures,
            lienDossier: `${deps.config.PUBLIC_URL}/espace/dossiers/${dest.rattachement_id}`,
            lienDesabonnement: `${deps.config.PUBLIC_URL}/alertes/desabonnement/${jetonDesabonnement(deps.config.HASH_KEY, dest.compte_id, o.dossierId)}`,
            lienParametres: `${deps.config.PUBLIC_URL}/espace/parametres`,
          });
          ids.push(await notifications.mettreEnFile(t, {
            cle: `alerte:${o.dossierId}:${dest.compte_id}:${o.n}`, canal: 'courriel', destinataire: dest.email, type: 'alerte',
            sujet: m.sujet, corps: m.corps, compteId: dest.compte_id, dossierId: o.dossierId,
          }));
        }
        return ids;
      });
    },

    /**
     * Queues a hearing's reminder SMS (or, `annulation`, the short SMS saying it is cancelled)
     * for every party with a live consent and a phone, keyed `rappel:<audience>:<debut>:<partie>`
     * (`annulation:…`). Nothing when the hearing has moved (another reminder is armed for its
     * new start), was cancelled (for a reminder), or was rescheduled (for a cancellation).
     */
    async preparerRappel(o: { dossierId: string; audienceId: string; debut: string; annulation: boolean }): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const a = await rappels.audiencePourRappel(t, o.dossierId, o.audienceId);
        if (!a) return [];
        if (o.annulation ? a.annulee_at === null : a.annulee_at !== null || a.debut.toISOString() !== o.debut) return [];
        const debut = new Date(o.debut);
        const texte = o.annulation ? smsAnnulation({ debut, juridiction: a.juridiction_nom }) : smsRappel({ debut, juridiction: a.juridiction_nom, adresse: a.adresse });
        const ids: string[] = [];
        for (const dest of await rappels.destinatairesRappel(t, o.dossierId)) {
          ids.push(await notifications.mettreEnFile(t, {
            cle: cleSmsAudience({ type: o.annulation ? 'annulation' : 'rappel', audienceId: o.audienceId, debut: o.debut, partieId: dest.partie_id }), canal: 'sms', destinataire: dest.telephone,
            type: o.annulation ? 'annulation' : 'rappel', corps: texte, dossierId: o.dossierId,
          }));
        }
        return ids;
      });
    },

    /**
     * The row could not be sent in time (an SMS code past its validity): stop trying and mask
     * its secret. Idempotent; a row sent meanwhile is kept as sent.
     */
    async abandonnerNotification(id: string, raison: string): Promise<void> {
      await notifications.abandonner(deps.pool, id, raison);
    },
  };
}

export type Activites = ReturnType<typeof createActivities>;

// One workflow per case followed online (`dossier-<id>`). It receives every court update as a
// signal, ignores replays by their key, keeps EtatDossier searchable for ops, and sends the
// notifications the update asks for through idempotent activities, and purges the case
// CASE_RETENTION after its closure (decree art. 4: one year), unless it is reopened before.
// It also gathers updates into one alert e-mail per burst (ALERT_DEBOUNCE, bounded) and sends
// each hearing's SMS reminder at the instant the sender computed (domain/rappels.ts: J-3, quiet
// hours, Europe/Paris); a moved hearing re-arms it, a cancelled one drops it (and, if it already
// went, a short cancellation SMS follows). All of it is plain JSON carried across continue-as-new.
import {
  ActivityFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
  patched,
} from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';
import { EtatDossier } from '../domain/attributs.js';
import {
  etatDossierQuery,
  miseAJourDossier,
  type AlerteEnCours,
  type EntreeDossier,
  type MiseAJourDossier,
  type RappelEnAttente,
} from './messages.js';

const { purgerDossier } = proxyActivities<Activites>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

const { envoyerNotification } = proxyActivities<Activites>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['notification_introuvable', 'notification_refusee'] },
});

const { preparerAlerte, preparerRappel } = proxyActivities<Activites>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Sends one alert or reminder row; a permanent refusal (bad address or number) is recorded on
 * the row (echec_definitif, visible to agents) and must not end the case's workflow. False only
 * when the row was given up without sending (its hearing cancelled or moved meanwhile). A refusal
 * still counts as gone, as it always did: changing that would change which commands histories
 * already recorded replay to. A result absent from such a history also means sent.
 */
async function envoyerSansEchouer(id: string): Promise<boolean> {
  try {
    return (await envoyerNotification(id)) !== 'abandonnee';
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
    return true;
  }
}

/**
 * One channel's sends, one after the other, in the order they were decided, while the loop and
 * the other channel go on: an SMS held until 08:00 (quiet hours) or an SMS provider down no longer
 * delays the case's e-mails, nor an SMTP outage its reminders. An error other than an activity's
 * is kept for the loop to throw, as it would have thrown it itself. (No wake-up when a send ends:
 * the conditions waiting for empty queues are evaluated after every activation anyway.)
 */
function fileDEnvoi(reveiller: () => void) {
  let fin: Promise<void> = Promise.resolve();
  let enCours = 0;
  let erreur: unknown = null;
  return {
    ajouter(travail: () => Promise<void>): void {
      enCours++;
      fin = fin.then(async () => {
        try {
          if (erreur === null) await travail();
        } catch (e) {
          erreur = e;
          reveiller();
        } finally {
          enCours--;
        }
      });
    },
    vide: () => enCours === 0,
    erreur: () => erreur,
  };
}

/** When a gathered alert is due: after a quiet spell, or at the latest maxMs after the first update. */
const alerteDueA = (a: AlerteEnCours) => Math.min(a.derniere + a.attenteMs, a.premiere + a.maxMs);

/** Keys of updates already applied, bounded: court replays arrive within hours, not years. */
const CLES_MAX = 2000;

export async function dossier(entree: EntreeDossier): Promise<void> {
  // Runs begun before the send queues existed replay the old order: each send awaited in turn.
  const parCanal = patched('envois-par-canal');
  let etat = entree.etat;
  const cles = entree.cles ?? [];
  const vues = new Set(cles);
  let misesAJour = entree.misesAJour ?? 0;
  let derniereMiseAJour = entree.derniereMiseAJour ?? null;
  let notificationsEnvoyees = entree.notificationsEnvoyees ?? 0;
  let purgeLe = entree.purgeLe ?? null;
  const aEnvoyer: string[] = [];
  let rappels: RappelEnAttente[] = entree.rappels ?? [];
  let rappelsEnvoyes = entree.rappelsEnvoyes ?? [];
  let alerte: AlerteEnCours | null = entree.alerte ?? null;
  let alertesEnvoyees = entree.alertesEnvoyees ?? 0;
  /** Bumped when an alert or a reminder changes, to wake the loop and recompute its deadline. */
  let changements = 0;
  const reveiller = () => void changements++;
  const courriels = fileDEnvoi(reveiller);
  const sms = fileDEnvoi(reveiller);
  const filesVides = () => courriels.vide() && sms.vide();
  const erreurDesFiles = () => courriels.erreur() ?? sms.erreur();
  // Continue-as-new once the server suggests it and no send is in flight (sends are not carried
  // over: they end in this run). Until then the loop goes on, so a send held for hours delays
  // the new run, never the case's other work.
  const pretAContinuer = () => workflowInfo().continueAsNewSuggested && filesVides();

  setHandler(etatDossierQuery, () => ({ etat, misesAJour, derniereMiseAJour, notificationsEnvoyees, purgeLe, rappels, alertesEnvoyees, alerteEnCours: alerte !== null }));
  setHandler(miseAJourDossier, (m: MiseAJourDossier) => {
    if (vues.has(m.cle)) return;
    vues.add(m.cle);
    cles.push(m.cle);
    if (cles.length > CLES_MAX) vues.delete(cles.shift()!);
    misesAJour++;
    derniereMiseAJour = m.recueLe;
    if (m.etat && m.etat !== etat) {
      etat = m.etat;
      upsertSearchAttributes([{ key: EtatDossier, value: etat }]);
    }
    aEnvoyer.push(...(m.notifications ?? []));
    if (m.purgeLe !== undefined) purgeLe = m.purgeLe;
    if (m.alerte) {
      const t = Date.now();
      if (alerte) {
        alerte = { ...alerte, derniere: t, attenteMs: m.alerte.attenteMs, maxMs: m.alerte.maxMs, natures: alerte.natures.includes(m.nature) ? alerte.natures : [...alerte.natures, m.nature] };
      } else {
        alerte = { natures: [m.nature], premiere: t, derniere: t, attenteMs: m.alerte.attenteMs, maxMs: m.alerte.maxMs };
      }
      changements++;
    }
    const a = m.audience;
    if (a && (m.nature === 'audience' || m.nature === 'audience_annulee')) {
      // Whatever happens to a hearing replaces what was pending for it.
      rappels = rappels.filter((r) => r.audienceId !== a.id);
      if (m.nature === 'audience') {
        const dejaEnvoye = rappelsEnvoyes.some((e) => e.audienceId === a.id && e.debut === a.debut);
        if (a.rappelA !== null && !dejaEnvoye) rappels.push({ audienceId: a.id, debut: a.debut, envoyerA: a.rappelA });
      } else {
        const envoye = rappelsEnvoyes.find((e) => e.audienceId === a.id);
        rappelsEnvoyes = rappelsEnvoyes.filter((e) => e.audienceId !== a.id);
        if (envoye && a.annulationA) rappels.push({ audienceId: a.id, debut: envoye.debut, envoyerA: a.annulationA, annulation: true });
      }
      changements++;
    }
  });

  for (;;) {
    if (erreurDesFiles() !== null) throw erreurDesFiles();
    // Sleep until the next thing to do: a notification, continue-as-new, a change of the purge
    // deadline (closure, reopening), or the deadline itself.
    const echeance = purgeLe;
    const restePurge = echeance === null ? null : Date.parse(echeance) - Date.now();
    if (restePurge !== null && restePurge <= 0 && aEnvoyer.length === 0) {
      if (!filesVides()) {
        // What is being sent goes first; a reopening meanwhile is seen on the next turn.
        await condition(() => filesVides());
        continue;
      }
      await purgerDossier(entree.dossierId);
      return;
    }
    // The earliest of the purge, the pending reminders and the gathered alert.
    const reveils = [
      ...(restePurge === null ? [] : [restePurge]),
      ...rappels.map((r) => Date.parse(r.envoyerA) - Date.now()),
      ...(alerte ? [alerteDueA(alerte) - Date.now()] : []),
    ];
    const reste = reveils.length ? Math.min(...reveils) : null;
    const vu = changements;
    const fini = () => aEnvoyer.length > 0 || pretAContinuer() || purgeLe !== echeance || changements !== vu;
    // Something already due (a reminder, the alert) is done without waiting.
    const du = rappels.some((r) => Date.parse(r.envoyerA) <= Date.now()) || (alerte !== null && alerteDueA(alerte) <= Date.now());
    if (!du) {
      if (reste === null) await condition(fini);
      else await condition(fini, Math.max(reste, 1));
    }
    // Without the queues (runs begun before them), each send is awaited where it is decided.
    const enFile = async (file: typeof courriels, travail: () => Promise<void>) => (parCanal ? file.ajouter(travail) : travail());
    while (aEnvoyer.length > 0) {
      const id = aEnvoyer.shift()!;
      // A refused address fails that row (echec_definitif, resendable by ops), never the case:
      // a failed workflow would lose its pending reminders, alerts and purge.
      await enFile(courriels, async () => {
        await envoyerSansEchouer(id);
        notificationsEnvoyees++;
      });
    }
    if (alerte && alerteDueA(alerte) <= Date.now()) {
      const a = alerte;
      alerte = null;
      const n = ++alertesEnvoyees;
      await enFile(courriels, async () => {
        for (const id of await preparerAlerte({ dossierId: entree.dossierId, n, natures: a.natures })) await envoyerSansEchouer(id);
      });
    }
    const maintenant = Date.now();
    for (const r of rappels.filter((x) => Date.parse(x.envoyerA) <= maintenant)) {
      rappels = rappels.filter((x) => x !== r);
      await enFile(sms, async () => {
        const ids = await preparerRappel({ dossierId: entree.dossierId, audienceId: r.audienceId, debut: r.debut, annulation: r.annulation === true });
        let parti = false;
        for (const id of ids) if (await envoyerSansEchouer(id)) parti = true;
        // A reminder that did not go calls for no cancellation SMS later.
        if (!r.annulation && parti) rappelsEnvoyes.push({ audienceId: r.audienceId, debut: r.debut });
      });
    }
    // Reminders of hearings already held can no longer call for a cancellation SMS.
    rappelsEnvoyes = rappelsEnvoyes.filter((e) => Date.parse(e.debut) > Date.now());
    if (pretAContinuer()) {
      await condition(allHandlersFinished);
      if (aEnvoyer.length === 0 && filesVides()) {
        await continueAsNew<typeof dossier>({
          dossierId: entree.dossierId, etat, cles, misesAJour, derniereMiseAJour, notificationsEnvoyees, purgeLe,
          rappels, rappelsEnvoyes, alerte, alertesEnvoyees,
        });
      }
    }
  }
}

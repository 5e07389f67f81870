// One workflow per case followed online (`dossier-<id>`). It receives every court update as a
// signal, ignores replays by their key, keeps EtatDossier searchable for ops, and sends the
// notifications the update asks for through idempotent activities, and purges the case
// CASE_RETENTION after its closure (decree art. 4: one year), unless it is reopened before.
// Alerts and J-3 reminders hang on this workflow in later issues.
import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';
import { EtatDossier } from '../domain/attributs.js';
import {
  etatDossierQuery,
  miseAJourDossier,
  type EntreeDossier,
  type MiseAJourDossier,
} from './messages.js';

const { purgerDossier } = proxyActivities<Activites>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

const { envoyerNotification } = proxyActivities<Activites>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['notification_introuvable', 'notification_refusee'] },
});

/** Keys of updates already applied, bounded: court replays arrive within hours, not years. */
const CLES_MAX = 2000;

export async function dossier(entree: EntreeDossier): Promise<void> {
  let etat = entree.etat;
  const cles = entree.cles ?? [];
  const vues = new Set(cles);
  let misesAJour = entree.misesAJour ?? 0;
  let derniereMiseAJour = entree.derniereMiseAJour ?? null;
  let notificationsEnvoyees = entree.notificationsEnvoyees ?? 0;
  let purgeLe = entree.purgeLe ?? null;
  const aEnvoyer: string[] = [];

  setHandler(etatDossierQuery, () => ({ etat, misesAJour, derniereMiseAJour, notificationsEnvoyees, purgeLe }));
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
  });

  for (;;) {
    // Sleep until the next thing to do: a notification, continue-as-new, a change of the purge
    // deadline (closure, reopening), or the deadline itself.
    const echeance = purgeLe;
    const reste = echeance === null ? null : Date.parse(echeance) - Date.now();
    if (reste !== null && reste <= 0 && aEnvoyer.length === 0) {
      await purgerDossier(entree.dossierId);
      return;
    }
    const fini = () => aEnvoyer.length > 0 || workflowInfo().continueAsNewSuggested || purgeLe !== echeance;
    if (reste === null) await condition(fini);
    else await condition(fini, Math.max(reste, 1));
    while (aEnvoyer.length > 0) {
      await envoyerNotification(aEnvoyer[0]!);
      aEnvoyer.shift();
      notificationsEnvoyees++;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (aEnvoyer.length === 0) {
        await continueAsNew<typeof dossier>({ dossierId: entree.dossierId, etat, cles, misesAJour, derniereMiseAJour, notificationsEnvoyees, purgeLe });
      }
    }
  }
}

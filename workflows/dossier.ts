// One workflow per case followed online (`dossier-<id>`). It receives every court update as a
// signal, ignores replays by their key, keeps EtatDossier searchable for ops, and sends the
// notifications the update asks for through idempotent activities. Alerts, J-3 reminders and
// post-closure retention hang on this workflow in later issues.
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
  const aEnvoyer: string[] = [];

  setHandler(etatDossierQuery, () => ({ etat, misesAJour, derniereMiseAJour, notificationsEnvoyees }));
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
  });

  for (;;) {
    await condition(() => aEnvoyer.length > 0 || workflowInfo().continueAsNewSuggested);
    while (aEnvoyer.length > 0) {
      await envoyerNotification(aEnvoyer[0]!);
      aEnvoyer.shift();
      notificationsEnvoyees++;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (aEnvoyer.length === 0) {
        await continueAsNew<typeof dossier>({ dossierId: entree.dossierId, etat, cles, misesAJour, derniereMiseAJour, notificationsEnvoyees });
      }
    }
  }
}

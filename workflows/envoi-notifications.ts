// One short workflow sending a few outbox rows that belong together and to no case or requête
// (a support request's two e-mails: to the support inbox and the acknowledgment to the sender).
// Why a workflow and not a send from the web request: the message is stored first, and Temporal
// then retries each e-mail through SMTP outages and worker restarts; the outbox row's claim
// (db/notifications.ts reserver) keeps a retry from sending twice. Each row is sent on its own:
// a refused sender address does not stop the support's copy.
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';

export interface EntreeEnvoiNotifications {
  /** Outbox rows (table `notification`), already written. */
  notificationIds: string[];
}

export async function envoiNotifications(entree: EntreeEnvoiNotifications): Promise<Record<string, 'envoye' | 'echec'>> {
  const { envoyerNotification } = proxyActivities<Activites>({
    startToCloseTimeout: '30 seconds',
    // A day of retries covers a long SMTP outage; past it the row stays failed for support to see.
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['notification_introuvable', 'notification_refusee'] },
  });
  const resultats = await Promise.all(
    entree.notificationIds.map(async (id) => {
      try {
        await envoyerNotification(id);
        return [id, 'envoye'] as const;
      } catch (e) {
        if (!(e instanceof ActivityFailure)) throw e;
        return [id, 'echec'] as const;
      }
    }),
  );
  return Object.fromEntries(resultats);
}

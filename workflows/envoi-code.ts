// One short workflow per SMS code (`code-sms-<code id>`): the code must reach the phone within
// seconds, and only while it is valid. Why not the case workflow: it sends its notifications one
// after the other, so a code could wait behind an e-mail retrying for minutes; and the case
// workflow lives for years, where every change needs `patched()`. This one lives ten minutes.
// Durable all the same: once started, Temporal retries the send until it succeeds, through
// worker restarts; the outbox row's claim (db/notifications.ts) keeps a retry from sending twice.
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';
import type { EntreeEnvoiCode } from './messages.js';

export async function envoiCode(entree: EntreeEnvoiCode): Promise<'envoye' | 'abandonne'> {
  const { envoyerNotification } = proxyActivities<Activites>({
    startToCloseTimeout: '30 seconds',
    // Retries stop when the code expires: the server enforces this even with no worker running.
    scheduleToCloseTimeout: entree.validiteMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['notification_introuvable', 'notification_refusee'] },
  });
  const { abandonnerNotification } = proxyActivities<Activites>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  try {
    await envoyerNotification(entree.notificationId);
    return 'envoye';
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
    // Expired, or refused by the provider: the code will never be usable, mask it.
    await abandonnerNotification(entree.notificationId, 'code SMS non envoyé pendant sa durée de validité');
    return 'abandonne';
  }
}

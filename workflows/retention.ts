// The daily retention purge, started by the Temporal Schedule `purge-retention`
// (services/retention.ts): one activity, given the durations the schedule was created with and
// this workflow's own time, from which it counts the cut-offs back. Workflow time rather than
// the activity's clock: a test (or an operator's replay) decides "now" through the workflow.
import { proxyActivities } from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';
import type { ResultatPurgeRetention } from '../activities/retention.js';

export interface EntreePurgeRetention {
  /** JOURNAL_RETENTION, ISO 8601 (never below six months: checked at start, clamped anyway). */
  retentionJournal: string;
  /** CONTACT_RETENTION, ISO 8601. */
  retentionContact: string;
  /** Rows per transaction (tests use a few to exercise the batching). */
  tailleLot?: number;
}

export async function purgeRetention(entree: EntreePurgeRetention): Promise<ResultatPurgeRetention> {
  const { purgerRetention } = proxyActivities<Activites>({
    // A batch takes well under a second; a heartbeat missing for two minutes means a dead worker.
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '2 minutes',
    // Give up well before the next day's run (which would catch up anyway): a persistent fault
    // shows as a failed run in the UI instead of retrying forever.
    scheduleToCloseTimeout: '12 hours',
    retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: ['duree_invalide'] },
  });
  return purgerRetention({ maintenant: new Date().toISOString(), ...entree });
}

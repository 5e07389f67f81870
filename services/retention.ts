// The Temporal Schedule of the daily retention purge (workflows/retention.ts). A Schedule rather
// than a timer in some workflow: it is a fleet-wide periodic job, which ops see, pause and
// trigger in the Web UI (Schedules) or with `temporal schedule …` (TEMPORAL.md §1.10).
//
// Every worker ensures it at start (worker.ts): the first creates it; the others find it and
// change nothing, unless its durations or task queue differ from their configuration (a new
// JOURNAL_RETENTION applies at the next deployment). Workers of a rolling deployment with two
// configurations would take turns rewriting it: deploy one configuration.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import { FUSEAU } from '../domain/durees.js';
import { ID_PLANIFICATION_RETENTION } from '../workflows/ids.js';
import type { EntreePurgeRetention, purgeRetention } from '../workflows/retention.js';

/** 03:30, Paris time: after the night's batches of the courts, before the agents' morning. */
export const HEURE_PURGE = { hour: 3, minute: 30 } as const;

export function optionsPlanificationRetention(config: Pick<Config, 'JOURNAL_RETENTION' | 'CONTACT_RETENTION' | 'TEMPORAL_TASK_QUEUE'>, id = ID_PLANIFICATION_RETENTION) {
  const entree: EntreePurgeRetention = { retentionJournal: config.JOURNAL_RETENTION, retentionContact: config.CONTACT_RETENTION };
  return {
    scheduleId: id,
    spec: { calendars: [{ ...HEURE_PURGE, comment: 'purge de conservation quotidienne' }], timezone: FUSEAU },
    action: {
      type: 'startWorkflow',
      workflowType: 'purgeRetention',
      workflowId: id,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [entree],
      staticSummary: 'Purge de conservation (journal, demandes de contact)',
    },
    // SKIP: a purge still running (a huge backlog) is not doubled by the next day's. The catch-up
    // window lets a run missed by a Temporal outage of up to a day happen when it comes back.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  } satisfies ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof purgeRetention>>;
}

function aJour(d: ScheduleDescription, voulu: ReturnType<typeof optionsPlanificationRetention>): boolean {
  const a = d.action;
  const cal = d.spec.calendars ?? [];
  const heureOk = cal.length === 1 && cal[0]!.hour[0]?.start === HEURE_PURGE.hour && cal[0]!.minute[0]?.start === HEURE_PURGE.minute;
  return (
    a.type === 'startWorkflow' &&
    a.workflowType === voulu.action.workflowType &&
    a.taskQueue === voulu.action.taskQueue &&
    JSON.stringify(a.args) === JSON.stringify(voulu.action.args) &&
    d.spec.timezone === FUSEAU &&
    heureOk &&
    d.policies.overlap === ScheduleOverlapPolicy.SKIP
  );
}

/**
 * Creates the schedule if it does not exist, brings it in line with the configuration if it
 * differs; otherwise does nothing. Returns what it did.
 */
export async function assurerPlanificationRetention(
  temporal: Client,
  config: Pick<Config, 'JOURNAL_RETENTION' | 'CONTACT_RETENTION' | 'TEMPORAL_TASK_QUEUE'>,
  id = ID_PLANIFICATION_RETENTION,
): Promise<'creee' | 'mise_a_jour' | 'inchangee'> {
  const voulu = optionsPlanificationRetention(config, id);
  try {
    await temporal.schedule.create(voulu);
    return 'creee';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  const handle = temporal.schedule.getHandle(id);
  if (aJour(await handle.describe(), voulu)) return 'inchangee';
  // The pause state and note an operator set are kept: only what the configuration decides changes.
  await handle.update((avant) => ({ ...avant, spec: voulu.spec, action: voulu.action, policies: { ...avant.policies, ...voulu.policies } }));
  return 'mise_a_jour';
}

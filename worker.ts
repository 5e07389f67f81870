// The Temporal worker: workflows/ (bundled at start) and activities/, on TEMPORAL_TASK_QUEUE.
// `npm run worker` runs it against configured services, as production does.
import type { DepotJuridiction } from './activities/requetes.js';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Logger as LoggerTemporal, LogLevel, LogMetadata } from '@temporalio/common';
import { createActivities } from './activities/index.js';
import { intercepteursActivite } from './activities/correlation.js';
import { creerMessagerie } from './activities/envoi.js';
import { creerPool } from './db/pool.js';
import { lireConfig, type Config } from './domain/config.js';
import { assurerPlanificationRetention } from './services/retention.js';
import { ID_PLANIFICATION_RETENTION } from './workflows/ids.js';
import { creerJournal, type Logger } from './web/log.js';
import { estPrincipal, lancer } from './cli.js';

export const CHEMIN_WORKFLOWS = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
/** Request id propagation inside workflows (domain/correlation.ts); part of the bundle. */
export const CHEMIN_INTERCEPTEURS = fileURLToPath(new URL('./workflows/interceptors.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundled once per process (about 1.5 s): tests share it across workers. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: CHEMIN_WORKFLOWS, workflowInterceptorModules: [CHEMIN_INTERCEPTEURS], logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
  return bundle;
}

/** The SDK's logs (worker state, activity and workflow logs) as JSON lines, like ours. */
function journalTemporal(log: Logger): LoggerTemporal {
  const niveaux: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  const ecrire = (niveau: LogLevel) => (message: string, meta?: LogMetadata) => log[niveaux[niveau]](meta ?? {}, message);
  return {
    log: (niveau: LogLevel, message: string, meta?: LogMetadata) => ecrire(niveau)(message, meta),
    trace: ecrire('TRACE'), debug: ecrire('DEBUG'), info: ecrire('INFO'), warn: ecrire('WARN'), error: ecrire('ERROR'),
  };
}

/** The logger the process's Temporal runtime was installed with (see creerWorker). */
let journalInstalle: Logger | undefined;

export async function creerWorker(config: Config, o: {
  taskQueue?: string; depot?: DepotJuridiction; /** Where worker, workflow and activity logs go (tests capture them); default stdout at LOG_LEVEL. */ journal?: Logger;
  /**
   * Ensure the daily retention purge's Schedule (services/retention.ts) on this worker's task
   * queue; `npm run worker` (and so `npm start`) does, tests opt in with their own id so that the
   * run's shared Temporal server does not purge another test's database at 03:30.
   */
  planification?: { id?: string };
} = {}) {
  // The runtime is per process and installed once, before the first worker: its logger and
  // its metrics exporter cannot change afterwards.
  if (!Runtime._instance) {
    journalInstalle = o.journal ?? creerJournal('worker', config.LOG_LEVEL);
    Runtime.install({
      logger: journalTemporal(journalInstalle),
      // Temporal's worker metrics (schedule-to-start latencies, slots, sticky cache) and the
      // portal's own activity counters (activities/index.ts), in Prometheus format at /metrics.
      // The SDK's default names (no `_total` suffix) are the ones Temporal's dashboards use.
      ...(config.TEMPORAL_METRICS_BIND ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_BIND } } } } : {}),
    });
  } else if (o.journal && o.journal !== journalInstalle) {
    throw new Error('creerWorker : le runtime Temporal de ce processus est déjà installé avec un autre journal');
  }
  const pool = await creerPool(config.DATABASE_URL);
  const messagerie = creerMessagerie(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: o.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflows(),
    activities: createActivities({ pool, messagerie, config, depot: o.depot }),
    interceptors: { activity: [intercepteursActivite] },
  });
  if (o.planification) {
    // After Worker.create: the schedule's first run finds the workflow type registered.
    const client = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const fait = await assurerPlanificationRetention(
        new Client({ connection: client, namespace: config.TEMPORAL_NAMESPACE }),
        { ...config, TEMPORAL_TASK_QUEUE: o.taskQueue ?? config.TEMPORAL_TASK_QUEUE },
        o.planification.id,
      );
      journalInstalle?.info({ planification: o.planification.id ?? ID_PLANIFICATION_RETENTION, etat: fait }, 'planification de la purge de conservation');
    } finally {
      await client.close();
    }
  }
  return {
    worker,
    async fermer() {
      messagerie.fermer();
      await pool.end();
      await connection.close();
    },
  };
}

if (estPrincipal(import.meta.url)) {
  lancer(async () => {
    const config = lireConfig(process.env);
    const log = creerJournal('worker', config.LOG_LEVEL);
    const { worker, fermer } = await creerWorker(config, { planification: {} });
    // The Temporal runtime already shuts the worker down on SIGINT/SIGTERM (its
    // `shutdownSignals`): a second shutdown() of our own would throw.
    log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, metriques: config.TEMPORAL_METRICS_BIND ?? null }, 'worker démarré');
    await worker.run();
    await fermer();
    log.info('worker arrêté');
  });
}

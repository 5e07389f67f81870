// The Temporal worker: workflows/ (bundled at start) and activities/, on TEMPORAL_TASK_QUEUE.
// `npm run worker` runs it against configured services, as production does.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger as LoggerTemporal, LogLevel, LogMetadata } from '@temporalio/common';
import { createActivities } from './activities/index.js';
import { creerMessagerie } from './activities/envoi.js';
import { creerPool } from './db/pool.js';
import { lireConfig, type Config } from './domain/config.js';
import { creerJournal, type Logger } from './web/log.js';
import { estPrincipal, lancer } from './cli.js';

export const CHEMIN_WORKFLOWS = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundled once per process (about 1.5 s): tests share it across workers. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: CHEMIN_WORKFLOWS, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
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

export async function creerWorker(config: Config, o: { taskQueue?: string } = {}) {
  // The runtime is per process and installed once, before the first worker.
  if (!Runtime._instance) Runtime.install({ logger: journalTemporal(creerJournal('worker', config.LOG_LEVEL)) });
  const pool = await creerPool(config.DATABASE_URL);
  const messagerie = creerMessagerie(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: o.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflows(),
    activities: createActivities({ pool, messagerie, config }),
  });
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
    const { worker, fermer } = await creerWorker(config);
    // The Temporal runtime already shuts the worker down on SIGINT/SIGTERM (its
    // `shutdownSignals`): a second shutdown() of our own would throw.
    log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker démarré');
    await worker.run();
    await fermer();
    log.info('worker arrêté');
  });
}

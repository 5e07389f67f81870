// The real worker (`node --import tsx worker.ts`, as `npm run worker` starts it) in a separate OS
// process, for the tests that kill it with SIGKILL: an in-process Worker.shutdown() lets running
// activities finish and tells the server, a kill -9 does neither, and only a separate process
// can die without taking the test with it.
//
//   const w = workerProcessus(app.config);   // the same configuration as the app under test
//   await app.arreterWorker();                // so the process is the only one on the queue
//   await w.demarrer();                       // resolves once the worker has connected
//   await w.tuer();                           // kill -9, resolves once the process is gone
//   await w.demarrer();                       // a fresh process, same configuration
//   await w.arreter();                        // in afterAll: SIGTERM (SIGKILL if it lingers)
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { configSchema, lireConfig, type Config } from '../../domain/config.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorkerProcessus {
  /** The running process's id, null between a kill and the next start. */
  readonly pid: number | null;
  /** How many processes were started so far. */
  readonly demarrages: number;
  /** Starts a process (none must be running); resolves once it logged "worker démarré". */
  demarrer(): Promise<void>;
  /** SIGKILL: no shutdown, running activities are lost; resolves once the process has exited. */
  tuer(): Promise<void>;
  /** Graceful stop (SIGTERM, SIGKILL after 10 s); does nothing when no process runs. */
  arreter(): Promise<void>;
  /** The last lines the processes wrote (stdout and stderr), for a failing test's message. */
  journal(): string;
}

/**
 * The environment that makes `lireConfig` give back `config`: what the worker process reads.
 * Checked by a round trip, so a variable added to domain/config.ts cannot be silently dropped.
 */
export function envDeConfig(config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const cle of Object.keys(configSchema.shape) as (keyof Config)[]) {
    const v = config[cle];
    if (v === undefined) continue;
    if (cle === 'QUIET_HOURS') env[cle] = config.QUIET_HOURS ? `${config.QUIET_HOURS.debut}-${config.QUIET_HOURS.fin}` : '';
    else if (cle === 'COURT_API_TOKENS') env[cle] = config.COURT_API_TOKENS.map((j) => `${j.juridiction}:${j.jeton}`).join(',');
    else if (typeof v === 'string' || typeof v === 'number') env[cle] = String(v);
    // Comma-separated lists (DRAFT_WARNINGS).
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) env[cle] = v.join(',');
    else throw new Error(`envDeConfig : ${cle} n'est ni une chaîne ni un nombre, à traduire ici`);
  }
  if (!isDeepStrictEqual(lireConfig(env), config)) throw new Error('envDeConfig : la configuration relue diffère de celle donnée');
  return env;
}

/** Killed with the test process too: a crashed jest must not leave workers polling the server. */
const vivants = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of vivants) p.kill('SIGKILL');
});

/**
 * A worker process on `config` (its task queue, database, sinks and durations). LOG_LEVEL is
 * raised to `info` in the child only, since its start line is how readiness is detected.
 */
export function workerProcessus(config: Config, o: { /** Default 60 s: bundling the workflows is slow on a busy machine. */ delaiDemarrageMs?: number } = {}): WorkerProcessus {
  const env: NodeJS.ProcessEnv = { ...process.env, ...envDeConfig(config), LOG_LEVEL: 'info' };
  // jest's --experimental-vm-modules is for the test runner, not for the worker.
  delete env.NODE_OPTIONS;
  let courant: ChildProcess | null = null;
  let fini: Promise<void> = Promise.resolve();
  let demarrages = 0;
  const lignes: string[] = [];
  const garder = (pid: number | undefined, texte: string) => {
    for (const l of texte.split('\n')) if (l.trim()) lignes.push(`[${pid}] ${l}`);
    if (lignes.length > 400) lignes.splice(0, lignes.length - 400);
  };

  return {
    get pid() {
      return courant?.pid ?? null;
    },
    get demarrages() {
      return demarrages;
    },
    async demarrer() {
      if (courant) throw new Error('workerProcessus : un processus tourne déjà');
      const p = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], { cwd: racine, env, stdio: ['ignore', 'pipe', 'pipe'] });
      courant = p;
      vivants.add(p);
      demarrages++;
      fini = new Promise((r) => p.once('exit', () => r()));
      void fini.then(() => {
        vivants.delete(p);
        if (courant === p) courant = null;
      });
      await new Promise<void>((resolve, reject) => {
        // A process that never got ready must not start polling behind the test's back.
        const delai = setTimeout(() => {
          p.kill('SIGKILL');
          fin(new Error(`worker non démarré en ${o.delaiDemarrageMs ?? 60000} ms :\n${lignes.slice(-30).join('\n')}`));
        }, o.delaiDemarrageMs ?? 60000);
        const fin = (e?: Error) => {
          clearTimeout(delai);
          p.stdout!.off('data', sortie);
          p.off('exit', mort);
          if (e) reject(e);
          else resolve();
        };
        // A line may arrive in two chunks.
        let lu = '';
        const sortie = (b: Buffer) => {
          lu = (lu + b.toString()).slice(-4096);
          if (lu.includes('"msg":"worker démarré"')) fin();
        };
        const mort = (code: number | null, signal: string | null) => fin(new Error(`worker terminé au démarrage (${code ?? signal}) :\n${lignes.slice(-30).join('\n')}`));
        p.stdout!.on('data', sortie);
        p.once('exit', mort);
        p.stdout!.on('data', (b: Buffer) => garder(p.pid, b.toString()));
        p.stderr!.on('data', (b: Buffer) => garder(p.pid, b.toString()));
      });
    },
    async tuer() {
      const p = courant;
      if (!p) return;
      p.kill('SIGKILL');
      await fini;
    },
    async arreter() {
      const p = courant;
      if (!p) return;
      p.kill('SIGTERM');
      const force = setTimeout(() => p.kill('SIGKILL'), 10000);
      await fini;
      clearTimeout(force);
    },
    journal: () => lignes.join('\n'),
  };
}

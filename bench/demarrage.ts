// Benchmark (e) of issue 10: `npm start` from cold (a new data directory: PostgreSQL initdb,
// migrations, Temporal dev server, stand-ins, worker bundle, web server, demo data) until
// /healthz answers 200 with every component `ok`; then a warm start on the same directory.
//
//   node --import tsx bench/demarrage.ts
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portLibre } from '../dev/ports.js';
import { executer, journal, publier } from './commun.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Seconds from spawning `npm start` to a healthy /healthz; then Ctrl-C and wait for the end. */
async function demarrerJusquaSain(dossier: string, port: number): Promise<number> {
  const env: NodeJS.ProcessEnv = {};
  // Only what a newcomer's shell has: nothing of the portal's configuration.
  for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TEMPORAL_CLI_PATH', 'PYENV_ROOT', 'PYENV_VERSION']) if (process.env[k]) env[k] = process.env[k];
  const t0 = Date.now();
  const enfant = spawn('npm', ['start'], { cwd: racine, env: { ...env, PORT: String(port), DATA_DIR: dossier }, stdio: 'ignore', detached: true });
  const fin = new Promise((r) => enfant.once('exit', r));
  try {
    for (;;) {
      if (Date.now() - t0 > 300000) throw new Error('npm start : pas sain après 300 s');
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.status === 200 && ((await r.json()) as { statut: string }).statut === 'ok') return (Date.now() - t0) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    process.kill(-enfant.pid!, 'SIGINT');
    await fin;
  }
}

async function main(): Promise<void> {
  // A fresh clone has no .data yet.
  await mkdir(path.join(racine, '.data'), { recursive: true });
  const dossier = await mkdtemp(path.join(racine, '.data', 'bench-demarrage-'));
  try {
    const froid = await demarrerJusquaSain(dossier, await portLibre(0));
    journal(`à froid : ${froid.toFixed(1)} s`);
    const chaud = await demarrerJusquaSain(dossier, await portLibre(0));
    journal(`à chaud : ${chaud.toFixed(1)} s`);
    await publier('demarrage', 'Démarrage (e) — npm start jusqu’à /healthz sain', {}, [
      { démarrage: 'à froid (nouveau répertoire de données, données de démonstration)', 'jusqu’à sain (s)': froid.toFixed(1) },
      { démarrage: 'à chaud (même répertoire)', 'jusqu’à sain (s)': chaud.toFixed(1) },
    ]);
  } finally {
    await rm(dossier, { recursive: true, force: true });
  }
}

executer(main);

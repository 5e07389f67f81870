// The Koa web server: citizen pages, agent pages, court API. `npm run server` runs it against
// configured services, as production does; pending migrations are applied first (node-pg-migrate
// holds an advisory lock, so several instances may start together).
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import { appliquerMigrations } from './db/migrate.js';
import { creerPool } from './db/pool.js';
import { lireConfig, resumeConfig, type Config } from './domain/config.js';
import { createApp } from './web/app.js';
import { creerPoolLimites } from './web/middleware/limite-connexion.js';
import { intercepteursClient } from './services/correlation.js';
import { creerJournal } from './web/log.js';
import { estPrincipal, lancer } from './cli.js';

export async function demarrerServeur(config: Config): Promise<{ serveur: Server; arreter(): Promise<void> }> {
  const log = creerJournal('web', config.LOG_LEVEL);
  await appliquerMigrations(config.DATABASE_URL);
  const pool = await creerPool(config.DATABASE_URL);
  const poolLimites = creerPoolLimites(config.DATABASE_URL, log);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: intercepteursClient() });
  const app = createApp({ config, pool, poolLimites, temporal, log });
  const serveur = await new Promise<Server>((resolve) => {
    const s = app.listen(config.PORT, () => resolve(s));
  });
  log.info({ port: config.PORT, config: resumeConfig(config) }, 'serveur web démarré');
  return {
    serveur,
    async arreter() {
      const ferme = new Promise<void>((r) => serveur.close(() => r()));
      serveur.closeAllConnections();
      await ferme;
      await connection.close();
      await pool.end();
      await poolLimites.end();
    },
  };
}

if (estPrincipal(import.meta.url)) {
  lancer(async () => {
    const config = lireConfig(process.env);
    const { arreter } = await demarrerServeur(config);
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => void arreter().then(() => process.exit(0)));
  });
}

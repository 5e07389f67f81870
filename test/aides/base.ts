// A fresh database per test file, on the run's PostgreSQL (see global-setup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BaseDeTest {
  url: string;
  supprimer(): Promise<void>;
}

/** `urlAdmin`: another server's maintenance database (a test that restarts its own Postgres). */
export async function creerBaseDeTest(urlAdmin?: string): Promise<BaseDeTest> {
  const admin = urlAdmin ?? process.env.TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('TEST_PG_ADMIN_URL absent : lancer les tests par npm test (globalSetup)');
  const nom = `test_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${nom}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${nom}`;
  return {
    url: u.toString(),
    async supprimer() {
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      try {
        // Clients still closing (a library that does not await its own end()) are let go first:
        // FORCE would terminate them, and a client without an 'error' listener then crashes the
        // test file with an unhandled error. FORCE only for what is still there after 3 s.
        for (let i = 0; i < 30; i++) {
          const { rows } = await c2.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [nom]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c2.query(`DROP DATABASE IF EXISTS ${nom} WITH (FORCE)`);
      } finally {
        await c2.end();
      }
    },
  };
}

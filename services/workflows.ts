// How server-side code reaches the case workflows: signal-with-start, so the first write that
// concerns a case followed online starts its workflow and every later one signals it.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../domain/config.js';
import { EtatDossier, Juridiction, NumeroDossier, StatutRequete } from '../domain/attributs.js';
import { idWorkflowDossier, idWorkflowEnvoiCode, idWorkflowNotificationsContact, idWorkflowRequete } from '../workflows/ids.js';
import {
  clotureRequeteSignal,
  enregistrementRequeteSignal,
  envoyerRequeteUpdate,
  miseAJourDossier,
  supprimerRequeteSignal,
  type EntreeRequete,
  type MiseAJourDossier,
  type ResultatEnvoi,
} from '../workflows/messages.js';
import type { dossier } from '../workflows/dossier.js';
import type { envoiCode } from '../workflows/envoi-code.js';
import type { envoiNotifications } from '../workflows/envoi-notifications.js';
import type { requete } from '../workflows/requete.js';

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

/** Starts a requête's workflow when its draft is begun (its id is the requête's). */
export async function demarrerRequete(temporal: Client, config: Config, o: EntreeRequete & { juridiction: string }): Promise<void> {
  const { juridiction, ...entree } = o;
  await temporal.workflow.start<typeof requete>('requete', {
    workflowId: idWorkflowRequete(o.requeteId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [entree],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: StatutRequete, value: entree.statut ?? 'brouillon' },
      { key: Juridiction, value: juridiction },
    ],
    staticSummary: `Requête (${juridiction})`,
  });
}

/**
 * "Envoyer": the workflow checks and locks the requête and answers at once. A requête already
 * transmitted or deleted is refused by the update's validator: said the same way.
 */
export async function envoyerRequete(temporal: Client, requeteId: string): Promise<ResultatEnvoi> {
  try {
    return await temporal.workflow.getHandle(idWorkflowRequete(requeteId)).executeUpdate(envoyerRequeteUpdate);
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      return { acceptee: false, erreurs: [{ champ: 'requete', message: e.cause.message }] };
    }
    throw e;
  }
}

export async function signalerEnregistrement(temporal: Client, requeteId: string, notifications: string[]): Promise<void> {
  await temporal.workflow.getHandle(idWorkflowRequete(requeteId)).signal(enregistrementRequeteSignal, { notifications });
}

export async function signalerClotureRequete(temporal: Client, requeteId: string, purgeLe: string | null): Promise<void> {
  await temporal.workflow.getHandle(idWorkflowRequete(requeteId)).signal(clotureRequeteSignal, { purgeLe });
}

export async function signalerSuppressionRequete(temporal: Client, requeteId: string): Promise<void> {
  await temporal.workflow.getHandle(idWorkflowRequete(requeteId)).signal(supprimerRequeteSignal);
}

/**
 * Sends the e-mails of one support request (workflows/envoi-notifications.ts). The workflow id is
 * the request's, so a repeated call starts nothing more.
 */
export async function envoyerNotificationsContact(temporal: Client, config: Config, contactId: string, notificationIds: string[]): Promise<void> {
  await temporal.workflow.start<typeof envoiNotifications>('envoiNotifications', {
    workflowId: idWorkflowNotificationsContact(contactId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ notificationIds }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Courriels d’une demande de contact',
  });
}

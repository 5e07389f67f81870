// The only workflow module web/ and services/ import: message definitions and plain-JSON
// payload types. No Date, Map or Set crosses this boundary (TEMPORAL.md §0.5).
import { defineQuery, defineSignal } from '@temporalio/workflow';

export type NatureMiseAJour =
  | 'affaire' // the case itself (nature, état, parties) was created or replaced
  | 'evenement'
  | 'audience'
  | 'audience_annulee'
  | 'consentement'
  | 'cloture'
  | 'reouverture';

export interface MiseAJourDossier {
  nature: NatureMiseAJour;
  /** Idempotency key of the court update (e.g. `evenement:<court id>`): a replay is ignored. */
  cle: string;
  /** ISO instant the portal recorded it. */
  recueLe: string;
  /** The case's état after the update, for the EtatDossier search attribute. */
  etat?: string;
  /** Outbox rows (table `notification`) this update must send, by id. */
  notifications?: string[];
  /**
   * When the case must be purged (ISO instant: closure + CASE_RETENTION, computed by the sender
   * in Europe/Paris), or null while it is open. Every update carries the current value, so a
   * reopening cancels the purge and a lost signal is corrected by the next one.
   */
  purgeLe?: string | null;
}

export interface EntreeDossier {
  dossierId: string;
  etat: string;
  /** Carried across continue-as-new. */
  cles?: string[];
  misesAJour?: number;
  derniereMiseAJour?: string | null;
  notificationsEnvoyees?: number;
  purgeLe?: string | null;
}

export interface EtatWorkflowDossier {
  etat: string;
  misesAJour: number;
  derniereMiseAJour: string | null;
  notificationsEnvoyees: number;
  purgeLe: string | null;
}

export const miseAJourDossier = defineSignal<[MiseAJourDossier]>('miseAJourDossier');
export const etatDossierQuery = defineQuery<EtatWorkflowDossier>('etatDossier');

/** Input of the `envoiCode` workflow: one SMS code to deliver while it is still valid. */
export interface EntreeEnvoiCode {
  /** The outbox row (table `notification`) carrying the code between ⟦ ⟧. */
  notificationId: string;
  /** How long the code is valid: past that, sending it is pointless and the row is abandoned. */
  validiteMs: number;
}

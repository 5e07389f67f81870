// The only workflow module web/ and services/ import: message definitions and plain-JSON
// payload types. No Date, Map or Set crosses this boundary (TEMPORAL.md §0.5).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

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
  /**
   * Update alert timing (ALERT_DEBOUNCE in ms, computed by the sender): the alert e-mail goes
   * `attenteMs` after the last update of a burst, or `maxMs` after its first one at the latest.
   * Absent: the update alerts nobody (older senders).
   */
  alerte?: { attenteMs: number; maxMs: number };
  /**
   * For `audience` (scheduled or moved) and `audience_annulee`: the hearing (portal id), its start
   * (ISO), and the instants computed by the sender in Europe/Paris (domain/rappels.ts): when to
   * send its reminder (null: none, the hearing has started) and, for a cancellation, when the
   * short cancellation SMS may go if the reminder already went.
   */
  audience?: { id: string; debut: string; rappelA: string | null; annulationA?: string | null };
}

/** A reminder (or cancellation SMS) the workflow is waiting to send: plain JSON. */
export interface RappelEnAttente {
  audienceId: string;
  /** The hearing's start (ISO) the reminder is about: a moved hearing gets a new key. */
  debut: string;
  /** ISO instant to send it. */
  envoyerA: string;
  annulation?: boolean;
}

/** Update alert being gathered (debounce window). */
export interface AlerteEnCours {
  natures: NatureMiseAJour[];
  /** Epoch ms of the burst's first and last updates. */
  premiere: number;
  derniere: number;
  attenteMs: number;
  maxMs: number;
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
  rappels?: RappelEnAttente[];
  /** Reminders already sent for hearings not yet started ({audienceId, debut}). */
  rappelsEnvoyes?: { audienceId: string; debut: string }[];
  alerte?: AlerteEnCours | null;
  alertesEnvoyees?: number;
}

export interface EtatWorkflowDossier {
  etat: string;
  misesAJour: number;
  derniereMiseAJour: string | null;
  notificationsEnvoyees: number;
  purgeLe: string | null;
  rappels?: RappelEnAttente[];
  alertesEnvoyees?: number;
  /** Updates are being gathered into an alert not yet prepared (ALERT_DEBOUNCE). */
  alerteEnCours?: boolean;
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

// ---------------------------------------------------------------------------------------------
// requete-<id>: one online petition (workflows/requete.ts)

export type StatutRequeteWorkflow = 'brouillon' | 'echec' | 'envoyee' | 'enregistree' | 'supprimee';

export interface EntreeRequete {
  requeteId: string;
  /** ISO instant the draft expires (DRAFT_TTL after its first day, computed by the sender). */
  expireLe: string;
  /** ISO instants of the expiry warnings (DRAFT_WARNINGS before expireLe), ascending. */
  avertissements: string[];
  /** Carried across continue-as-new (and set by tests that start a registered requête). */
  statut?: StatutRequeteWorkflow;
  avertis?: number;
  /** ISO instant of the purge once the linked case is closed (closure + REQUETE_RETENTION). */
  purgeLe?: string | null;
  envois?: number;
}

export interface DetailRefus {
  champ: string;
  message: string;
}

/** The answer of the "envoyer" update: accepted (transmission starts), or what is missing. */
export interface ResultatEnvoi {
  acceptee: boolean;
  erreurs: DetailRefus[];
}

export interface EtatWorkflowRequete {
  statut: StatutRequeteWorkflow;
  transmission: boolean;
  avertis: number;
  purgeLe: string | null;
  envois: number;
}

/** The citizen sends (or resends after an échec): validated at once, then transmitted. */
export const envoyerRequeteUpdate = defineUpdate<ResultatEnvoi, []>('envoyerRequete');
/** The citizen deleted the draft (the sender already purged it in the database). */
export const supprimerRequeteSignal = defineSignal<[]>('supprimerRequete');
/** Registered by the court or an agent (the sender wrote it); the outbox rows to send. */
export const enregistrementRequeteSignal = defineSignal<[{ notifications: string[] }]>('enregistrementRequete');
/** The case the requête became was closed (purgeLe set) or reopened (null). */
export const clotureRequeteSignal = defineSignal<[{ purgeLe: string | null }]>('clotureRequete');
export const etatRequeteQuery = defineQuery<EtatWorkflowRequete>('etatRequete');

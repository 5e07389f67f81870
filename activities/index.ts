// createActivities(deps): side effects, with their dependencies injected so tests run them on a
// real database and the local sinks. Workflows import only the *type* `Activites`.
import { ApplicationFailure } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import * as notifications from '../db/notifications.js';
import * as dossiers from '../db/dossiers.js';
import { journaliser } from '../db/journal.js';
import type { Messagerie } from './envoi.js';

export interface DependancesActivites {
  pool: DatabasePool;
  messagerie: Messagerie;
}

/** A secret (identification number) is written between these markers and masked once sent. */
export const SECRET_DEBUT = '⟦';
export const SECRET_FIN = '⟧';
const masquerSecrets = (texte: string) => texte.replace(/⟦[^⟧]*⟧/g, '[masqué après envoi]');
const retirerMarqueurs = (texte: string) => texte.replace(/[⟦⟧]/g, '');

/**
 * A permanent refusal: an SMTP 5xx answer (unknown mailbox, refused recipient) or a Twilio 4xx
 * other than rate limiting (invalid number). Connection errors and 4xx SMTP answers are passing.
 */
export function estDefinitif(e: unknown): boolean {
  const smtp = (e as { responseCode?: unknown })?.responseCode;
  if (typeof smtp === 'number') return smtp >= 500;
  const http = (e as { status?: unknown })?.status;
  if (typeof http === 'number') return http >= 400 && http < 500 && http !== 429 && http !== 408;
  return false;
}

export function createActivities(deps: DependancesActivites) {
  return {
    /**
     * Deletes a case and everything that belongs to it once its retention has run out, leaving a
     * tombstone without personal data (db/dossiers.ts); idempotent: a retry finds it gone.
     */
    async purgerDossier(dossierId: string): Promise<void> {
      await deps.pool.transaction(async (t) => {
        const d = await dossiers.obtenirDossier(t, dossierId);
        if (!d) return;
        await dossiers.purgerDossier(t, dossierId);
        await journaliser(t, { acteurType: 'systeme', action: 'affaire.purger', juridiction: d.juridiction, objetType: 'dossier', objetId: dossierId, resultat: 'succes', details: { cloture: d.date_cloture?.toISOString() ?? null } });
      });
    },

    /** Sends one outbox row; idempotent: an already-sent row is not sent again. */
    async envoyerNotification(id: string): Promise<void> {
      const n = await notifications.reserver(deps.pool, id);
      if (!n) {
        if (await notifications.existe(deps.pool, id)) return;
        throw ApplicationFailure.nonRetryable(`notification ${id} introuvable`, 'notification_introuvable');
      }
      try {
        const texte = retirerMarqueurs(n.corps);
        const fournisseurId =
          n.canal === 'courriel'
            ? await deps.messagerie.envoyerCourriel({ a: n.destinataire, sujet: n.sujet ?? 'Portail du justiciable', texte, cle: n.cle_idempotence })
            : await deps.messagerie.envoyerSms({ a: n.destinataire, texte });
        const archive = n.corps.includes(SECRET_DEBUT) ? masquerSecrets(n.corps) : undefined;
        await notifications.marquerEnvoyee(deps.pool, id, fournisseurId, archive);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const definitif = estDefinitif(e);
        await notifications.marquerEchec(deps.pool, id, message, definitif);
        // A refused address will never accept: stop retrying, keep the cause for support.
        if (definitif) throw ApplicationFailure.nonRetryable(message, 'notification_refusee');
        throw e;
      }
    },

    /**
     * The row could not be sent in time (an SMS code past its validity): stop trying and mask
     * its secret. Idempotent; a row sent meanwhile is kept as sent.
     */
    async abandonnerNotification(id: string, raison: string): Promise<void> {
      await notifications.abandonner(deps.pool, id, raison);
    },
  };
}

export type Activites = ReturnType<typeof createActivities>;

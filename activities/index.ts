// createActivities(deps): side effects, with their dependencies injected so tests run them on a
// real database and the local sinks. Workflows import only the *type* `Activites`.
import { ApplicationFailure } from '@temporalio/activity';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import * as notifications from '../db/notifications.js';
import * as dossiers from '../db/dossiers.js';
import { journaliser } from '../db/journal.js';
import * as rattachements from '../db/rattachements.js';
import * as rappels from '../db/rappels.js';
import { courrielAlerte, jetonDesabonnement, smsAnnulation, smsRappel } from '../domain/alertes.js';
import type { Config } from '../domain/config.js';
import type { Messagerie } from './envoi.js';

export interface DependancesActivites {
  pool: DatabasePool;
  messagerie: Messagerie;
  /** What the alert e-mails need: links (PUBLIC_URL), the unsubscribe signature, visibility. */
  config: Pick<Config, 'PUBLIC_URL' | 'HASH_KEY' | 'CASE_RETENTION'>;
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
     * Queues the update alert number `n` of a case: one e-mail per account attached and visible
     * with alerts on, keyed `alerte:<dossier>:<compte>:<n>` so a retry or a replay queues nothing
     * twice. Returns the outbox rows to send (none when the case is gone).
     */
    async preparerAlerte(o: { dossierId: string; n: number; natures: string[] }): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const d = await dossiers.obtenirDossier(t, o.dossierId);
        if (!d || !d.suivi_en_ligne) return [];
        const juridiction = (await t.maybeOneFirst(sql.type(z.object({ nom: z.string() }))`SELECT nom FROM juridiction WHERE code = ${d.juridiction}`)) ?? d.juridiction;
        const ids: string[] = [];
        for (const dest of await rattachements.destinatairesAlerte(t, o.dossierId, new Date(), deps.config.CASE_RETENTION)) {
          const m = courrielAlerte({
            numeroDossier: d.numero_dossier, juridiction, natures: o.natures,
            lienDossier: `${deps.config.PUBLIC_URL}/espace/dossiers/${dest.rattachement_id}`,
            lienDesabonnement: `${deps.config.PUBLIC_URL}/alertes/desabonnement/${jetonDesabonnement(deps.config.HASH_KEY, dest.compte_id, o.dossierId)}`,
            lienParametres: `${deps.config.PUBLIC_URL}/espace/parametres`,
          });
          ids.push(await notifications.mettreEnFile(t, {
            cle: `alerte:${o.dossierId}:${dest.compte_id}:${o.n}`, canal: 'courriel', destinataire: dest.email, type: 'alerte',
            sujet: m.sujet, corps: m.corps, compteId: dest.compte_id, dossierId: o.dossierId,
          }));
        }
        return ids;
      });
    },

    /**
     * Queues a hearing's reminder SMS (or, `annulation`, the short SMS saying it is cancelled)
     * for every party with a live consent and a phone, keyed `rappel:<audience>:<debut>:<partie>`
     * (`annulation:…`). Nothing when the hearing has moved (another reminder is armed for its
     * new start), was cancelled (for a reminder), or was rescheduled (for a cancellation).
     */
    async preparerRappel(o: { dossierId: string; audienceId: string; debut: string; annulation: boolean }): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const a = await rappels.audiencePourRappel(t, o.dossierId, o.audienceId);
        if (!a) return [];
        if (o.annulation ? a.annulee_at === null : a.annulee_at !== null || a.debut.toISOString() !== o.debut) return [];
        const debut = new Date(o.debut);
        const texte = o.annulation ? smsAnnulation({ debut, juridiction: a.juridiction_nom }) : smsRappel({ debut, juridiction: a.juridiction_nom, adresse: a.adresse });
        const ids: string[] = [];
        for (const dest of await rappels.destinatairesRappel(t, o.dossierId)) {
          ids.push(await notifications.mettreEnFile(t, {
            cle: `${o.annulation ? 'annulation' : 'rappel'}:${o.audienceId}:${o.debut}:${dest.partie_id}`, canal: 'sms', destinataire: dest.telephone,
            type: o.annulation ? 'annulation' : 'rappel', corps: texte, dossierId: o.dossierId,
          }));
        }
        return ids;
      });
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

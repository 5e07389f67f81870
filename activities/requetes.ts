// Activities of the requete workflow. Each is idempotent: a retry (or a replay after a worker was
// killed) finds its own earlier effect and does nothing twice — the reference is fixed before the
// court is called, outbox rows are keyed by requête and step.
import { randomInt } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import * as notifications from '../db/notifications.js';
import * as requetes from '../db/requetes.js';
import { journaliser } from '../db/journal.js';
import type { Connexion } from '../db/pool.js';
import type { Config } from '../domain/config.js';
import { courrielAccuseReception, courrielEchec, courrielExpiration } from '../domain/courriels-requete.js';
import { FUSEAU } from '../domain/durees.js';
import { ALPHABET } from '../domain/identifiants.js';
import { erreursEnvoi, estModifiable, joursRestants } from '../domain/requetes.js';
import type { DetailRefus } from '../workflows/messages.js';

/**
 * Where a sent requête goes: the juridiction's intake. The portal's own (default) makes it
 * available to the court's business application (`GET /api/v1/requetes?statut=envoyee`) and to
 * the clerks' inbox; a connector to a court system replaces it through the worker's wiring. It
 * must be idempotent on `reference`: a retried call must not create a second requête at the court.
 * A definitive refusal is an ApplicationFailure of type `depot_refuse` with a message for the
 * citizen; anything else is retried.
 */
export interface DepotJuridiction {
  deposer(r: { id: string; reference: string; juridiction: string; type: string }): Promise<void>;
}

export function depotPortail(pool: DatabasePool): DepotJuridiction {
  return {
    async deposer(r) {
      const existe = await pool.exists(sql.unsafe`SELECT 1 FROM juridiction WHERE code = ${r.juridiction}`);
      if (!existe) throw ApplicationFailure.nonRetryable('Cette juridiction ne reçoit plus de requêtes en ligne.', 'depot_refuse');
    },
  };
}

export interface DependancesRequetes {
  pool: DatabasePool;
  config: Pick<Config, 'PUBLIC_URL'>;
  depot?: DepotJuridiction;
}

/** `RQ-2026-K7QF-3XWM`: the year of deposit, then 40 random bits in the unambiguous alphabet. */
export function genererReference(annee: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `RQ-${annee}-${s.slice(0, 4)}-${s.slice(4)}`;
}

const aujourdHuiParis = () => DateTime.now().setZone(FUSEAU).toISODate()!;

async function courrielDuCompte(c: Connexion, compteId: string): Promise<string | null> {
  return c.maybeOneFirst(sql.type(z.object({ email: z.string().nullable() }))`SELECT email FROM compte WHERE id = ${compteId}`);
}

export function createActivitesRequetes(deps: DependancesRequetes) {
  const depot = deps.depot ?? depotPortail(deps.pool);
  const lien = (id: string) => `${deps.config.PUBLIC_URL}/espace/requetes/${id}`;

  return {
    /**
     * Checks that the requête can be sent (complete, attachments present) and locks it against
     * changes while it is transmitted. [] = accepted. A retry after a commit finds it locked and
     * accepts again.
     */
    async verrouillerPourEnvoi(id: string): Promise<DetailRefus[]> {
      return deps.pool.transaction(async (t) => {
        const r = await t.maybeOne(sql.type(z.object({ statut: z.string(), type: z.string(), donnees: z.record(z.unknown()), envoi_demande_at: z.date().nullable(), juridiction: z.string(), compte_id: z.string() }))`
          SELECT statut, type, donnees, envoi_demande_at, juridiction, compte_id FROM requete WHERE id = ${id} FOR UPDATE`);
        if (!r || r.statut === 'supprimee') return [{ champ: 'requete', message: 'Cette requête n’existe plus.' }];
        if (!estModifiable(r.statut)) return [{ champ: 'requete', message: 'Cette requête a déjà été transmise à la juridiction.' }];
        if (r.envoi_demande_at) return [];
        const nbTiers = await t.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM tiers WHERE requete_id = ${id}`);
        const nbPieces = await t.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM piece_jointe WHERE requete_id = ${id}`);
        const erreurs = erreursEnvoi({ type: r.type, donnees: r.donnees, nbTiers, nbPieces, aujourdHui: aujourdHuiParis() });
        await journaliser(t, {
          acteurType: 'citoyen', acteurId: r.compte_id, juridiction: r.juridiction, action: 'requete.envoyer', objetType: 'requete', objetId: id,
          resultat: erreurs.length ? 'refus' : 'succes', details: erreurs.length ? { champs: erreurs.map((e) => e.champ) } : null,
        });
        if (erreurs.length === 0) await requetes.demanderEnvoi(t, id);
        return erreurs;
      });
    },

    /**
     * Transmits the requête to its juridiction, then marks it sent and queues the acknowledgment
     * (returned, for the workflow to send). Already sent: returns the same acknowledgment.
     */
    async transmettreRequete(id: string): Promise<string[]> {
      const r = await requetes.obtenirRequete(deps.pool, id);
      if (!r || r.statut === 'supprimee') throw ApplicationFailure.nonRetryable('Cette requête n’existe plus.', 'depot_refuse');
      if (r.statut === 'envoyee' || r.statut === 'enregistree') {
        const n = await notifications.trouverParCle(deps.pool, `accuse:${id}`);
        return n ? [n] : [];
      }
      // The reference is fixed before the court is called, so every retry presents the same one.
      const reference = await deps.pool.oneFirst(sql.type(z.object({ reference: z.string() }))`
        UPDATE requete SET reference = coalesce(reference, ${genererReference(DateTime.now().setZone(FUSEAU).year)})
        WHERE id = ${id} RETURNING reference`);
      await depot.deposer({ id, reference, juridiction: r.juridiction, type: r.type });
      return deps.pool.transaction(async (t) => {
        const envoyeeLe = await requetes.marquerEnvoyee(t, id, reference);
        await journaliser(t, { acteurType: 'systeme', juridiction: r.juridiction, action: 'requete.transmettre', objetType: 'requete', objetId: id, resultat: 'succes', details: { reference } });
        const email = await courrielDuCompte(t, r.compte_id);
        if (!email) return [];
        const m = courrielAccuseReception({ type: r.type, reference, juridiction: r.juridiction_nom ?? r.juridiction, envoyeeLe: envoyeeLe ?? new Date(), lien: lien(id) });
        return [await notifications.mettreEnFile(t, { cle: `accuse:${id}`, canal: 'courriel', destinataire: email, type: 'accuse_reception', sujet: m.sujet, corps: m.corps, compteId: r.compte_id, requeteId: id })];
      });
    },

    /** The transmission failed for good: échec with the reason, and an e-mail saying so. */
    async constaterEchec(id: string, raison: string, envoi: number): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const r = await requetes.obtenirRequete(t, id);
        if (!r || !estModifiable(r.statut)) return [];
        await requetes.marquerEchec(t, id, raison);
        await journaliser(t, { acteurType: 'systeme', juridiction: r.juridiction, action: 'requete.transmettre', objetType: 'requete', objetId: id, resultat: 'erreur', details: { raison } });
        const email = await courrielDuCompte(t, r.compte_id);
        if (!email) return [];
        const m = courrielEchec({ type: r.type, juridiction: r.juridiction_nom ?? r.juridiction, raison, lien: lien(id) });
        return [await notifications.mettreEnFile(t, { cle: `echec:${id}:${envoi}`, canal: 'courriel', destinataire: email, type: 'echec_requete', sujet: m.sujet, corps: m.corps, compteId: r.compte_id, requeteId: id })];
      });
    },

    /**
     * Warning number `n` before the draft's expiry, due at `prevuLe` (the workflow's instant: the
     * days left are counted from it, not from when a late worker runs); nothing if it was sent or
     * deleted since.
     */
    async avertirExpiration(id: string, n: number, prevuLe: string): Promise<string[]> {
      return deps.pool.transaction(async (t) => {
        const r = await requetes.obtenirRequete(t, id);
        if (!r || !estModifiable(r.statut) || !r.expire_le) return [];
        const email = await courrielDuCompte(t, r.compte_id);
        if (!email) return [];
        const m = courrielExpiration({ type: r.type, expireLe: r.expire_le, joursRestants: joursRestants(r.expire_le, new Date(prevuLe)), lien: lien(id) });
        return [await notifications.mettreEnFile(t, { cle: `expiration:${id}:${n}`, canal: 'courriel', destinataire: email, type: 'expiration', sujet: m.sujet, corps: m.corps, compteId: r.compte_id, requeteId: id })];
      });
    },

    /** Purges the requête's content, keeping its tombstone; idempotent. */
    async purgerRequete(id: string, motif: 'brouillon_expire' | 'supprimee_par_le_demandeur' | 'conservation_expiree'): Promise<void> {
      await deps.pool.transaction(async (t) => {
        const r = await requetes.obtenirRequete(t, id);
        if (!r || r.statut === 'supprimee') return;
        await requetes.purger(t, id, motif);
        await journaliser(t, { acteurType: 'systeme', juridiction: r.juridiction, action: 'requete.purger', objetType: 'requete', objetId: id, resultat: 'succes', details: { motif, statut: r.statut } });
      });
    },
  };
}

// The juridiction's side of online requêtes for the agent pages (issue 8 item 4): the inbox,
// filtered and paginated, and the requérant as FranceConnect identified them. Only sent
// requêtes (envoyee, enregistree) are ever selected: a draft belongs to its citizen until it is
// transmitted, and a purged one keeps nothing to show (decree 004 art. 4 and 5).
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

export const STATUTS_BOITE = ['envoyee', 'enregistree'] as const;
export type StatutBoite = (typeof STATUTS_BOITE)[number];

export const LigneBoite = z.object({
  id: z.string().uuid(),
  type: z.string(),
  statut: z.enum(STATUTS_BOITE),
  reference: z.string().nullable(),
  sent_at: z.date().nullable(),
  registered_at: z.date().nullable(),
  numero_dossier: z.string().nullable(),
  requerant_prenoms: z.string().nullable(),
  requerant_nom: z.string().nullable(),
  nb_pieces: z.number().int(),
});
export type LigneBoite = z.infer<typeof LigneBoite>;

export interface FiltreBoite {
  juridiction: string;
  statut: StatutBoite;
  /** A kind of domain/requetes.ts TYPES_REQUETE, or null for all. */
  type: string | null;
  limite: number;
  decalage: number;
}

/**
 * One page of the juridiction's inbox, oldest sent first (the first in is the first to register),
 * and the number of requêtes matching the filter for the pagination.
 */
export async function boiteDeReception(c: Connexion, f: FiltreBoite): Promise<{ lignes: readonly LigneBoite[]; total: number }> {
  const ou = sql.fragment`r.juridiction = ${f.juridiction} AND r.statut = ${f.statut}
    AND (${f.type}::text IS NULL OR r.type = ${f.type})`;
  const total = await c.oneFirst(sql.type(z.object({ n: z.number().int() }))`SELECT count(*)::int AS n FROM requete r WHERE ${ou}`);
  const lignes = await c.any(sql.type(LigneBoite)`
    SELECT r.id, r.type, r.statut, r.reference, r.sent_at, r.registered_at, r.numero_dossier,
      c.given_name AS requerant_prenoms, c.family_name AS requerant_nom,
      (SELECT count(*)::int FROM piece_jointe p WHERE p.requete_id = r.id) AS nb_pieces
    FROM requete r JOIN compte c ON c.id = r.compte_id
    WHERE ${ou}
    ORDER BY r.sent_at NULLS LAST, r.id
    LIMIT ${f.limite} OFFSET ${f.decalage}`);
  return { lignes, total };
}

export const Requerant = z.object({
  prenoms: z.string().nullable(),
  nom: z.string().nullable(),
  nom_usage: z.string().nullable(),
  date_naissance: z.string().nullable(),
  courriel: z.string().nullable(),
});
export type Requerant = z.infer<typeof Requerant>;

/** The requérant's identity as FranceConnect gave it, and the e-mail the portal writes to. */
export async function requerant(c: Connexion, compteId: string): Promise<Requerant | null> {
  return c.maybeOne(sql.type(Requerant)`
    SELECT given_name AS prenoms, family_name AS nom, preferred_name AS nom_usage, birthdate AS date_naissance, email AS courriel
    FROM compte WHERE id = ${compteId}`);
}

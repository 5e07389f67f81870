// Online petitions: the draft a citizen edits, its third parties and attachments, its status as
// the requete workflow moves it, and the tombstone left by a purge. Every citizen-facing read
// takes the account id: a requête is reachable only through the account that began it.
import { z } from 'zod';
import type { Tiers, TypeMime } from '../domain/requetes.js';
import { sql, type Connexion, instant } from './pool.js';
import { Partie } from './dossiers.js';

export const Requete = z.object({
  id: z.string().uuid(),
  compte_id: z.string().uuid(),
  juridiction: z.string(),
  juridiction_nom: z.string().nullable(),
  type: z.string(),
  statut: z.enum(['brouillon', 'echec', 'envoyee', 'enregistree', 'supprimee']),
  donnees: z.record(z.unknown()),
  reference: z.string().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  expire_le: z.date().nullable(),
  envoi_demande_at: z.date().nullable(),
  sent_at: z.date().nullable(),
  echec_raison: z.string().nullable(),
  registered_at: z.date().nullable(),
  numero_dossier: z.string().nullable(),
  numero_portalis: z.string().nullable(),
  dossier_id: z.string().uuid().nullable(),
  dossier_cloture_at: z.date().nullable(),
  purged_at: z.date().nullable(),
  purge_motif: z.string().nullable(),
});
export type Requete = z.infer<typeof Requete>;

const colonnes = sql.fragment`r.id, r.compte_id, r.juridiction, j.nom AS juridiction_nom, r.type, r.statut, r.donnees, r.reference,
  r.created_at, r.updated_at, r.expire_le, r.envoi_demande_at, r.sent_at, r.echec_raison, r.registered_at, r.numero_dossier,
  r.numero_portalis, r.dossier_id, r.dossier_cloture_at, r.purged_at, r.purge_motif`;
const depuis = sql.fragment`FROM requete r LEFT JOIN juridiction j ON j.code = r.juridiction`;

export async function creerRequete(c: Connexion, o: { compteId: string; juridiction: string; type: string; commenceLe: Date; expireLe: Date }): Promise<string> {
  return c.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO requete (compte_id, juridiction, type, created_at, expire_le)
    VALUES (${o.compteId}, ${o.juridiction}, ${o.type}, ${instant(o.commenceLe)}, ${instant(o.expireLe)}) RETURNING id`);
}

export async function obtenirRequete(c: Connexion, id: string): Promise<Requete | null> {
  return c.maybeOne(sql.type(Requete)`SELECT ${colonnes} ${depuis} WHERE r.id = ${id}`);
}

/**
 * The requête if it belongs to this account; null otherwise (the page answers 404 alike).
 * `verrou`: the row is locked for the caller's transaction (a change that must see the status
 * it checks, e.g. no send accepted in between).
 */
export async function requeteDuCompte(c: Connexion, compteId: string, id: string, o: { verrou?: boolean } = {}): Promise<Requete | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return c.maybeOne(sql.type(Requete)`SELECT ${colonnes} ${depuis} WHERE r.id = ${id} AND r.compte_id = ${compteId} ${o.verrou ? sql.fragment`FOR UPDATE OF r` : sql.fragment``}`);
}

export async function requetesDuCompte(c: Connexion, compteId: string): Promise<readonly Requete[]> {
  return c.any(sql.type(Requete)`SELECT ${colonnes} ${depuis} WHERE r.compte_id = ${compteId} ORDER BY r.created_at DESC, r.id`);
}

/**
 * Saves the draft's fields if the citizen may still change it (brouillon or échec, no send in
 * progress); false otherwise.
 */
export async function enregistrerBrouillon(c: Connexion, id: string, donnees: Record<string, unknown>): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE requete SET donnees = ${sql.jsonb(donnees as never)}
    WHERE id = ${id} AND statut IN ('brouillon', 'echec') AND envoi_demande_at IS NULL`);
  return r.rowCount === 1;
}

/** Locks the requête for sending; false when it is not (or no longer) modifiable. */
export async function demanderEnvoi(c: Connexion, id: string): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE requete SET envoi_demande_at = now()
    WHERE id = ${id} AND statut IN ('brouillon', 'echec') AND envoi_demande_at IS NULL`);
  return r.rowCount === 1;
}

/** The transmission reached the court: envoyee, with its reference; returns when. Idempotent. */
export async function marquerEnvoyee(c: Connexion, id: string, reference: string): Promise<Date | null> {
  return c.maybeOneFirst(sql.type(z.object({ sent_at: z.date().nullable() }))`
    UPDATE requete SET statut = 'envoyee', reference = coalesce(reference, ${reference}), sent_at = coalesce(sent_at, now()),
      echec_raison = NULL, envoi_demande_at = NULL
    WHERE id = ${id} AND statut IN ('brouillon', 'echec')
    RETURNING sent_at`);
}

export async function marquerEchec(c: Connexion, id: string, raison: string): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE requete SET statut = 'echec', echec_raison = ${raison.slice(0, 1000)}, envoi_demande_at = NULL
    WHERE id = ${id} AND statut IN ('brouillon', 'echec')`);
}

/**
 * Registration by the court (API) or a clerk/magistrate (agent pages): only a sent requête of
 * that juridiction. Returns the updated row, or null when there is nothing to register; an
 * already registered one with the same numbers is returned as is (idempotent).
 */
export async function enregistrer(
  c: Connexion,
  o: { id: string; juridiction: string; numeroDossier: string; numeroPortalis: string; par: string },
): Promise<{ requete: Requete; nouveau: boolean } | null> {
  const avant = await c.maybeOne(sql.type(Requete)`SELECT ${colonnes} ${depuis} WHERE r.id = ${o.id} AND r.juridiction = ${o.juridiction} FOR UPDATE OF r`);
  if (!avant) return null;
  if (avant.statut === 'enregistree' && avant.numero_dossier === o.numeroDossier && avant.numero_portalis === o.numeroPortalis) return { requete: avant, nouveau: false };
  if (avant.statut !== 'envoyee') return null;
  const dossier = await c.maybeOne(sql.type(z.object({ id: z.string(), date_cloture: z.date().nullable() }))`
    SELECT id, date_cloture FROM dossier WHERE juridiction = ${o.juridiction} AND numero_portalis = ${o.numeroPortalis}`);
  await c.query(sql.unsafe`
    UPDATE requete SET statut = 'enregistree', registered_at = now(), numero_dossier = ${o.numeroDossier},
      numero_portalis = ${o.numeroPortalis}, enregistree_par = ${o.par},
      dossier_id = ${dossier?.id ?? null}, dossier_cloture_at = ${dossier?.date_cloture ? instant(dossier.date_cloture) : null}
    WHERE id = ${o.id}`);
  return { requete: (await obtenirRequete(c, o.id))!, nouveau: true };
}

/**
 * A case was pushed, closed or reopened: the registered requêtes that became it follow its
 * closure date. Returns all of them, changed or not, so a lost signal is repaired by the next
 * court write about the case (the workflows ignore what they already know).
 */
export async function suivreCloture(c: Connexion, o: { juridiction: string; numeroPortalis: string; dossierId: string; clotureLe: Date | null }): Promise<readonly { id: string; cloture: Date | null }[]> {
  return c.any(sql.type(z.object({ id: z.string(), cloture: z.date().nullable() }))`
    UPDATE requete SET dossier_id = ${o.dossierId}, dossier_cloture_at = ${o.clotureLe ? instant(o.clotureLe) : null}
    WHERE juridiction = ${o.juridiction} AND numero_portalis = ${o.numeroPortalis} AND statut = 'enregistree'
    RETURNING id, dossier_cloture_at AS cloture`);
}

/**
 * Purges a requête's content and leaves its tombstone (kind, juridiction, dates, reason): the
 * citizen's list can still say "brouillon supprimé le …". Idempotent.
 */
export async function purger(c: Connexion, id: string, motif: 'brouillon_expire' | 'supprimee_par_le_demandeur' | 'conservation_expiree'): Promise<boolean> {
  await c.query(sql.unsafe`DELETE FROM piece_jointe WHERE requete_id = ${id}`);
  await c.query(sql.unsafe`DELETE FROM tiers WHERE requete_id = ${id}`);
  await c.query(sql.unsafe`DELETE FROM notification WHERE requete_id = ${id} AND statut IN ('envoye', 'echec_definitif')`);
  // Rows still in flight keep their idempotency key but lose their content.
  await c.query(sql.unsafe`UPDATE notification SET corps = '[supprimé avec la requête]', sujet = NULL WHERE requete_id = ${id}`);
  const r = await c.query(sql.unsafe`
    UPDATE requete SET statut = 'supprimee', donnees = '{}', echec_raison = NULL, numero_dossier = NULL, numero_portalis = NULL,
      envoi_demande_at = NULL, purged_at = now(), purge_motif = ${motif}
    WHERE id = ${id} AND statut <> 'supprimee'`);
  return r.rowCount === 1;
}

// ---------------------------------------------------------------------------------------------
// Third parties

// The decree's identity fields are those of a case party: one schema for both.
export const LigneTiers = Partie.pick({ id: true, type: true, civilite: true, nom: true, nom_usage: true, prenoms: true, raison_sociale: true, forme_juridique: true, titre: true });
export type LigneTiers = z.infer<typeof LigneTiers>;

export const versTiers = (l: LigneTiers): Tiers => ({
  type: l.type, civilite: l.civilite, nom: l.nom, nomUsage: l.nom_usage, prenoms: l.prenoms,
  raisonSociale: l.raison_sociale, formeJuridique: l.forme_juridique, titre: l.titre,
});

export async function tiersDeLaRequete(c: Connexion, requeteId: string): Promise<readonly LigneTiers[]> {
  return c.any(sql.type(LigneTiers)`
    SELECT id, type, civilite, nom, nom_usage, prenoms, raison_sociale, forme_juridique, titre
    FROM tiers WHERE requete_id = ${requeteId} ORDER BY created_at, id`);
}

export async function ajouterTiers(c: Connexion, requeteId: string, t: Tiers): Promise<string> {
  return c.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO tiers (requete_id, type, civilite, nom, nom_usage, prenoms, raison_sociale, forme_juridique, titre)
    VALUES (${requeteId}, ${t.type}, ${t.civilite}, ${t.nom}, ${t.nomUsage}, ${t.prenoms}, ${t.raisonSociale}, ${t.formeJuridique}, ${t.titre})
    RETURNING id`);
}

export async function supprimerTiers(c: Connexion, requeteId: string, tiersId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(tiersId)) return false;
  const r = await c.query(sql.unsafe`DELETE FROM tiers WHERE id = ${tiersId} AND requete_id = ${requeteId}`);
  return r.rowCount === 1;
}

// ---------------------------------------------------------------------------------------------
// Attachments (content in the database, never under a served directory)

export const Piece = z.object({
  id: z.string().uuid(),
  nom: z.string(),
  type_mime: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  taille: z.number().int(),
  sha256: z.string(),
  created_at: z.date(),
});
export type Piece = z.infer<typeof Piece>;

export async function piecesDeLaRequete(c: Connexion, requeteId: string): Promise<readonly Piece[]> {
  return c.any(sql.type(Piece)`SELECT id, nom, type_mime, taille, sha256, created_at FROM piece_jointe WHERE requete_id = ${requeteId} ORDER BY created_at, id`);
}

export async function ajouterPiece(c: Connexion, requeteId: string, p: { nom: string; type: TypeMime; octets: Buffer; sha256: string }): Promise<string> {
  // Format checked by content (domain/requetes.ts); no antivirus is wired in yet, so the
  // analysis status records the format check only (see README, "Pièces jointes").
  return c.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO piece_jointe (requete_id, nom, type_mime, taille, sha256, contenu, statut_analyse)
    VALUES (${requeteId}, ${p.nom}, ${p.type}, ${p.octets.length}, ${p.sha256}, ${sql.binary(p.octets)}, 'sain')
    RETURNING id`);
}

export async function supprimerPiece(c: Connexion, requeteId: string, pieceId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(pieceId)) return false;
  const r = await c.query(sql.unsafe`DELETE FROM piece_jointe WHERE id = ${pieceId} AND requete_id = ${requeteId}`);
  return r.rowCount === 1;
}

export async function contenuPiece(c: Connexion, requeteId: string, pieceId: string): Promise<{ nom: string; type_mime: string; contenu: Buffer } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(pieceId)) return null;
  return c.maybeOne(sql.type(z.object({ nom: z.string(), type_mime: z.string(), contenu: z.instanceof(Buffer) }))`
    SELECT nom, type_mime, contenu FROM piece_jointe WHERE id = ${pieceId} AND requete_id = ${requeteId} AND statut_analyse = 'sain'`);
}

// ---------------------------------------------------------------------------------------------
// Court side

/** Sent requêtes of one juridiction, oldest first (the court's inbox). */
export async function requetesEnvoyees(c: Connexion, juridiction: string, statut: 'envoyee' | 'enregistree', limite: number): Promise<readonly Requete[]> {
  return c.any(sql.type(Requete)`
    SELECT ${colonnes} ${depuis} WHERE r.juridiction = ${juridiction} AND r.statut = ${statut}
    ORDER BY r.sent_at, r.id LIMIT ${limite}`);
}

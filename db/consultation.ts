// Queries of the case page (/espace/dossiers/{id}): everything is keyed by a link the caller
// has already checked with services/rattachement.ts `obtenir` (the one visibility rule). The
// document queries also join the link itself, so a document is only ever reached through the
// party the link follows the case as (document_destinataire), never through the case alone.
import { z } from 'zod';
import { Audience, Evenement, IdentitePartie, Partie } from './dossiers.js';
import { sql, type Connexion, instant } from './pool.js';


export const EvenementVie = Evenement.pick({ id: true, id_tribunal: true, type: true, date: true, libelle: true });
export type EvenementVie = z.infer<typeof EvenementVie>;

export async function evenements(c: Connexion, dossierId: string): Promise<readonly EvenementVie[]> {
  return c.any(sql.type(EvenementVie)`
    SELECT id, id_tribunal, type, date, libelle FROM evenement WHERE dossier_id = ${dossierId} ORDER BY date, created_at`);
}

export const AudienceVie = Audience.pick({ id: true, id_tribunal: true, debut: true, salle: true, adresse: true, libelle: true, annulee_at: true });
export type AudienceVie = z.infer<typeof AudienceVie>;

export async function audiences(c: Connexion, dossierId: string): Promise<readonly AudienceVie[]> {
  return c.any(sql.type(AudienceVie)`
    SELECT id, id_tribunal, debut, salle, adresse, libelle, annulee_at FROM audience WHERE dossier_id = ${dossierId} ORDER BY debut`);
}

export const PartieVisible = IdentitePartie.extend({ avocat: Partie.shape.avocat });
export type PartieVisible = z.infer<typeof PartieVisible>;

/** The parties the court still lists (withdrawn ones are left out), by role then court id. */
export async function parties(c: Connexion, dossierId: string): Promise<readonly PartieVisible[]> {
  return c.any(sql.type(PartieVisible)`
    SELECT role, type, civilite, nom, nom_usage, prenoms, raison_sociale, titre, avocat
    FROM partie WHERE dossier_id = ${dossierId} AND retiree_at IS NULL ORDER BY role, id_tribunal`);
}

export const DocumentVisible = z.object({
  id: z.string().uuid(),
  evenement_id: z.string().uuid().nullable(),
  type: z.enum(['recepisse', 'avis', 'convocation']),
  titre: z.string(),
  taille: z.number().int(),
  created_at: z.date(),
  date: z.date(),
  consulte_le: z.date().nullable(),
});
export type DocumentVisible = z.infer<typeof DocumentVisible>;

/**
 * The documents addressed to the link's party, with the first consultation through this link.
 * `date` is the date of the document's event (its place in the timeline).
 */
export async function documents(c: Connexion, rattachementId: string): Promise<readonly DocumentVisible[]> {
  return c.any(sql.type(DocumentVisible)`
    SELECT doc.id, doc.evenement_id, doc.type, doc.titre, doc.taille, doc.created_at,
           coalesce(e.date, doc.created_at) AS date, cd.consulte_le
    FROM rattachement r
    JOIN document_destinataire dd ON dd.partie_id = r.partie_id
    JOIN document doc ON doc.id = dd.document_id AND doc.dossier_id = r.dossier_id
    LEFT JOIN evenement e ON e.id = doc.evenement_id
    LEFT JOIN consultation_document cd ON cd.rattachement_id = r.id AND cd.document_id = doc.id
    WHERE r.id = ${rattachementId}
    ORDER BY date, doc.created_at`);
}

export const ContenuDocument = z.object({
  id: z.string().uuid(),
  titre: z.string(),
  type: z.string(),
  contenu: z.instanceof(Buffer),
  sha256: z.string(),
});
export type ContenuDocument = z.infer<typeof ContenuDocument>;

/** One document addressed to the link's party, with its bytes; null otherwise. */
export async function documentDuLien(c: Connexion, rattachementId: string, documentId: string): Promise<ContenuDocument | null> {
  return c.maybeOne(sql.type(ContenuDocument)`
    SELECT doc.id, doc.titre, doc.type, doc.contenu, doc.sha256
    FROM rattachement r
    JOIN document_destinataire dd ON dd.partie_id = r.partie_id
    JOIN document doc ON doc.id = dd.document_id AND doc.dossier_id = r.dossier_id
    WHERE r.id = ${rattachementId} AND doc.id = ${documentId}`);
}

/** Records the first consultation; returns its date and whether this call recorded it. */
export async function noterConsultation(c: Connexion, rattachementId: string, documentId: string, maintenant: Date): Promise<{ consulte_le: Date; premiere: boolean }> {
  return c.one(sql.type(z.object({ consulte_le: z.date(), premiere: z.boolean() }))`
    WITH ajout AS (
      INSERT INTO consultation_document (rattachement_id, document_id, consulte_le)
      VALUES (${rattachementId}, ${documentId}, ${instant(maintenant)})
      ON CONFLICT DO NOTHING
      RETURNING consulte_le
    )
    SELECT consulte_le, true AS premiere FROM ajout
    UNION ALL
    SELECT consulte_le, false FROM consultation_document
    WHERE rattachement_id = ${rattachementId} AND document_id = ${documentId} AND NOT EXISTS (SELECT 1 FROM ajout)`);
}

// ------------------------------------------------------------------------------------------------
// Update batches

export const Lot = z.object({ ouvert_le: z.date(), expire_le: z.date() });
export type Lot = z.infer<typeof Lot>;

export async function lotDuDossier(c: Connexion, dossierId: string): Promise<Lot | null> {
  return c.maybeOne(sql.type(Lot)`SELECT ouvert_le, expire_le FROM lot_mise_a_jour WHERE dossier_id = ${dossierId}`);
}

/** Opens the case's batch, or moves an open one's expiry; `ouvert`: there was no live batch. */
export async function ouvrirLot(c: Connexion, dossierId: string, maintenant: Date, expireLe: Date): Promise<{ ouvert: boolean; lot: Lot }> {
  const { ouvert, ...lot } = await c.one(sql.type(Lot.extend({ ouvert: z.boolean() }))`
    WITH avant AS (SELECT expire_le FROM lot_mise_a_jour WHERE dossier_id = ${dossierId})
    INSERT INTO lot_mise_a_jour (dossier_id, ouvert_le, expire_le)
    VALUES (${dossierId}, ${instant(maintenant)}, ${instant(expireLe)})
    ON CONFLICT (dossier_id) DO UPDATE SET
      ouvert_le = CASE WHEN lot_mise_a_jour.expire_le > ${instant(maintenant)} THEN lot_mise_a_jour.ouvert_le ELSE EXCLUDED.ouvert_le END,
      expire_le = EXCLUDED.expire_le
    RETURNING ouvert_le, expire_le,
      coalesce((SELECT expire_le <= ${instant(maintenant)} FROM avant), true) AS ouvert`);
  return { ouvert, lot };
}

/** Closes the case's batch; false when there was none open (or it had expired). */
export async function fermerLot(c: Connexion, dossierId: string, maintenant: Date): Promise<boolean> {
  const r = await c.maybeOne(sql.type(z.object({ vivant: z.boolean() }))`
    DELETE FROM lot_mise_a_jour WHERE dossier_id = ${dossierId} RETURNING expire_le > ${instant(maintenant)} AS vivant`);
  return !!r?.vivant;
}

// ------------------------------------------------------------------------------------------------
// Live refresh

export const Etat = z.object({
  version: z.number().int(),
  lot_expire_le: z.date().nullable(),
  /** The database's clock when read: the reference for "what changed since". */
  lu_le: z.date(),
});
export type Etat = z.infer<typeof Etat>;

/** One indexed row read: the case's version, its batch's expiry and the database's clock. */
export async function etatDuDossier(c: Connexion, dossierId: string): Promise<Etat | null> {
  return c.maybeOne(sql.type(Etat)`
    SELECT d.version, l.expire_le AS lot_expire_le, now() AS lu_le
    FROM dossier d LEFT JOIN lot_mise_a_jour l ON l.dossier_id = d.id WHERE d.id = ${dossierId}`);
}

/** What changed since an instant, read only once the version says something did. */
export async function changementsDepuis(c: Connexion, rattachementId: string, dossierId: string, depuis: Date) {
  return c.one(sql.type(z.object({ evenements: z.number().int(), audiences: z.number().int(), documents: z.number().int() }))`
    SELECT
      (SELECT count(*) FROM evenement WHERE dossier_id = ${dossierId} AND created_at > ${instant(depuis)})::int AS evenements,
      (SELECT count(*) FROM audience WHERE dossier_id = ${dossierId} AND updated_at > ${instant(depuis)})::int AS audiences,
      (SELECT count(*) FROM rattachement r
         JOIN document_destinataire dd ON dd.partie_id = r.partie_id
         JOIN document doc ON doc.id = dd.document_id AND doc.dossier_id = r.dossier_id
       WHERE r.id = ${rattachementId} AND doc.created_at > ${instant(depuis)})::int AS documents`);
}

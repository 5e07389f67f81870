// Links between a citizen's account and a case (table `rattachement`), one per identification
// number used (one per represented party), and the identification numbers as the link flow sees
// them. The visibility rules (seed 000 "Visualisation") live in one SQL fragment used by every
// query, so the dashboard, the case page and the add flow cannot disagree:
//   - the case is followed online (`suivi_en_ligne`);
//   - the party is still listed (`retiree_at`) and the court did not withdraw its access
//     (`acces_retire_at`);
//   - the case is open, or closed less than CASE_RETENTION ago.
// Purged cases need no rule: their rows are gone (ON DELETE CASCADE).
import { z } from 'zod';
import { retrancherDuree } from '../domain/durees.js';
import { sql, type Connexion } from './pool.js';

const instant = (d: Date) => sql.fragment`${d.toISOString()}::timestamptz`;

/** The instant before which a closed case is no longer shown. */
export function coupureRetention(maintenant: Date, retention: string): Date {
  return retrancherDuree(maintenant, retention);
}

/** The visibility rules, on aliases d (dossier) and p (partie). */
const visible = (coupure: Date) => sql.fragment`
  (d.suivi_en_ligne AND p.retiree_at IS NULL AND p.acces_retire_at IS NULL
   AND (d.date_cloture IS NULL OR d.date_cloture > ${instant(coupure)}))`;

// ------------------------------------------------------------------------------------------------
// Identification numbers, as the add flow needs them

export const IdentifiantCible = z.object({
  id: z.string().uuid(),
  consentement_id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  partie_id: z.string().uuid(),
  numero_dossier: z.string(),
  juridiction_nom: z.string(),
  juridiction_telephone: z.string().nullable(),
  /** The representative's phone when the consent names one, else the party's. */
  telephone: z.string().nullable(),
  echecs: z.number().int(),
  echecs_depuis: z.date().nullable(),
  verrouille_jusqu_a: z.date().nullable(),
  /** Usable to add the case now: number and consent live, case and party visible. */
  utilisable: z.boolean(),
});
export type IdentifiantCible = z.infer<typeof IdentifiantCible>;

function selectIdentifiant(maintenant: Date, coupure: Date) {
  return sql.fragment`
    SELECT i.id, i.consentement_id, c.dossier_id, c.partie_id, d.numero_dossier,
           j.nom AS juridiction_nom, j.telephone AS juridiction_telephone,
           CASE WHEN c.representant_nom IS NOT NULL THEN c.representant_telephone ELSE p.telephone END AS telephone,
           i.echecs, i.echecs_depuis, i.verrouille_jusqu_a,
           (c.revoked_at IS NULL AND i.revoked_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > ${instant(maintenant)})
            AND ${visible(coupure)}) AS utilisable
    FROM identifiant i
    JOIN consentement c ON c.id = i.consentement_id
    JOIN partie p ON p.id = c.partie_id
    JOIN dossier d ON d.id = c.dossier_id
    JOIN juridiction j ON j.code = d.juridiction`;
}

/** The number with this keyed hash, locked for the rest of the transaction; null if unknown. */
export async function trouverIdentifiant(c: Connexion, hash: Buffer, maintenant: Date, coupure: Date): Promise<IdentifiantCible | null> {
  return c.maybeOne(sql.type(IdentifiantCible)`
    ${selectIdentifiant(maintenant, coupure)} WHERE i.hash = ${sql.binary(hash)} FOR UPDATE OF i`);
}

/** The number with this id, locked for the rest of the transaction. */
export async function verrouillerIdentifiant(c: Connexion, id: string, maintenant: Date, coupure: Date): Promise<IdentifiantCible | null> {
  return c.maybeOne(sql.type(IdentifiantCible)`${selectIdentifiant(maintenant, coupure)} WHERE i.id = ${id} FOR UPDATE OF i`);
}

export async function enregistrerCompteurs(
  c: Connexion,
  identifiantId: string,
  k: { echecs: number; echecs_depuis: Date | null; verrouille_jusqu_a: Date | null },
): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE identifiant SET echecs = ${k.echecs},
      echecs_depuis = ${k.echecs_depuis ? instant(k.echecs_depuis) : null},
      verrouille_jusqu_a = ${k.verrouille_jusqu_a ? instant(k.verrouille_jusqu_a) : null}
    WHERE id = ${identifiantId}`);
}

// ------------------------------------------------------------------------------------------------
// Links

/** The account's live link through this number, if any. */
export async function rattachementActif(c: Connexion, compteId: string, identifiantId: string): Promise<string | null> {
  return c.maybeOneFirst(sql.type(z.object({ id: z.string().uuid() }))`
    SELECT id FROM rattachement WHERE compte_id = ${compteId} AND identifiant_id = ${identifiantId} AND detached_at IS NULL`);
}

/** Links the account to the case through one number; null when that link already exists. */
export async function creerRattachement(
  c: Connexion,
  r: { compteId: string; dossierId: string; partieId: string; identifiantId: string; creeLe: Date },
): Promise<string | null> {
  return c.maybeOneFirst(sql.type(z.object({ id: z.string().uuid() }))`
    INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id, created_at)
    VALUES (${r.compteId}, ${r.dossierId}, ${r.partieId}, ${r.identifiantId}, ${instant(r.creeLe)})
    ON CONFLICT (compte_id, identifiant_id) WHERE detached_at IS NULL DO NOTHING
    RETURNING id`);
}

export const RattachementVisible = z.object({
  id: z.string().uuid(),
  created_at: z.date(),
  dossier_id: z.string().uuid(),
  numero_dossier: z.string(),
  nature: z.string(),
  etat: z.string(),
  date_saisine: z.string(),
  date_cloture: z.date().nullable(),
  juridiction: z.string(),
  juridiction_nom: z.string(),
  partie: z.object({
    role: z.string(),
    type: z.enum(['physique', 'morale', 'autorite']),
    civilite: z.string().nullable(),
    nom: z.string().nullable(),
    nom_usage: z.string().nullable(),
    prenoms: z.string().nullable(),
    raison_sociale: z.string().nullable(),
    titre: z.string().nullable(),
  }),
  representant: z.object({ civilite: z.string().nullable(), nom: z.string().nullable(), prenoms: z.string().nullable() }).nullable(),
});
export type RattachementVisible = z.infer<typeof RattachementVisible>;

function selectRattachements(compteId: string, coupure: Date) {
  return sql.fragment`
    SELECT r.id, r.created_at, d.id AS dossier_id, d.numero_dossier, d.nature, d.etat, d.date_saisine, d.date_cloture,
           d.juridiction, j.nom AS juridiction_nom,
           json_build_object('role', p.role, 'type', p.type, 'civilite', p.civilite, 'nom', p.nom, 'nom_usage', p.nom_usage,
                             'prenoms', p.prenoms, 'raison_sociale', p.raison_sociale, 'titre', p.titre) AS partie,
           CASE WHEN c.representant_nom IS NOT NULL THEN
             json_build_object('civilite', c.representant_civilite, 'nom', c.representant_nom, 'prenoms', c.representant_prenoms)
           END AS representant
    FROM rattachement r
    JOIN dossier d ON d.id = r.dossier_id
    JOIN juridiction j ON j.code = d.juridiction
    JOIN partie p ON p.id = r.partie_id
    JOIN identifiant i ON i.id = r.identifiant_id
    JOIN consentement c ON c.id = i.consentement_id
    WHERE r.compte_id = ${compteId} AND r.detached_at IS NULL AND ${visible(coupure)}`;
}

/**
 * The account's links the citizen may see, newest first: the dashboard. Issue 5 adds search,
 * filters and pages here.
 */
export async function listerRattachements(c: Connexion, compteId: string, maintenant: Date, retention: string): Promise<readonly RattachementVisible[]> {
  return c.any(sql.type(RattachementVisible)`
    ${selectRattachements(compteId, coupureRetention(maintenant, retention))} ORDER BY r.created_at DESC, r.id`);
}

/** One of the account's visible links, or null (unknown id, someone else's, detached or hidden). */
export async function obtenirRattachement(c: Connexion, compteId: string, id: string, maintenant: Date, retention: string): Promise<RattachementVisible | null> {
  return c.maybeOne(sql.type(RattachementVisible)`
    ${selectRattachements(compteId, coupureRetention(maintenant, retention))} AND r.id = ${id}`);
}

/** Detaches one of the account's visible links; false when there was none to detach. */
export async function detacherRattachement(c: Connexion, compteId: string, id: string, maintenant: Date, retention: string): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE rattachement SET detached_at = ${instant(maintenant)}
    WHERE id IN (SELECT id FROM (${selectRattachements(compteId, coupureRetention(maintenant, retention))} AND r.id = ${id}) AS v)
      AND detached_at IS NULL`);
  return r.rowCount > 0;
}

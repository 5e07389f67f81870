// Hearings for calendar files, and personal calendar subscriptions (migration 0005). Which cases
// an account may see is NOT decided here: callers pass the case ids they got from
// db/rattachements.ts (through services/rattachement.ts), the one place that applies the
// visibility rules.
import { z } from 'zod';
import { sql, type Connexion, instant } from './pool.js';


export const AudienceAExporter = z.object({
  id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  debut: z.date(),
  salle: z.string().nullable(),
  adresse: z.string(),
  libelle: z.string(),
  annulee_at: z.date().nullable(),
  sequence: z.number().int(),
  updated_at: z.date(),
  numero_dossier: z.string(),
  juridiction_nom: z.string(),
  juridiction_telephone: z.string().nullable(),
});
export type AudienceAExporter = z.infer<typeof AudienceAExporter>;

/**
 * Hearings of these cases starting at or after `depuis`, by start. Without `avecAnnulees`,
 * cancelled ones are left out (exports); the subscription feed keeps them (STATUS:CANCELLED).
 * `ids` narrows to those hearings (a selection, or one hearing).
 */
export async function audiencesDesDossiers(
  c: Connexion,
  dossierIds: readonly string[],
  o: { depuis: Date; avecAnnulees: boolean; ids?: readonly string[] },
): Promise<readonly AudienceAExporter[]> {
  if (!dossierIds.length || (o.ids && !o.ids.length)) return [];
  return c.any(sql.type(AudienceAExporter)`
    SELECT a.id, a.dossier_id, a.debut, a.salle, a.adresse, a.libelle, a.annulee_at, a.sequence, a.updated_at,
           d.numero_dossier, j.nom AS juridiction_nom, j.telephone AS juridiction_telephone
    FROM audience a
    JOIN dossier d ON d.id = a.dossier_id
    JOIN juridiction j ON j.code = d.juridiction
    WHERE a.dossier_id = ANY(${sql.array([...dossierIds], 'uuid')})
      AND a.debut >= ${instant(o.depuis)}
      ${o.avecAnnulees ? sql.fragment`` : sql.fragment`AND a.annulee_at IS NULL`}
      ${o.ids ? sql.fragment`AND a.id = ANY(${sql.array([...o.ids], 'uuid')})` : sql.fragment``}
    ORDER BY a.debut, a.id`);
}

// ------------------------------------------------------------------------------------------------
// Subscriptions

export const Abonnement = z.object({ id: z.string().uuid(), compte_id: z.string().uuid(), created_at: z.date() });
export type Abonnement = z.infer<typeof Abonnement>;

/** The account's live subscription, if any. */
export async function abonnementActif(c: Connexion, compteId: string): Promise<Abonnement | null> {
  return c.maybeOne(sql.type(Abonnement)`
    SELECT id, compte_id, created_at FROM abonnement_calendrier WHERE compte_id = ${compteId} AND revoked_at IS NULL`);
}

/** Revokes the live subscription (if any) and records a new one with this token hash. */
export async function remplacerAbonnement(c: Connexion, compteId: string, hash: Buffer, maintenant: Date): Promise<Abonnement> {
  return c.transaction(async (t) => {
    await t.query(sql.unsafe`
      UPDATE abonnement_calendrier SET revoked_at = ${instant(maintenant)} WHERE compte_id = ${compteId} AND revoked_at IS NULL`);
    return t.one(sql.type(Abonnement)`
      INSERT INTO abonnement_calendrier (compte_id, hash, created_at) VALUES (${compteId}, ${sql.binary(hash)}, ${instant(maintenant)})
      RETURNING id, compte_id, created_at`);
  });
}

/** Revokes the live subscription; false when there was none. */
export async function revoquerAbonnement(c: Connexion, compteId: string, maintenant: Date): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE abonnement_calendrier SET revoked_at = ${instant(maintenant)} WHERE compte_id = ${compteId} AND revoked_at IS NULL`);
  return r.rowCount > 0;
}

/** The live subscription with this token hash, or null (unknown or revoked). */
export async function abonnementParEmpreinte(c: Connexion, hash: Buffer): Promise<Abonnement | null> {
  return c.maybeOne(sql.type(Abonnement)`
    SELECT id, compte_id, created_at FROM abonnement_calendrier WHERE hash = ${sql.binary(hash)} AND revoked_at IS NULL`);
}

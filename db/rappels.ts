// What a hearing reminder needs: the hearing, its court, and who receives the SMS (every party
// of the case with a live consent and a phone, the representative's when the consent names one;
// attached to an account or not, since reminders cannot be turned off).
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

export const AudienceRappel = z.object({
  id: z.string().uuid(),
  debut: z.date(),
  adresse: z.string(),
  annulee_at: z.date().nullable(),
  juridiction_nom: z.string(),
});
export type AudienceRappel = z.infer<typeof AudienceRappel>;

export async function audiencePourRappel(c: Connexion, dossierId: string, audienceId: string): Promise<AudienceRappel | null> {
  return c.maybeOne(sql.type(AudienceRappel)`
    SELECT a.id, a.debut, a.adresse, a.annulee_at, coalesce(j.nom, d.juridiction) AS juridiction_nom
    FROM audience a JOIN dossier d ON d.id = a.dossier_id LEFT JOIN juridiction j ON j.code = d.juridiction
    WHERE a.id = ${audienceId} AND a.dossier_id = ${dossierId}`);
}

/** One row per phone number (a representative of two parties gets one SMS). */
export async function destinatairesRappel(c: Connexion, dossierId: string): Promise<readonly { partie_id: string; telephone: string }[]> {
  return c.any(sql.type(z.object({ partie_id: z.string().uuid(), telephone: z.string() }))`
    SELECT DISTINCT ON (t.telephone) t.partie_id, t.telephone FROM (
      SELECT p.id AS partie_id,
             CASE WHEN c.representant_nom IS NOT NULL OR c.representant_telephone IS NOT NULL THEN c.representant_telephone ELSE p.telephone END AS telephone
      FROM consentement c JOIN partie p ON p.id = c.partie_id
      WHERE c.dossier_id = ${dossierId} AND c.revoked_at IS NULL AND p.retiree_at IS NULL) t
    WHERE t.telephone IS NOT NULL AND t.telephone <> ''
    ORDER BY t.telephone, t.partie_id`);
}

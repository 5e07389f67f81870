// Consents to electronic communication and the identification numbers they create.
import { z } from 'zod';
import type { ConsentementEntree } from '../domain/schemas/tribunal.js';
import { sql, type Connexion } from './pool.js';

export const Consentement = z.object({
  id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  partie_id: z.string().uuid(),
  representant_courriel: z.string().nullable(),
  date: z.date(),
});
export type Consentement = z.infer<typeof Consentement>;

/**
 * Records the live consent of a party, once: a replay (same party, consent still live) returns
 * the existing row with `cree: false`.
 */
export async function enregistrerConsentement(
  c: Connexion,
  dossierId: string,
  partieId: string,
  representant: ConsentementEntree['representant'],
): Promise<{ consentement: Consentement; cree: boolean }> {
  const r = representant ?? null;
  const cree = await c.maybeOne(sql.type(Consentement)`
    INSERT INTO consentement (dossier_id, partie_id, representant_civilite, representant_nom, representant_prenoms,
                              representant_courriel, representant_telephone)
    VALUES (${dossierId}, ${partieId}, ${r?.civilite ?? null}, ${r?.nom ?? null}, ${r?.prenoms ?? null},
            ${r?.courriel ?? null}, ${r?.telephone ?? null})
    ON CONFLICT (partie_id) WHERE revoked_at IS NULL DO NOTHING
    RETURNING id, dossier_id, partie_id, representant_courriel, date`);
  if (cree) return { consentement: cree, cree: true };
  const existant = await c.one(sql.type(Consentement)`
    SELECT id, dossier_id, partie_id, representant_courriel, date FROM consentement
    WHERE partie_id = ${partieId} AND revoked_at IS NULL`);
  return { consentement: existant, cree: false };
}

/** Stores an identification number's keyed hash (never the number) for a consent. */
export async function creerIdentifiant(c: Connexion, consentementId: string, hash: Buffer, destinataire: string): Promise<string> {
  return c.oneFirst(sql.type(z.object({ id: z.string().uuid() }))`
    INSERT INTO identifiant (consentement_id, hash, destinataire)
    VALUES (${consentementId}, ${sql.binary(hash)}, ${destinataire})
    RETURNING id`);
}

// Citizen accounts, keyed by the FranceConnect (issuer, sub) pair, and their CGU acceptances.
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

export const Compte = z.object({
  id: z.string().uuid(),
  fc_iss: z.string(),
  fc_sub: z.string(),
  given_name: z.string().nullable(),
  family_name: z.string().nullable(),
  preferred_name: z.string().nullable(),
  birthdate: z.string().nullable(),
  gender: z.string().nullable(),
  birthplace: z.string().nullable(),
  birthcountry: z.string().nullable(),
  email: z.string().nullable(),
  alertes_actives: z.boolean(),
  created_at: z.date(),
  last_login_at: z.date().nullable(),
});
export type Compte = z.infer<typeof Compte>;

const colonnes = sql.fragment`id, fc_iss, fc_sub, given_name, family_name, preferred_name, birthdate, gender, birthplace, birthcountry, email, alertes_actives, created_at, last_login_at`;

export interface IdentiteFranceConnect {
  iss: string;
  sub: string;
  given_name?: string | null;
  family_name?: string | null;
  preferred_name?: string | null;
  birthdate?: string | null;
  gender?: string | null;
  birthplace?: string | null;
  birthcountry?: string | null;
  email?: string | null;
}

/** Creates the account at first login, refreshes the identity at the next ones. */
export async function connecter(c: Connexion, i: IdentiteFranceConnect): Promise<{ compte: Compte; cree: boolean }> {
  const r = await c.one(sql.type(Compte.extend({ cree: z.boolean() }))`
    INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, preferred_name, birthdate, gender, birthplace, birthcountry, email, last_login_at)
    VALUES (${i.iss}, ${i.sub}, ${i.given_name ?? null}, ${i.family_name ?? null}, ${i.preferred_name ?? null},
            ${i.birthdate && /^\d{4}-\d{2}-\d{2}$/.test(i.birthdate) ? i.birthdate : null}, ${i.gender ?? null},
            ${i.birthplace ?? null}, ${i.birthcountry ?? null}, ${i.email ?? null}, now())
    ON CONFLICT (fc_iss, fc_sub) DO UPDATE SET
      given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, preferred_name = EXCLUDED.preferred_name,
      birthdate = EXCLUDED.birthdate, gender = EXCLUDED.gender, birthplace = EXCLUDED.birthplace,
      birthcountry = EXCLUDED.birthcountry, email = EXCLUDED.email, last_login_at = now()
    RETURNING ${colonnes}, (xmax = 0) AS cree`);
  const { cree, ...compte } = r;
  return { compte, cree };
}

export async function obtenirCompte(c: Connexion, id: string): Promise<Compte | null> {
  return c.maybeOne(sql.type(Compte)`SELECT ${colonnes} FROM compte WHERE id = ${id}`);
}

export async function aAccepteCgu(c: Connexion, compteId: string, version: string): Promise<boolean> {
  return c.exists(sql.unsafe`SELECT 1 FROM acceptation_cgu WHERE compte_id = ${compteId} AND version = ${version}`);
}

/** Records the acceptance of a CGU version once (decree: "l'indication de l'acceptation des CGU"). */
export async function accepterCgu(c: Connexion, compteId: string, version: string): Promise<void> {
  await c.query(sql.unsafe`INSERT INTO acceptation_cgu (compte_id, version) VALUES (${compteId}, ${version}) ON CONFLICT DO NOTHING`);
}

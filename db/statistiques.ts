// Agents' statistics (decree 004 art. 1: "Il permet enfin la réalisation de statistiques"; issue
// 8 item 5): counts per juridiction and per calendar month of Europe/Paris, computed by SQL over
// the tables and the audit journal. Only aggregates leave the database: no identifier, name,
// address, case number or account id is ever selected into the result.
//
// How each figure is attributed, and why:
//  * comptes_crees: an account belongs to no court, so it is counted for the juridiction of its
//    FIRST attachment (the case that brought the citizen to the portal), in the month the account
//    was created. The national view counts every account, attached or not, so it is larger than
//    the sum of the juridictions.
//  * connexions: successful citizen logins from the journal (`compte.creer` at first login,
//    `compte.connecter` afterwards, web/citoyen/connexion.ts). A login counts for every
//    juridiction where the account had a live attachment at that instant, once each; the national
//    view counts each login once, so again it is not the sum of the juridictions.
//  * rattaches / detaches: `rattachement.created_at` / `detached_at`, the case's juridiction.
//  * alertes_* / rappels_*: outbox rows of type `alerte` (update e-mails) and `rappel` (hearing
//    SMS), the case's juridiction; "envoyé" in the month of `sent_at`, "échec" (definitive only:
//    a temporary failure is still being retried) in the month the row was queued, the only date
//    such a row carries.
//  * requetes_*: begun at `created_at`, sent at `sent_at`, registered at `registered_at`, failed
//    (`statut = 'echec'`) at `updated_at`, expired at `purged_at` when the purge's reason is
//    `brouillon_expire` (a draft the citizen deleted, or a sent requête purged at the end of its
//    retention, is not an expiry). The delay is `registered_at - sent_at` of the requêtes
//    registered in the month, as median and 90th percentile, in seconds.
// Figures follow the data: once a case is purged (one year after closure) its attachments and
// notifications go with it, so old months shrink; the journal's logins stay until its own purge.
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

export const FUSEAU_STATISTIQUES = 'Europe/Paris';

/** A month as the pages and the SQL exchange it: 'YYYY-MM'. */
export const MOIS = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface Periode {
  /** First month, included ('YYYY-MM'). */
  du: string;
  /** Last month, included ('YYYY-MM'). */
  au: string;
}

export const INDICATEURS = [
  'comptes_crees',
  'connexions',
  'rattaches',
  'detaches',
  'alertes_envoyees',
  'alertes_echec',
  'rappels_envoyes',
  'rappels_echec',
  'requetes_commencees',
  'requetes_envoyees',
  'requetes_echec',
  'requetes_enregistrees',
  'requetes_expirees',
] as const;
export type Indicateur = (typeof INDICATEURS)[number];

const compte = z.number().int().nonnegative();

export const LigneStatistiques = z.object({
  /** Null on the national rows. */
  juridiction: z.string().nullable(),
  nom: z.string().nullable(),
  mois: z.string(),
  comptes_crees: compte,
  connexions: compte,
  rattaches: compte,
  detaches: compte,
  alertes_envoyees: compte,
  alertes_echec: compte,
  rappels_envoyes: compte,
  rappels_echec: compte,
  requetes_commencees: compte,
  requetes_envoyees: compte,
  requetes_echec: compte,
  requetes_enregistrees: compte,
  requetes_expirees: compte,
  delai_median_s: z.number().nullable(),
  delai_p90_s: z.number().nullable(),
});
export type LigneStatistiques = z.infer<typeof LigneStatistiques>;

function verifierPeriode(p: Periode): void {
  // The web layer validates with French messages; this guards other callers (CLI, tests) from
  // building a query on garbage.
  if (!MOIS.test(p.du) || !MOIS.test(p.au) || p.du > p.au) throw new Error(`période invalide : ${p.du} → ${p.au}`);
}

/**
 * One row per fact (indicateur, fait_id, juridiction, t, duree). `juridictions` null: every
 * juridiction, plus the facts that belong to none (accounts never attached, logins without a
 * live attachment, notifications whose case is gone), which only the national view counts.
 */
function faits(p: Periode, juridictions: readonly string[] | null) {
  const debut = sql.fragment`(SELECT debut FROM bornes)`;
  const fin = sql.fragment`(SELECT fin FROM bornes)`;
  const dans = (col: ReturnType<typeof sql.fragment>) => sql.fragment`${col} >= ${debut} AND ${col} < ${fin}`;
  const notification = (indicateur: string, type: string, statut: string, quand: ReturnType<typeof sql.fragment>) => sql.fragment`
    SELECT ${indicateur}::text, n.id::text, d.juridiction, ${quand}, NULL::float8
    FROM notification n LEFT JOIN dossier d ON d.id = n.dossier_id
    WHERE n.type = ${type} AND n.statut = ${statut} AND ${dans(quand)}`;
  const tous = sql.fragment`
    SELECT 'comptes_crees'::text AS indicateur, c.id::text AS fait_id, premier.juridiction, c.created_at AS t, NULL::float8 AS duree
    FROM compte c
    -- One sort of all links rather than a lookup per account: rattachement has no index on
    -- (compte_id, created_at) covering detached links, and a per-account scan would be quadratic.
    LEFT JOIN (
      SELECT DISTINCT ON (r.compte_id) r.compte_id, d.juridiction
      FROM rattachement r JOIN dossier d ON d.id = r.dossier_id
      ORDER BY r.compte_id, r.created_at, r.id
    ) premier ON premier.compte_id = c.id
    WHERE ${dans(sql.fragment`c.created_at`)}
    UNION ALL
    SELECT 'connexions', j.id::text, d.juridiction, j.at, NULL
    FROM journal j
    LEFT JOIN rattachement r ON r.compte_id::text = j.acteur_id AND r.created_at <= j.at AND (r.detached_at IS NULL OR r.detached_at > j.at)
    LEFT JOIN dossier d ON d.id = r.dossier_id
    WHERE j.acteur_type = 'citoyen' AND j.action IN ('compte.creer', 'compte.connecter') AND j.resultat = 'succes'
      AND ${dans(sql.fragment`j.at`)}
    UNION ALL
    SELECT 'rattaches', r.id::text, d.juridiction, r.created_at, NULL
    FROM rattachement r JOIN dossier d ON d.id = r.dossier_id
    WHERE ${dans(sql.fragment`r.created_at`)}
    UNION ALL
    SELECT 'detaches', r.id::text, d.juridiction, r.detached_at, NULL
    FROM rattachement r JOIN dossier d ON d.id = r.dossier_id
    WHERE ${dans(sql.fragment`r.detached_at`)}
    UNION ALL ${notification('alertes_envoyees', 'alerte', 'envoye', sql.fragment`n.sent_at`)}
    UNION ALL ${notification('alertes_echec', 'alerte', 'echec_definitif', sql.fragment`n.created_at`)}
    UNION ALL ${notification('rappels_envoyes', 'rappel', 'envoye', sql.fragment`n.sent_at`)}
    UNION ALL ${notification('rappels_echec', 'rappel', 'echec_definitif', sql.fragment`n.created_at`)}
    UNION ALL
    SELECT 'requetes_commencees', q.id::text, q.juridiction, q.created_at, NULL FROM requete q WHERE ${dans(sql.fragment`q.created_at`)}
    UNION ALL
    SELECT 'requetes_envoyees', q.id::text, q.juridiction, q.sent_at, NULL FROM requete q WHERE ${dans(sql.fragment`q.sent_at`)}
    UNION ALL
    SELECT 'requetes_echec', q.id::text, q.juridiction, q.updated_at, NULL FROM requete q
    WHERE q.statut = 'echec' AND ${dans(sql.fragment`q.updated_at`)}
    UNION ALL
    SELECT 'requetes_enregistrees', q.id::text, q.juridiction, q.registered_at, extract(epoch FROM q.registered_at - q.sent_at)::float8
    FROM requete q WHERE ${dans(sql.fragment`q.registered_at`)}
    UNION ALL
    SELECT 'requetes_expirees', q.id::text, q.juridiction, q.purged_at, NULL FROM requete q
    WHERE q.statut = 'supprimee' AND q.purge_motif = 'brouillon_expire' AND ${dans(sql.fragment`q.purged_at`)}`;
  return sql.fragment`
    bornes AS MATERIALIZED (
      SELECT (${p.du} || '-01')::timestamp AT TIME ZONE ${FUSEAU_STATISTIQUES} AS debut,
             ((${p.au} || '-01')::timestamp + interval '1 month') AT TIME ZONE ${FUSEAU_STATISTIQUES} AS fin
    ),
    mois AS (
      SELECT to_char(m, 'YYYY-MM') AS mois
      FROM generate_series((${p.du} || '-01')::date, (${p.au} || '-01')::date, interval '1 month') m
    ),
    faits AS (
      SELECT f.indicateur, f.fait_id, f.juridiction, to_char(f.t AT TIME ZONE ${FUSEAU_STATISTIQUES}, 'YYYY-MM') AS mois, f.duree
      FROM (${tous}) f
      ${juridictions ? sql.fragment`WHERE f.juridiction = ANY(${sql.array([...juridictions], 'text')})` : sql.fragment``}
    )`;
}

/** The aggregates over `faits`; DISTINCT because a login is one fact per juridiction it counts for. */
const agregats = sql.fragment`
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'comptes_crees') AS comptes_crees,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'connexions') AS connexions,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'rattaches') AS rattaches,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'detaches') AS detaches,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'alertes_envoyees') AS alertes_envoyees,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'alertes_echec') AS alertes_echec,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'rappels_envoyes') AS rappels_envoyes,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'rappels_echec') AS rappels_echec,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'requetes_commencees') AS requetes_commencees,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'requetes_envoyees') AS requetes_envoyees,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'requetes_echec') AS requetes_echec,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'requetes_enregistrees') AS requetes_enregistrees,
  count(DISTINCT fait_id) FILTER (WHERE indicateur = 'requetes_expirees') AS requetes_expirees,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY duree) FILTER (WHERE indicateur = 'requetes_enregistrees') AS delai_median_s,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY duree) FILTER (WHERE indicateur = 'requetes_enregistrees') AS delai_p90_s`;

const colonnesFinales = sql.fragment`
  coalesce(a.comptes_crees, 0) AS comptes_crees, coalesce(a.connexions, 0) AS connexions,
  coalesce(a.rattaches, 0) AS rattaches, coalesce(a.detaches, 0) AS detaches,
  coalesce(a.alertes_envoyees, 0) AS alertes_envoyees, coalesce(a.alertes_echec, 0) AS alertes_echec,
  coalesce(a.rappels_envoyes, 0) AS rappels_envoyes, coalesce(a.rappels_echec, 0) AS rappels_echec,
  coalesce(a.requetes_commencees, 0) AS requetes_commencees, coalesce(a.requetes_envoyees, 0) AS requetes_envoyees,
  coalesce(a.requetes_echec, 0) AS requetes_echec, coalesce(a.requetes_enregistrees, 0) AS requetes_enregistrees,
  coalesce(a.requetes_expirees, 0) AS requetes_expirees,
  a.delai_median_s, a.delai_p90_s`;

/**
 * One row per juridiction and month of the period (zeros included, so charts and tables have
 * every month), ordered by juridiction code then month. `juridictions` null: all juridictions.
 * Only facts attributed to a juridiction are counted there (see the header).
 */
export async function statistiquesParJuridiction(c: Connexion, p: Periode, juridictions: readonly string[] | null): Promise<readonly LigneStatistiques[]> {
  verifierPeriode(p);
  return c.any(sql.type(LigneStatistiques)`
    WITH ${faits(p, juridictions)},
    a AS (
      SELECT juridiction, mois, ${agregats} FROM faits WHERE juridiction IS NOT NULL GROUP BY juridiction, mois
    )
    SELECT j.code AS juridiction, j.nom, m.mois, ${colonnesFinales}
    FROM juridiction j CROSS JOIN mois m
    LEFT JOIN a ON a.juridiction = j.code AND a.mois = m.mois
    ${juridictions ? sql.fragment`WHERE j.code = ANY(${sql.array([...juridictions], 'text')})` : sql.fragment``}
    ORDER BY j.code, m.mois`);
}

/** One row per month of the period for the whole country (juridiction and nom null). */
export async function statistiquesNationales(c: Connexion, p: Periode): Promise<readonly LigneStatistiques[]> {
  verifierPeriode(p);
  return c.any(sql.type(LigneStatistiques)`
    WITH ${faits(p, null)},
    a AS (SELECT mois, ${agregats} FROM faits GROUP BY mois)
    SELECT NULL::text AS juridiction, NULL::text AS nom, m.mois, ${colonnesFinales}
    FROM mois m LEFT JOIN a ON a.mois = m.mois
    ORDER BY m.mois`);
}

/** Codes and names of every juridiction, for the national role's filter. */
export async function listerCodesJuridictions(c: Connexion): Promise<readonly { code: string; nom: string }[]> {
  return c.any(sql.type(z.object({ code: z.string(), nom: z.string() }))`SELECT code, nom FROM juridiction ORDER BY code`);
}

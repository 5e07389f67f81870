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
import { Dossier, IdentitePartie } from './dossiers.js';
import { sql, type Connexion, instant } from './pool.js';


/** The instant before which a closed case is no longer shown. */
export function coupureRetention(maintenant: Date, retention: string): Date {
  return retrancherDuree(maintenant, retention);
}

/** The visibility rules, on aliases d (dossier) and p (partie). Exported for db/mes-donnees.ts. */
export const visible = (coupure: Date) => sql.fragment`
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

export const RattachementVisible = Dossier.pick({ numero_dossier: true, nature: true, etat: true, date_saisine: true, date_cloture: true, juridiction: true }).extend({
  id: z.string().uuid(),
  created_at: z.date(),
  dossier_id: z.string().uuid(),
  juridiction_nom: z.string(),
  partie: IdentitePartie,
  representant: z.object({ civilite: z.string().nullable(), nom: z.string().nullable(), prenoms: z.string().nullable() }).nullable(),
});
export type RattachementVisible = z.infer<typeof RattachementVisible>;

/**
 * FROM and WHERE of every query on an account's visible links: the one place the visibility rule
 * is applied to links. juridiction, identifiant and consentement are LEFT JOINs although each
 * row always has one (NOT NULL foreign keys): same rows, and PostgreSQL drops the joins a query
 * does not use (the dashboard's counts and version read neither).
 */
function depuisVisibles(compteId: string, coupure: Date) {
  return sql.fragment`
    FROM rattachement r
    JOIN dossier d ON d.id = r.dossier_id
    JOIN partie p ON p.id = r.partie_id
    LEFT JOIN juridiction j ON j.code = d.juridiction
    LEFT JOIN identifiant i ON i.id = r.identifiant_id
    LEFT JOIN consentement c ON c.id = i.consentement_id
    WHERE r.compte_id = ${compteId} AND r.detached_at IS NULL AND ${visible(coupure)}`;
}

/** `colonnes`: extra select-list items (starting with a comma), on the same aliases. */
function selectRattachements(compteId: string, coupure: Date, colonnes = sql.fragment``) {
  return sql.fragment`
    SELECT r.id, r.created_at, d.id AS dossier_id, d.numero_dossier, d.nature, d.etat, d.date_saisine, d.date_cloture,
           d.juridiction, j.nom AS juridiction_nom,
           json_build_object('role', p.role, 'type', p.type, 'civilite', p.civilite, 'nom', p.nom, 'nom_usage', p.nom_usage,
                             'prenoms', p.prenoms, 'raison_sociale', p.raison_sociale, 'titre', p.titre) AS partie,
           CASE WHEN c.representant_nom IS NOT NULL THEN
             json_build_object('civilite', c.representant_civilite, 'nom', c.representant_nom, 'prenoms', c.representant_prenoms)
           END AS representant ${colonnes}
    ${depuisVisibles(compteId, coupure)}`;
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

// ------------------------------------------------------------------------------------------------
// The dashboard (issue 5): search, filters, sort and pages, all in SQL on top of the same
// visibility rule (selectRattachements), so a hidden link can neither be listed nor counted.

export const TRIS = ['maj', 'audience', 'numero', 'juridiction'] as const;
export type Tri = (typeof TRIS)[number];
export const FILTRES = ['proches', 'recents', 'en_cours', 'termines'] as const;
export type Filtre = (typeof FILTRES)[number];
/** Window of the "Événements proches" and "Documents récents" filters, in days. */
export const FENETRE_JOURS = 30;

export interface CriteresTableau {
  /** Words that must all appear in the names of one party of the case (any party). */
  nom?: string;
  /** Words that must all appear in the juridiction's name or code. */
  juridiction?: string;
  /** Keyed hash of the typed identification number; `null`: a malformed number, nothing matches. */
  numero?: Buffer | null;
  filtres?: readonly Filtre[];
  tri?: Tri;
}

export const CarteTableau = RattachementVisible.extend({
  juridiction_adresse: z.string(),
  juridiction_telephone: z.string().nullable(),
  juridiction_courriel: z.string().nullable(),
  juridiction_latitude: z.number().nullable(),
  juridiction_longitude: z.number().nullable(),
  /** The next hearing that is neither past nor cancelled. */
  prochaine_audience: z.date().nullable(),
  /** Last change a citizen could see: `dossier.updated_at` moves with every such change (version). */
  derniere_maj: z.date(),
});
export type CarteTableau = z.infer<typeof CarteTableau>;

/** LIKE pattern for a word, its metacharacters escaped (the default escape is the backslash). */
const motif = (mot: string) => `%${mot.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const mots = (t: string | undefined) => (t ?? '').split(/\s+/).filter(Boolean).slice(0, 6);

function conditions(criteres: CriteresTableau, maintenant: Date) {
  const f: ReturnType<typeof sql.fragment>[] = [];
  const nom = mots(criteres.nom);
  if (nom.length) {
    // One party must carry every word; texte_recherche() lowers and strips accents on both sides.
    f.push(sql.fragment`EXISTS (SELECT 1 FROM partie q WHERE q.dossier_id = d.id AND q.retiree_at IS NULL AND ${sql.join(
      nom.map((m) => sql.fragment`q.recherche LIKE texte_recherche(${motif(m)})`),
      sql.fragment` AND `,
    )})`);
  }
  const juridiction = mots(criteres.juridiction);
  if (juridiction.length) {
    f.push(sql.fragment`(${sql.join(juridiction.map((m) => sql.fragment`texte_recherche(j.nom || ' ' || j.code) LIKE texte_recherche(${motif(m)})`), sql.fragment` AND `)})`);
  }
  if (criteres.numero === null) f.push(sql.fragment`false`);
  else if (criteres.numero) f.push(sql.fragment`i.hash = ${sql.binary(criteres.numero)}`);
  const filtres = new Set(criteres.filtres ?? []);
  const fin = new Date(maintenant.getTime() + FENETRE_JOURS * 86_400_000);
  const debut = new Date(maintenant.getTime() - FENETRE_JOURS * 86_400_000);
  if (filtres.has('proches')) {
    f.push(sql.fragment`EXISTS (SELECT 1 FROM audience a WHERE a.dossier_id = d.id AND a.annulee_at IS NULL
      AND a.debut >= ${instant(maintenant)} AND a.debut < ${instant(fin)})`);
  }
  if (filtres.has('recents')) {
    // Only documents addressed to the party the link follows: never someone else's.
    f.push(sql.fragment`EXISTS (SELECT 1 FROM document_destinataire dd JOIN document doc ON doc.id = dd.document_id
      WHERE dd.partie_id = r.partie_id AND doc.dossier_id = d.id AND doc.created_at >= ${instant(debut)})`);
  }
  if (filtres.has('en_cours') && !filtres.has('termines')) f.push(sql.fragment`d.date_cloture IS NULL`);
  if (filtres.has('termines') && !filtres.has('en_cours')) f.push(sql.fragment`d.date_cloture IS NOT NULL`);
  return f.length ? sql.fragment`AND ${sql.join(f, sql.fragment` AND `)}` : sql.fragment``;
}

const prochaineAudience = (maintenant: Date) =>
  sql.fragment`(SELECT min(a.debut) FROM audience a WHERE a.dossier_id = d.id AND a.annulee_at IS NULL AND a.debut > ${instant(maintenant)})`;

function ordre(tri: Tri | undefined, maintenant: Date) {
  switch (tri) {
    case 'audience':
      return sql.fragment`ORDER BY ${prochaineAudience(maintenant)} ASC NULLS LAST, d.updated_at DESC, r.id`;
    case 'numero':
      return sql.fragment`ORDER BY d.numero_dossier, j.nom, r.id`;
    case 'juridiction':
      return sql.fragment`ORDER BY j.nom, d.numero_dossier, r.id`;
    default:
      return sql.fragment`ORDER BY d.updated_at DESC, r.id`;
  }
}

/** The account's visible links (`total`) and those matching the criteria (`trouves`), in one query. */
export async function compterTableau(
  c: Connexion, compteId: string, maintenant: Date, retention: string, criteres: CriteresTableau,
): Promise<{ total: number; trouves: number; version: string }> {
  const coupure = coupureRetention(maintenant, retention);
  const cond = conditions(criteres, maintenant);
  return c.one(sql.type(z.object({ total: z.coerce.number(), trouves: z.coerce.number(), version: z.string() }))`
    SELECT count(*) AS total, count(*) FILTER (WHERE true ${cond}) AS trouves, ${empreinteVersion} AS version
    ${depuisVisibles(compteId, coupure)}`);
}

/** One page of the account's visible links matching the criteria, in the chosen order. */
export async function listerTableau(
  c: Connexion, compteId: string, maintenant: Date, retention: string, criteres: CriteresTableau, page: { limite: number; decalage: number },
): Promise<readonly CarteTableau[]> {
  const coupure = coupureRetention(maintenant, retention);
  const colonnes = sql.fragment`,
    j.adresse AS juridiction_adresse, j.telephone AS juridiction_telephone, j.courriel AS juridiction_courriel,
    j.latitude AS juridiction_latitude, j.longitude AS juridiction_longitude,
    ${prochaineAudience(maintenant)} AS prochaine_audience, d.updated_at AS derniere_maj`;
  // Two steps: the page's ids from the light join (sort keys only), then the cards of those 20.
  return c.any(sql.type(CarteTableau)`
    ${selectRattachements(compteId, coupure, colonnes)}
      AND r.id IN (SELECT r.id ${depuisVisibles(compteId, coupure)} ${conditions(criteres, maintenant)}
                   ${ordre(criteres.tri, maintenant)} LIMIT ${page.limite} OFFSET ${page.decalage})
    ${ordre(criteres.tri, maintenant)}`);
}

/**
 * A fingerprint of what the dashboard shows, for the live refresh: how many links are visible
 * and the latest change among them (a case's `updated_at` moves with every change a citizen
 * could see; a new link has its `created_at`). A link detached or hidden changes the count.
 * Computed in the same scan as the counts, so the page costs no extra query.
 */
const empreinteVersion = sql.fragment`(count(*)::text || '-' || coalesce((extract(epoch FROM max(greatest(d.updated_at, r.created_at))) * 1e6)::bigint::text, '0'))`;

export async function versionTableau(c: Connexion, compteId: string, maintenant: Date, retention: string): Promise<string> {
  return c.oneFirst(sql.type(z.object({ v: z.string() }))`
    SELECT ${empreinteVersion} AS v ${depuisVisibles(compteId, coupureRetention(maintenant, retention))}`);
}

/** The numbers of the account's visible cases changed after `depuis` (newest first, at most `limite`). */
export async function modifiesDepuis(c: Connexion, compteId: string, maintenant: Date, retention: string, depuis: Date, limite = 5): Promise<{ total: number; numeros: string[] }> {
  const lignes = await c.any(sql.type(z.object({ numero_dossier: z.string(), total: z.coerce.number() }))`
    SELECT v.numero_dossier, count(*) OVER () AS total FROM (${selectRattachements(compteId, coupureRetention(maintenant, retention), sql.fragment`, d.updated_at AS maj`)}
      AND (d.updated_at > ${instant(depuis)} OR r.created_at > ${instant(depuis)})) AS v
    ORDER BY v.maj DESC LIMIT ${limite}`);
  return { total: lignes[0]?.total ?? 0, numeros: lignes.map((l) => l.numero_dossier) };
}

// ------------------------------------------------------------------------------------------------
// Update alerts (issue 6): who receives them, and the switches (global on `compte`, per case on
// the account's links to it). Turning alerts off touches neither consent nor SMS reminders.

export const DestinataireAlerte = z.object({ compte_id: z.string().uuid(), email: z.string(), rattachement_id: z.string().uuid() });
export type DestinataireAlerte = z.infer<typeof DestinataireAlerte>;

/**
 * One row per account that should be alerted about this case: a link attached and visible (the
 * same rule as every page), alerts on for the account and for one of its links to the case, and
 * an e-mail address.
 */
export async function destinatairesAlerte(c: Connexion, dossierId: string, maintenant: Date, retention: string): Promise<readonly DestinataireAlerte[]> {
  return c.any(sql.type(DestinataireAlerte)`
    SELECT r.compte_id, k.email, (array_agg(r.id ORDER BY r.created_at, r.id))[1] AS rattachement_id
    FROM rattachement r
    JOIN dossier d ON d.id = r.dossier_id
    JOIN partie p ON p.id = r.partie_id
    JOIN compte k ON k.id = r.compte_id
    WHERE r.dossier_id = ${dossierId} AND r.detached_at IS NULL AND ${visible(coupureRetention(maintenant, retention))}
      AND r.alertes_actives AND k.alertes_actives AND k.email IS NOT NULL AND k.email <> ''
    GROUP BY r.compte_id, k.email
    ORDER BY r.compte_id`);
}

/** Turns the account's alerts for one case on or off (all its links to the case); false if none. */
export async function reglerAlertesDossier(c: Connexion, compteId: string, dossierId: string, actives: boolean): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE rattachement SET alertes_actives = ${actives}
    WHERE compte_id = ${compteId} AND dossier_id = ${dossierId} AND detached_at IS NULL`);
  return r.rowCount > 0;
}

/** Turns all of the account's alerts on or off (the global switch). */
export async function reglerAlertesCompte(c: Connexion, compteId: string, actives: boolean): Promise<void> {
  await c.query(sql.unsafe`UPDATE compte SET alertes_actives = ${actives} WHERE id = ${compteId}`);
}

export async function alertesCompte(c: Connexion, compteId: string): Promise<boolean> {
  return c.oneFirst(sql.type(z.object({ a: z.boolean() }))`SELECT alertes_actives AS a FROM compte WHERE id = ${compteId}`);
}

/** The account's visible cases with their alert switch (on when one of its links is on). */
export async function alertesParDossier(c: Connexion, compteId: string, maintenant: Date, retention: string): Promise<readonly { dossier_id: string; numero_dossier: string; juridiction_nom: string; alertes: boolean }[]> {
  return c.any(sql.type(z.object({ dossier_id: z.string().uuid(), numero_dossier: z.string(), juridiction_nom: z.string(), alertes: z.boolean() }))`
    SELECT d.id AS dossier_id, d.numero_dossier, coalesce(j.nom, d.juridiction) AS juridiction_nom, bool_or(r.alertes_actives) AS alertes
    ${depuisVisibles(compteId, coupureRetention(maintenant, retention))}
    GROUP BY d.id, d.numero_dossier, j.nom, d.juridiction
    ORDER BY d.numero_dossier, d.id`);
}

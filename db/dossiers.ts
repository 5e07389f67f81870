// Cases (dossiers) as the courts push them: the case itself, its parties, events, documents and
// hearings, closure and purge. Every write is idempotent, because the court API promises that
// the same request twice has one effect: upserts change nothing (and say so) when the data is
// already there, and events are keyed by the court's own id.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AffaireEntree, AudienceEntree, PartieEntree } from '../domain/schemas/tribunal.js';
import { sql, type Connexion, instant } from './pool.js';

export const Dossier = z.object({
  id: z.string().uuid(),
  juridiction: z.string(),
  numero_portalis: z.string(),
  numero_dossier: z.string(),
  nature: z.string(),
  etat: z.string(),
  date_saisine: z.string(),
  suivi_en_ligne: z.boolean(),
  date_cloture: z.date().nullable(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type Dossier = z.infer<typeof Dossier>;

const colonnesDossier = sql.fragment`id, juridiction, numero_portalis, numero_dossier, nature, etat, date_saisine,
  suivi_en_ligne, date_cloture, version, created_at, updated_at`;

export const Partie = z.object({
  id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  id_tribunal: z.string(),
  role: z.string(),
  type: z.enum(['physique', 'morale', 'autorite']),
  civilite: z.enum(['M.', 'Mme']).nullable(),
  nom: z.string().nullable(),
  nom_usage: z.string().nullable(),
  prenoms: z.string().nullable(),
  raison_sociale: z.string().nullable(),
  forme_juridique: z.string().nullable(),
  titre: z.string().nullable(),
  majeur_protege: z.boolean(),
  courriel: z.string().nullable(),
  telephone: z.string().nullable(),
  avocat: z.string().nullable(),
  retiree_at: z.date().nullable(),
  /** The court withdrew citizens' online access through this party (court API `accesRetire`). */
  acces_retire_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type Partie = z.infer<typeof Partie>;

/** A party as citizens see it (dashboard, case page, "Mes données"): role and the decree's identity fields, no coordinates. */
export const IdentitePartie = Partie.pick({
  role: true, type: true, civilite: true, nom: true, nom_usage: true, prenoms: true, raison_sociale: true, titre: true,
});

const colonnesPartie = sql.fragment`id, dossier_id, id_tribunal, role, type, civilite, nom, nom_usage, prenoms,
  raison_sociale, forme_juridique, titre, majeur_protege, courriel, telephone, avocat, retiree_at, acces_retire_at, created_at, updated_at`;

export const Evenement = z.object({
  id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  id_tribunal: z.string(),
  type: z.string(),
  date: z.date(),
  libelle: z.string(),
  empreinte: z.string(),
  created_at: z.date(),
});
export type Evenement = z.infer<typeof Evenement>;

export const Audience = z.object({
  id: z.string().uuid(),
  dossier_id: z.string().uuid(),
  id_tribunal: z.string(),
  debut: z.date(),
  salle: z.string().nullable(),
  adresse: z.string(),
  libelle: z.string(),
  annulee_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type Audience = z.infer<typeof Audience>;

const colonnesAudience = sql.fragment`id, dossier_id, id_tribunal, debut, salle, adresse, libelle, annulee_at, created_at, updated_at`;


// ------------------------------------------------------------------------------------------------
// The case

export type DonneesDossier = Omit<AffaireEntree, 'parties'>;

export type ResultatEnregistrement =
  | { purge: true }
  | { purge: false; dossier: Dossier; cree: boolean; modifie: boolean };

/** Creates or updates a case by (juridiction, Portalis number); a purged case is never recreated. */
export async function enregistrerDossier(
  c: Connexion,
  juridiction: string,
  numeroPortalis: string,
  d: DonneesDossier,
): Promise<ResultatEnregistrement> {
  // INSERT … SELECT … WHERE NOT EXISTS checks the tombstone in the same statement as the write.
  const ecrit = await c.maybeOne(sql.type(Dossier.extend({ cree: z.boolean() }))`
    INSERT INTO dossier (juridiction, numero_portalis, numero_dossier, nature, etat, date_saisine, suivi_en_ligne)
    SELECT ${juridiction}::text, ${numeroPortalis}::text, ${d.numeroDossier}::text, ${d.nature}::text, ${d.etat}::text,
           ${d.dateSaisine}::date, ${d.suiviEnLigne}::boolean
    WHERE NOT EXISTS (SELECT 1 FROM dossier_purge WHERE juridiction = ${juridiction} AND numero_portalis = ${numeroPortalis})
    ON CONFLICT (juridiction, numero_portalis) DO UPDATE SET
      numero_dossier = EXCLUDED.numero_dossier, nature = EXCLUDED.nature, etat = EXCLUDED.etat,
      date_saisine = EXCLUDED.date_saisine, suivi_en_ligne = EXCLUDED.suivi_en_ligne, version = dossier.version + 1
    WHERE (dossier.numero_dossier, dossier.nature, dossier.etat, dossier.date_saisine, dossier.suivi_en_ligne)
      IS DISTINCT FROM (EXCLUDED.numero_dossier, EXCLUDED.nature, EXCLUDED.etat, EXCLUDED.date_saisine, EXCLUDED.suivi_en_ligne)
    RETURNING ${colonnesDossier}, (xmax = 0) AS cree`);
  if (ecrit) {
    const { cree, ...dossier } = ecrit;
    return { purge: false, dossier, cree, modifie: true };
  }
  const dossier = await trouverDossier(c, juridiction, numeroPortalis);
  if (!dossier) return { purge: true };
  return { purge: false, dossier, cree: false, modifie: false };
}

/** The case with this Portalis number in this juridiction, or null. */
export async function trouverDossier(c: Connexion, juridiction: string, numeroPortalis: string): Promise<Dossier | null> {
  return c.maybeOne(sql.type(Dossier)`
    SELECT ${colonnesDossier} FROM dossier WHERE juridiction = ${juridiction} AND numero_portalis = ${numeroPortalis}`);
}

/** Locks the case's row until the end of the transaction: concurrent pushes apply one after the other. */
export async function verrouillerDossier(c: Connexion, id: string): Promise<void> {
  await c.query(sql.unsafe`SELECT 1 FROM dossier WHERE id = ${id} FOR UPDATE`);
}

/** The case with this id, or null. */
export async function obtenirDossier(c: Connexion, id: string): Promise<Dossier | null> {
  return c.maybeOne(sql.type(Dossier)`SELECT ${colonnesDossier} FROM dossier WHERE id = ${id}`);
}

/** Whether this case was purged (its tombstone exists). */
export async function estPurge(c: Connexion, juridiction: string, numeroPortalis: string): Promise<boolean> {
  return c.exists(sql.unsafe`SELECT 1 FROM dossier_purge WHERE juridiction = ${juridiction} AND numero_portalis = ${numeroPortalis}`);
}

/** Bumps the case's version (something visible changed: alerts key on it); returns the new version. */
export async function marquerModifie(c: Connexion, dossierId: string): Promise<number> {
  return c.oneFirst(sql.type(z.object({ version: z.number().int() }))`
    UPDATE dossier SET version = version + 1 WHERE id = ${dossierId} RETURNING version`);
}

/** Records the closure date; false when it was already closed at that date. */
export async function cloturerDossier(c: Connexion, dossierId: string, date: Date): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE dossier SET date_cloture = ${instant(date)}, version = version + 1
    WHERE id = ${dossierId} AND date_cloture IS DISTINCT FROM ${instant(date)}`);
  return r.rowCount > 0;
}

/** Reopens a closed case; false when it was not closed. */
export async function rouvrirDossier(c: Connexion, dossierId: string): Promise<boolean> {
  const r = await c.query(sql.unsafe`
    UPDATE dossier SET date_cloture = NULL, version = version + 1 WHERE id = ${dossierId} AND date_cloture IS NOT NULL`);
  return r.rowCount > 0;
}

/**
 * Deletes a case and everything that belongs to it, and leaves a tombstone; false when it was
 * already gone. The case's notifications go first: their foreign key only nulls the link, and a
 * purged case must leave no e-mail address or message behind.
 */
export async function purgerDossier(c: Connexion, dossierId: string, motif: 'conservation_expiree' | 'demande_juridiction' = 'conservation_expiree'): Promise<boolean> {
  return c.transaction(async (t) => {
    const d = await t.maybeOne(sql.type(z.object({ juridiction: z.string(), numero_portalis: z.string(), date_cloture: z.date().nullable() }))`
      SELECT juridiction, numero_portalis, date_cloture FROM dossier WHERE id = ${dossierId} FOR UPDATE`);
    if (!d) return false;
    await t.query(sql.unsafe`DELETE FROM notification WHERE dossier_id = ${dossierId}`);
    await t.query(sql.unsafe`DELETE FROM dossier WHERE id = ${dossierId}`);
    await t.query(sql.unsafe`
      INSERT INTO dossier_purge (juridiction, numero_portalis, date_cloture, ancien_dossier_id, motif)
      VALUES (${d.juridiction}, ${d.numero_portalis}, ${d.date_cloture ? instant(d.date_cloture) : null}, ${dossierId}, ${motif})
      ON CONFLICT DO NOTHING`);
    return true;
  });
}

/** How many cases, in one juridiction or overall. */
export async function compterDossiers(c: Connexion, o: { juridiction?: string } = {}): Promise<number> {
  const filtre = o.juridiction === undefined ? sql.fragment`TRUE` : sql.fragment`juridiction = ${o.juridiction}`;
  return c.oneFirst(sql.type(z.object({ n: z.number().int() }))`SELECT count(*) AS n FROM dossier WHERE ${filtre}`);
}

export const Contenu = z.object({
  parties: z.number().int(),
  evenements: z.number().int(),
  documents: z.number().int(),
  audiences: z.number().int(),
  consentements: z.number().int(),
  rattachements: z.number().int(),
});
export type Contenu = z.infer<typeof Contenu>;

/** Row counts of everything that belongs to a case (agent pages, statistics, purge checks). */
export async function compterContenu(c: Connexion, dossierId: string): Promise<Contenu> {
  return c.one(sql.type(Contenu)`
    SELECT
      (SELECT count(*) FROM partie WHERE dossier_id = ${dossierId}) AS parties,
      (SELECT count(*) FROM evenement WHERE dossier_id = ${dossierId}) AS evenements,
      (SELECT count(*) FROM document WHERE dossier_id = ${dossierId}) AS documents,
      (SELECT count(*) FROM audience WHERE dossier_id = ${dossierId}) AS audiences,
      (SELECT count(*) FROM consentement WHERE dossier_id = ${dossierId}) AS consentements,
      (SELECT count(*) FROM rattachement WHERE dossier_id = ${dossierId}) AS rattachements`);
}

// ------------------------------------------------------------------------------------------------
// Parties

export interface ResultatParties {
  creees: number;
  modifiees: number;
  /** No longer listed and without consent: deleted. */
  supprimees: number;
  /** No longer listed but with a consent: kept, marked `retiree_at`. */
  retirees: number;
  modifie: boolean;
}

/**
 * Makes the case's parties those of `parties` (matched by the court's id). A party the court no
 * longer lists is deleted, unless it has a consent: then it is only marked withdrawn, so its
 * consent, identification numbers and links are not destroyed by a partial push.
 */
export async function remplacerParties(c: Connexion, dossierId: string, parties: readonly PartieEntree[]): Promise<ResultatParties> {
  return c.transaction(async (t) => {
    const lignes = parties.map((p) => [
      p.id, p.role, p.type, p.civilite, p.nom, p.nomUsage, p.prenoms, p.raisonSociale, p.formeJuridique, p.titre,
      p.majeurProtege, p.courriel, p.telephone, p.avocat, p.accesRetire ?? false,
    ]);
    // acces_retire_at keeps the instant the access was first withdrawn: a replayed push with
    // `accesRetire: true` changes nothing, `false` (or absent) gives the access back.
    const ecrites = await t.any(sql.type(z.object({ cree: z.boolean() }))`
      INSERT INTO partie (dossier_id, id_tribunal, role, type, civilite, nom, nom_usage, prenoms, raison_sociale,
                          forme_juridique, titre, majeur_protege, courriel, telephone, avocat, acces_retire_at)
      SELECT ${dossierId}::uuid, u.id_tribunal, u.role, u.type, u.civilite, u.nom, u.nom_usage, u.prenoms, u.raison_sociale,
             u.forme_juridique, u.titre, u.majeur_protege, u.courriel, u.telephone, u.avocat,
             CASE WHEN u.acces_retire THEN now() END
      FROM ${sql.unnest(lignes, ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bool', 'text', 'text', 'text', 'bool'])}
        AS u(id_tribunal, role, type, civilite, nom, nom_usage, prenoms, raison_sociale, forme_juridique, titre,
             majeur_protege, courriel, telephone, avocat, acces_retire)
      ON CONFLICT (dossier_id, id_tribunal) DO UPDATE SET
        role = EXCLUDED.role, type = EXCLUDED.type, civilite = EXCLUDED.civilite, nom = EXCLUDED.nom,
        nom_usage = EXCLUDED.nom_usage, prenoms = EXCLUDED.prenoms, raison_sociale = EXCLUDED.raison_sociale,
        forme_juridique = EXCLUDED.forme_juridique, titre = EXCLUDED.titre, majeur_protege = EXCLUDED.majeur_protege,
        courriel = EXCLUDED.courriel, telephone = EXCLUDED.telephone, avocat = EXCLUDED.avocat, retiree_at = NULL,
        acces_retire_at = CASE WHEN EXCLUDED.acces_retire_at IS NULL THEN NULL ELSE coalesce(partie.acces_retire_at, EXCLUDED.acces_retire_at) END
      WHERE partie.retiree_at IS NOT NULL
         OR (partie.acces_retire_at IS NULL) IS DISTINCT FROM (EXCLUDED.acces_retire_at IS NULL)
         OR (partie.role, partie.type, partie.civilite, partie.nom, partie.nom_usage, partie.prenoms, partie.raison_sociale,
             partie.forme_juridique, partie.titre, partie.majeur_protege, partie.courriel, partie.telephone, partie.avocat)
            IS DISTINCT FROM
            (EXCLUDED.role, EXCLUDED.type, EXCLUDED.civilite, EXCLUDED.nom, EXCLUDED.nom_usage, EXCLUDED.prenoms,
             EXCLUDED.raison_sociale, EXCLUDED.forme_juridique, EXCLUDED.titre, EXCLUDED.majeur_protege,
             EXCLUDED.courriel, EXCLUDED.telephone, EXCLUDED.avocat)
      RETURNING (xmax = 0) AS cree`);
    const ids = sql.array(parties.map((p) => p.id), 'text');
    const supprimees = await t.query(sql.unsafe`
      DELETE FROM partie p
      WHERE p.dossier_id = ${dossierId} AND p.id_tribunal <> ALL(${ids})
        AND NOT EXISTS (SELECT 1 FROM consentement c WHERE c.partie_id = p.id)`);
    const retirees = await t.query(sql.unsafe`
      UPDATE partie SET retiree_at = now()
      WHERE dossier_id = ${dossierId} AND id_tribunal <> ALL(${ids}) AND retiree_at IS NULL`);
    const r: ResultatParties = {
      creees: ecrites.filter((e) => e.cree).length,
      modifiees: ecrites.filter((e) => !e.cree).length,
      supprimees: supprimees.rowCount,
      retirees: retirees.rowCount,
      modifie: false,
    };
    r.modifie = r.creees + r.modifiees + r.supprimees + r.retirees > 0;
    if (r.modifie) await marquerModifie(t, dossierId);
    return r;
  });
}

/** The case's parties, withdrawn ones included, in the court's order of ids. */
export async function listerParties(c: Connexion, dossierId: string): Promise<readonly Partie[]> {
  return c.any(sql.type(Partie)`SELECT ${colonnesPartie} FROM partie WHERE dossier_id = ${dossierId} ORDER BY id_tribunal`);
}

// ------------------------------------------------------------------------------------------------
// Events and documents

/** JSON with keys sorted at every level, so two equal bodies always give the same text. */
export function jsonCanonique(valeur: unknown): string {
  return JSON.stringify(valeur, (_cle, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** sha256 (hex) of a request body's canonical JSON: what `evenement.empreinte` stores. */
export function empreinteCanonique(corps: unknown): string {
  return createHash('sha256').update(jsonCanonique(corps)).digest('hex');
}

export interface NouvelEvenement {
  idTribunal: string;
  type: string;
  date: Date;
  libelle: string;
  /** empreinteCanonique() of the whole request body, document included. */
  empreinte: string;
}

/**
 * Adds an event once per court id. A replay with the same body returns `cree: false`; with a
 * different body `conflit: true` (the first version stays: the API answers 409).
 */
export async function ajouterEvenement(
  c: Connexion,
  dossierId: string,
  e: NouvelEvenement,
): Promise<{ id: string; cree: boolean; conflit: boolean }> {
  return c.transaction(async (t) => {
    const cree = await t.maybeOneFirst(sql.type(z.object({ id: z.string().uuid() }))`
      INSERT INTO evenement (dossier_id, id_tribunal, type, date, libelle, empreinte)
      VALUES (${dossierId}, ${e.idTribunal}, ${e.type}, ${instant(e.date)}, ${e.libelle}, ${e.empreinte})
      ON CONFLICT (dossier_id, id_tribunal) DO NOTHING
      RETURNING id`);
    if (cree) {
      await marquerModifie(t, dossierId);
      return { id: cree, cree: true, conflit: false };
    }
    const existant = await t.one(sql.type(z.object({ id: z.string().uuid(), empreinte: z.string() }))`
      SELECT id, empreinte FROM evenement WHERE dossier_id = ${dossierId} AND id_tribunal = ${e.idTribunal}`);
    return { id: existant.id, cree: false, conflit: existant.empreinte !== e.empreinte };
  });
}

/** The case's events, oldest first ("Vie du dossier"). */
export async function listerEvenements(c: Connexion, dossierId: string): Promise<readonly Evenement[]> {
  return c.any(sql.type(Evenement)`
    SELECT id, dossier_id, id_tribunal, type, date, libelle, empreinte, created_at
    FROM evenement WHERE dossier_id = ${dossierId} ORDER BY date, created_at`);
}

export interface NouveauDocument {
  dossierId: string;
  evenementId: string;
  type: 'recepisse' | 'avis' | 'convocation';
  titre: string;
  contenu: Buffer;
  /** The court's party ids (`partie.id_tribunal`) of this case. */
  destinataires: readonly string[];
}

/**
 * Stores an event's document and its recipients; `destinatairesInconnus` lists the party ids the
 * case does not have (the caller should have refused them before: nothing is written for them).
 */
export async function ajouterDocument(c: Connexion, d: NouveauDocument): Promise<{ id: string; destinatairesInconnus: string[] }> {
  return c.transaction(async (t) => {
    const id = await t.oneFirst(sql.type(z.object({ id: z.string().uuid() }))`
      INSERT INTO document (dossier_id, evenement_id, type, titre, contenu, taille, sha256)
      VALUES (${d.dossierId}, ${d.evenementId}, ${d.type}, ${d.titre}, ${sql.binary(d.contenu)}, ${d.contenu.length},
              ${createHash('sha256').update(d.contenu).digest('hex')})
      RETURNING id`);
    const trouves = await t.anyFirst(sql.type(z.object({ id_tribunal: z.string() }))`
      WITH cibles AS (
        SELECT id, id_tribunal FROM partie
        WHERE dossier_id = ${d.dossierId} AND id_tribunal = ANY(${sql.array(d.destinataires, 'text')})
      ), ajout AS (
        INSERT INTO document_destinataire (document_id, partie_id) SELECT ${id}, id FROM cibles
      )
      SELECT id_tribunal FROM cibles`);
    return { id, destinatairesInconnus: d.destinataires.filter((x) => !trouves.includes(x)) };
  });
}

// ------------------------------------------------------------------------------------------------
// Hearings

export type ResultatAudience = {
  audience: Audience;
  cree: boolean;
  modifie: boolean;
  /** The start before this call when it was moved (reminders must be re-armed), else null. */
  ancienDebut: Date | null;
};

/** Schedules, moves or un-cancels a hearing by court id; `modifie` is false for a replay. */
export async function planifierAudience(c: Connexion, dossierId: string, idTribunal: string, a: AudienceEntree): Promise<ResultatAudience> {
  return c.transaction(async (t) => {
    // The CTE reads the row as it was before the statement: that is the previous start.
    const ecrite = await t.maybeOne(sql.type(Audience.extend({ cree: z.boolean(), ancien_debut: z.date().nullable() }))`
      WITH avant AS (SELECT debut FROM audience WHERE dossier_id = ${dossierId} AND id_tribunal = ${idTribunal})
      INSERT INTO audience (dossier_id, id_tribunal, debut, salle, adresse, libelle)
      VALUES (${dossierId}, ${idTribunal}, ${instant(a.debut)}, ${a.salle}, ${a.adresse}, ${a.libelle})
      ON CONFLICT (dossier_id, id_tribunal) DO UPDATE SET
        debut = EXCLUDED.debut, salle = EXCLUDED.salle, adresse = EXCLUDED.adresse, libelle = EXCLUDED.libelle, annulee_at = NULL
      WHERE audience.annulee_at IS NOT NULL
         OR (audience.debut, audience.salle, audience.adresse, audience.libelle)
            IS DISTINCT FROM (EXCLUDED.debut, EXCLUDED.salle, EXCLUDED.adresse, EXCLUDED.libelle)
      RETURNING ${colonnesAudience}, (xmax = 0) AS cree, (SELECT debut FROM avant) AS ancien_debut`);
    if (ecrite) {
      const { cree, ancien_debut, ...audience } = ecrite;
      await marquerModifie(t, dossierId);
      const deplacee = ancien_debut !== null && ancien_debut.getTime() !== audience.debut.getTime();
      return { audience, cree, modifie: true, ancienDebut: deplacee ? ancien_debut : null };
    }
    const audience = await t.one(sql.type(Audience)`
      SELECT ${colonnesAudience} FROM audience WHERE dossier_id = ${dossierId} AND id_tribunal = ${idTribunal}`);
    return { audience, cree: false, modifie: false, ancienDebut: null };
  });
}

/** Cancels a hearing by court id. */
export async function annulerAudience(c: Connexion, dossierId: string, idTribunal: string): Promise<'annulee' | 'deja_annulee' | 'inconnue'> {
  return c.transaction(async (t) => {
    const r = await t.maybeOne(sql.type(z.object({ annulee: z.boolean() }))`
      WITH cible AS (SELECT id, annulee_at FROM audience WHERE dossier_id = ${dossierId} AND id_tribunal = ${idTribunal}),
           maj AS (UPDATE audience SET annulee_at = now() FROM cible WHERE audience.id = cible.id AND cible.annulee_at IS NULL RETURNING audience.id)
      SELECT EXISTS (SELECT 1 FROM maj) AS annulee FROM cible`);
    if (!r) return 'inconnue';
    if (!r.annulee) return 'deja_annulee';
    await marquerModifie(t, dossierId);
    return 'annulee';
  });
}

/** The case's hearings, cancelled ones included, by start. */
export async function listerAudiences(c: Connexion, dossierId: string): Promise<readonly Audience[]> {
  return c.any(sql.type(Audience)`SELECT ${colonnesAudience} FROM audience WHERE dossier_id = ${dossierId} ORDER BY debut`);
}

// The initial schema on a real, empty PostgreSQL database: it applies, it applies only once, and
// it enforces by itself what must not depend on application code (append-only journal, no clear
// identification numbers, enumerations, cascading purge).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { IntegrityConstraintViolationError, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { readdirSync } from 'node:fs';
import { appliquerMigrations, DOSSIER_MIGRATIONS } from '../../db/migrate.js';
import { creerPool, sql } from '../../db/pool.js';

let base: BaseDeTest;
let pool: DatabasePool;
let premiereApplication: string[];

const TABLES = [
  'abonnement_calendrier', 'acceptation_cgu', 'agent', 'agent_role', 'audience', 'code_sms', 'compte', 'consentement',
  'consultation_document', 'contact', 'document', 'document_destinataire', 'dossier', 'dossier_purge', 'evenement',
  'identifiant', 'journal', 'juridiction', 'limites', 'lot_mise_a_jour', 'notification', 'partie', 'piece_jointe', 'rattachement',
  'requete', 'session', 'tiers',
];

/** Every migration file, in order: all of them apply to an empty database. */
const MIGRATIONS = readdirSync(DOSSIER_MIGRATIONS).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();

beforeAll(async () => {
  base = await creerBaseDeTest();
  premiereApplication = await appliquerMigrations(base.url);
  pool = await creerPool(base.url, { taille: 2 });
});

afterAll(async () => {
  await pool?.end();
  await base?.supprimer();
});

/** Everything that describes the schema, as comparable text. */
async function empreinteSchema(): Promise<string[]> {
  const ligne = z.object({ l: z.string() });
  const colonnes = await pool.anyFirst(sql.type(ligne)`
    SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default, generation_expression) AS l
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`);
  const contraintes = await pool.anyFirst(sql.type(ligne)`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS l
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`);
  const index = await pool.anyFirst(sql.type(ligne)`
    SELECT indexdef AS l FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  const declencheurs = await pool.anyFirst(sql.type(ligne)`
    SELECT tgrelid::regclass::text || ' ' || tgname AS l FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`);
  return [...colonnes, ...contraintes, ...index, ...declencheurs];
}

/**
 * What the database said when it refused a statement: slonik wraps constraint violations in its
 * own classes (generic message, the constraint's name aside) and lets other errors through.
 */
async function refus(promesse: Promise<unknown>): Promise<{ contrainte: string | null; message: string }> {
  try {
    await promesse;
  } catch (e) {
    if (e instanceof IntegrityConstraintViolationError) return { contrainte: e.constraint, message: e.message };
    if (e instanceof Error) return { contrainte: null, message: e.message };
    throw e;
  }
  throw new Error('la requête aurait dû être refusée');
}

async function colonnesDe(table: string) {
  return pool.any(sql.type(z.object({ column_name: z.string(), data_type: z.string() }))`
    SELECT column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`);
}

describe('application', () => {
  test('applies the initial migration to an empty database and creates every table', async () => {
    expect(MIGRATIONS[0]).toBe('0001_schema_initial');
    expect(premiereApplication).toEqual(MIGRATIONS);
    const tables = await pool.anyFirst(sql.type(z.object({ table_name: z.string() }))`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'pgmigrations' ORDER BY table_name`);
    expect(tables).toEqual(TABLES);
  });

  test('applying again applies nothing and leaves the schema identical', async () => {
    const avant = await empreinteSchema();
    expect(avant.length).toBeGreaterThan(200);
    const journal: string[] = [];
    expect(await appliquerMigrations(base.url, (m) => journal.push(m))).toEqual([]);
    expect(await appliquerMigrations(base.url)).toEqual([]);
    expect(journal).toEqual(['schéma à jour, aucune migration en attente']);
    expect(await empreinteSchema()).toEqual(avant);
  });

  test('concurrent starts wait for each other instead of failing', async () => {
    const autre = await creerBaseDeTest();
    try {
      const resultats = await Promise.all([appliquerMigrations(autre.url), appliquerMigrations(autre.url), appliquerMigrations(autre.url)]);
      expect(resultats.flat()).toEqual(MIGRATIONS);
    } finally {
      await autre.supprimer();
    }
  });

  test('every instant is a timestamptz (the migrations table of node-pg-migrate aside)', async () => {
    const sansFuseau = await pool.anyFirst(sql.type(z.object({ c: z.string() }))`
      SELECT table_name || '.' || column_name AS c FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type = 'timestamp without time zone' AND table_name <> 'pgmigrations'`);
    expect(sansFuseau).toEqual([]);
  });

  test('the accent-insensitive search helpers exist', async () => {
    expect(await pool.oneFirst(sql.type(z.object({ t: z.string() }))`SELECT texte_recherche('Hélène ÉLOÏSE') AS t`)).toBe('helene eloise');
    expect(await pool.oneFirst(sql.type(z.object({ s: z.number() }))`SELECT similarity('helene', 'hélène') AS s`)).toBeGreaterThan(0);
  });
});

describe('journal', () => {
  beforeAll(async () => {
    await pool.query(sql.unsafe`
      INSERT INTO journal (acteur_type, acteur_id, role, juridiction, finalite, action, objet_type, objet_id, resultat, details)
      VALUES ('agent', 'a1', 'agent_accueil', 'TJ-PARIS', 'information_sauj', 'consultation', 'dossier', 'd1', 'succes', '{"champs":["parties"]}'),
             ('systeme', NULL, NULL, NULL, NULL, 'ancien', NULL, NULL, 'succes', NULL)`);
    // Backdated on insert: the only way a row gets an old timestamp.
    await pool.query(sql.unsafe`
      INSERT INTO journal (at, acteur_type, action, resultat) VALUES (now() - interval '7 months', 'systeme', 'tres_ancien', 'succes')`);
  });

  test('refuses UPDATE', async () => {
    expect((await refus(pool.query(sql.unsafe`UPDATE journal SET resultat = 'refus'`))).message).toMatch(/journal en ajout seul : UPDATE/);
    expect((await refus(pool.query(sql.unsafe`UPDATE journal SET details = NULL WHERE action = 'consultation'`))).message).toMatch(/ajout seul/);
  });

  test('refuses DELETE and TRUNCATE', async () => {
    expect((await refus(pool.query(sql.unsafe`DELETE FROM journal WHERE action = 'consultation'`))).message).toMatch(/journal en ajout seul : DELETE/);
    expect((await refus(pool.query(sql.unsafe`DELETE FROM journal`))).message).toMatch(/ajout seul/);
    expect((await refus(pool.query(sql.unsafe`TRUNCATE journal`))).message).toMatch(/journal en ajout seul : TRUNCATE/);
    expect(await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM journal`)).toBe(3);
  });

  test('the retention purge must opt in, and can never remove a row younger than six months', async () => {
    const refusee = refus(
      pool.transaction(async (t) => {
        await t.query(sql.unsafe`SET LOCAL portail.purge_journal = 'on'`);
        await t.query(sql.unsafe`DELETE FROM journal WHERE action = 'consultation'`);
      }),
    );
    expect((await refusee).message).toMatch(/ajout seul/);
    expect((await refus(pool.query(sql.unsafe`DELETE FROM journal WHERE action = 'tres_ancien'`))).message).toMatch(/ajout seul/);
    const supprimees = await pool.transaction(async (t) => {
      await t.query(sql.unsafe`SET LOCAL portail.purge_journal = 'on'`);
      return (await t.query(sql.unsafe`DELETE FROM journal WHERE at < now() - interval '6 months'`)).rowCount;
    });
    expect(supprimees).toBe(1);
    const restent = await pool.anyFirst(sql.type(z.object({ action: z.string() }))`SELECT action FROM journal ORDER BY id`);
    expect(restent).toEqual(['consultation', 'ancien']);
  });
});

describe('secrets', () => {
  test('an identification number can only be stored as a 32-byte keyed hash: no clear-text column exists', async () => {
    const colonnes = await colonnesDe('identifiant');
    expect(colonnes).toContainEqual({ column_name: 'hash', data_type: 'bytea' });
    const texte = colonnes.filter((c) => ['text', 'character varying', 'character'].includes(c.data_type)).map((c) => c.column_name);
    expect(texte).toEqual(['destinataire']);
    for (const c of colonnes) expect(c.column_name).not.toMatch(/numero|code|clair|valeur|secret/);
  });

  test('SMS codes are stored as a hash too', async () => {
    const colonnes = await colonnesDe('code_sms');
    expect(colonnes).toContainEqual({ column_name: 'hash', data_type: 'bytea' });
    const texte = colonnes.filter((c) => c.data_type === 'text').map((c) => c.column_name);
    expect(texte).toEqual(['telephone']);
  });

  test('a hash of the wrong length (a clear value squeezed into bytea) is refused', async () => {
    const d = await fabriquerDossier();
    const consentement = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      INSERT INTO consentement (dossier_id, partie_id) VALUES (${d.dossierId}, ${d.partieId}) RETURNING id`);
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO identifiant (consentement_id, hash, destinataire)
      VALUES (${consentement}, ${sql.binary(Buffer.from('K7QF-3XWM-9RTD'))}, 'x@example.fr')`))).contrainte).toBe('identifiant_hash_check');
  });
});

describe('constraints', () => {
  test('an unknown requête status is refused', async () => {
    const d = await fabriquerDossier();
    const compte = await creerCompte();
    await pool.query(sql.unsafe`INSERT INTO requete (compte_id, juridiction, type) VALUES (${compte}, ${d.juridiction}, 'divorce')`);
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO requete (compte_id, juridiction, type, statut) VALUES (${compte}, ${d.juridiction}, 'divorce', 'archivee')`))).contrainte).toBe('requete_statut_check');
    expect((await refus(pool.query(sql.unsafe`UPDATE requete SET statut = 'perdue' WHERE compte_id = ${compte}`))).contrainte).toBe('requete_statut_check');
    // A sent petition has its sending date.
    expect((await refus(pool.query(sql.unsafe`UPDATE requete SET statut = 'envoyee' WHERE compte_id = ${compte}`))).contrainte).toBe('requete_envoi_date');
  });

  test('other enumerations are checked by the database', async () => {
    const d = await fabriquerDossier();
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO partie (dossier_id, id_tribunal, role, type) VALUES (${d.dossierId}, 'X', 'Témoin', 'fantome')`))).contrainte).toBe('partie_type_check');
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO juridiction (code, nom, adresse) VALUES ('tj paris', 'x', 'y')`))).contrainte).toBe('juridiction_code_check');
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO journal (acteur_type, action, resultat) VALUES ('inconnu', 'x', 'succes')`))).contrainte).toBe('journal_acteur_type_check');
    const agent = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      INSERT INTO agent (courriel) VALUES (${`agent.${randomBytes(4).toString('hex')}@justice.fr`}) RETURNING id`);
    // A magistrate acts only inside an habilitation window; a registry role needs a juridiction.
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO agent_role (agent_id, role, juridiction) VALUES (${agent}, 'magistrat', ${d.juridiction})`))).contrainte).toBe('agent_role_habilitation');
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO agent_role (agent_id, role) VALUES (${agent}, 'agent_greffe')`))).contrainte).toBe('agent_role_juridiction_requise');
    await pool.query(sql.unsafe`
      INSERT INTO agent_role (agent_id, role, juridiction, debut, fin) VALUES (${agent}, 'magistrat', ${d.juridiction}, '2026-01-01', '2026-12-31')`);
    expect((await refus(pool.query(sql.unsafe`INSERT INTO agent (courriel) VALUES ('Agent@Justice.fr')`))).contrainte).toBe('agent_courriel_check');
  });

  test('a consent cannot name a party of another case', async () => {
    const a = await fabriquerDossier();
    const b = await fabriquerDossier();
    expect((await refus(pool.query(sql.unsafe`
      INSERT INTO consentement (dossier_id, partie_id) VALUES (${a.dossierId}, ${b.partieId})`))).contrainte).toBe('consentement_partie_id_dossier_id_fkey');
  });
});

describe('cascade', () => {
  test('deleting a case deletes its parties, events, documents, hearings, consents, numbers, codes and links', async () => {
    const d = await fabriquerDossier();
    const compte = await creerCompte();
    const id = z.object({ id: z.string() });
    const evenement = await pool.oneFirst(sql.type(id)`
      INSERT INTO evenement (dossier_id, id_tribunal, type, date, libelle, empreinte)
      VALUES (${d.dossierId}, 'E1', 'convocation', now(), 'Convocation', ${'a'.repeat(64)}) RETURNING id`);
    const document = await pool.oneFirst(sql.type(id)`
      INSERT INTO document (dossier_id, evenement_id, type, titre, contenu, taille, sha256)
      VALUES (${d.dossierId}, ${evenement}, 'convocation', 'Convocation', ${sql.binary(Buffer.from('%PDF-1.4'))}, 8, ${'b'.repeat(64)}) RETURNING id`);
    await pool.query(sql.unsafe`INSERT INTO document_destinataire (document_id, partie_id) VALUES (${document}, ${d.partieId})`);
    await pool.query(sql.unsafe`
      INSERT INTO audience (dossier_id, id_tribunal, debut, adresse, libelle)
      VALUES (${d.dossierId}, 'A1', now() + interval '10 days', '1 rue du Palais', 'Audience')`);
    const consentement = await pool.oneFirst(sql.type(id)`
      INSERT INTO consentement (dossier_id, partie_id) VALUES (${d.dossierId}, ${d.partieId}) RETURNING id`);
    const identifiant = await pool.oneFirst(sql.type(id)`
      INSERT INTO identifiant (consentement_id, hash, destinataire) VALUES (${consentement}, ${sql.binary(randomBytes(32))}, 'p@example.fr') RETURNING id`);
    await pool.query(sql.unsafe`
      INSERT INTO code_sms (compte_id, identifiant_id, telephone, hash, expires_at)
      VALUES (${compte}, ${identifiant}, '+33612345678', ${sql.binary(randomBytes(32))}, now() + interval '10 minutes')`);
    await pool.query(sql.unsafe`
      INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id) VALUES (${compte}, ${d.dossierId}, ${d.partieId}, ${identifiant})`);
    await pool.query(sql.unsafe`
      INSERT INTO notification (cle_idempotence, canal, destinataire, compte_id, dossier_id, type, corps)
      VALUES (${`alerte-${d.dossierId}`}, 'courriel', 'p@example.fr', ${compte}, ${d.dossierId}, 'alerte', 'Votre dossier a été mis à jour')`);
    const requete = await pool.oneFirst(sql.type(id)`
      INSERT INTO requete (compte_id, juridiction, type, statut, sent_at, registered_at, dossier_id, numero_portalis)
      VALUES (${compte}, ${d.juridiction}, 'divorce', 'enregistree', now(), now(), ${d.dossierId}, ${d.numeroPortalis}) RETURNING id`);

    const references = async () =>
      pool.one(sql.type(z.object({ partie: z.number(), evenement: z.number(), document: z.number(), destinataire: z.number(), audience: z.number(),
        consentement: z.number(), identifiant: z.number(), code_sms: z.number(), rattachement: z.number(), notification: z.number(), requete: z.number() }))`
        SELECT
          (SELECT count(*) FROM partie WHERE dossier_id = ${d.dossierId}) AS partie,
          (SELECT count(*) FROM evenement WHERE dossier_id = ${d.dossierId}) AS evenement,
          (SELECT count(*) FROM document WHERE dossier_id = ${d.dossierId}) AS document,
          (SELECT count(*) FROM document_destinataire WHERE document_id = ${document}) AS destinataire,
          (SELECT count(*) FROM audience WHERE dossier_id = ${d.dossierId}) AS audience,
          (SELECT count(*) FROM consentement WHERE dossier_id = ${d.dossierId}) AS consentement,
          (SELECT count(*) FROM identifiant WHERE id = ${identifiant}) AS identifiant,
          (SELECT count(*) FROM code_sms WHERE identifiant_id = ${identifiant}) AS code_sms,
          (SELECT count(*) FROM rattachement WHERE dossier_id = ${d.dossierId}) AS rattachement,
          (SELECT count(*) FROM notification WHERE dossier_id = ${d.dossierId}) AS notification,
          (SELECT count(*) FROM requete WHERE dossier_id = ${d.dossierId}) AS requete`);
    expect(await references()).toEqual({
      partie: 1, evenement: 1, document: 1, destinataire: 1, audience: 1, consentement: 1, identifiant: 1, code_sms: 1,
      rattachement: 1, notification: 1, requete: 1,
    });

    await pool.query(sql.unsafe`DELETE FROM dossier WHERE id = ${d.dossierId}`);

    expect(await references()).toEqual({
      partie: 0, evenement: 0, document: 0, destinataire: 0, audience: 0, consentement: 0, identifiant: 0, code_sms: 0,
      rattachement: 0, notification: 0, requete: 0,
    });
    // What outlives the case: the account, and the petition (kept 5 years, only unlinked).
    expect(await pool.exists(sql.unsafe`SELECT 1 FROM compte WHERE id = ${compte}`)).toBe(true);
    expect(await pool.oneFirst(sql.type(z.object({ numero_portalis: z.string().nullable() }))`
      SELECT numero_portalis FROM requete WHERE id = ${requete} AND dossier_id IS NULL`)).toBe(d.numeroPortalis);
  });

  test('every column named dossier_id is covered by a foreign key, so nothing can point at a purged case', async () => {
    const orphelines = await pool.anyFirst(sql.type(z.object({ t: z.string() }))`
      SELECT c.table_name AS t FROM information_schema.columns c
      WHERE c.table_schema = 'public' AND c.column_name = 'dossier_id'
        AND NOT EXISTS (
          SELECT 1 FROM pg_constraint k
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
          WHERE k.contype = 'f' AND k.conrelid = (quote_ident(c.table_name))::regclass AND a.attname = 'dossier_id'
            AND k.confrelid = 'dossier'::regclass)`);
    expect(orphelines).toEqual([]);
  });
});

async function fabriquerDossier(): Promise<{ juridiction: string; dossierId: string; partieId: string; numeroPortalis: string }> {
  const juridiction = `TJ-${randomBytes(3).toString('hex').toUpperCase()}`;
  const numeroPortalis = `N-${randomBytes(4).toString('hex')}`;
  await pool.query(sql.unsafe`INSERT INTO juridiction (code, nom, adresse) VALUES (${juridiction}, 'Tribunal judiciaire de test', '1 rue du Palais')`);
  const dossierId = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO dossier (juridiction, numero_portalis, numero_dossier, nature, etat, date_saisine, suivi_en_ligne)
    VALUES (${juridiction}, ${numeroPortalis}, '26/00001', 'Divorce', 'En cours', '2026-01-15', true) RETURNING id`);
  const partieId = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO partie (dossier_id, id_tribunal, role, type, civilite, nom, prenoms)
    VALUES (${dossierId}, 'P1', 'Demandeur', 'physique', 'Mme', 'DUBOIS', 'Angela') RETURNING id`);
  return { juridiction, dossierId, partieId, numeroPortalis };
}

async function creerCompte(): Promise<string> {
  return pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO compte (fc_iss, fc_sub, given_name, family_name) VALUES ('http://127.0.0.1/fc', ${randomBytes(8).toString('hex')}, 'Angela', 'DUBOIS') RETURNING id`);
}

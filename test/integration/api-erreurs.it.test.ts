// Court API v1, malformed input (DESIGN.md: "errors are 4xx with {erreur, details} and change
// nothing"). Each kind of bad request must get the documented status with a French message, name
// the offending field in details[].champ when there is one, leak no stack trace or SQL, and leave
// everything as it was: every table of the database (row count and checksum), the mail and SMS
// sinks, and the case workflows of this run's task queue. The happy paths are in api.it.test.ts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';

const attendre = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// What must not change

interface Etat {
  tables: Record<string, { lignes: number; md5: string }>;
  courriels: number;
  sms: number;
  workflows: number;
}

async function tables(a: Application): Promise<readonly string[]> {
  return a.pool.anyFirst(sql.type(z.object({ nom: z.string() }))`
    SELECT table_name AS nom FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
}

/** The case workflows started for this application (its own task queue). */
async function compterWorkflows(a: Application): Promise<number> {
  const r = await a.temporal.workflow.count(`WorkflowType = 'dossier' AND TaskQueue = '${a.config.TEMPORAL_TASK_QUEUE}'`);
  return r.count;
}

async function etat(a: Application): Promise<Etat> {
  const resultat: Etat['tables'] = {};
  for (const nom of await tables(a)) {
    resultat[nom] = await a.pool.one(sql.type(z.object({ lignes: z.number(), md5: z.string() }))`
      SELECT count(*)::int AS lignes, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS md5
      FROM ${sql.identifier([nom])} t`);
  }
  const boites = a.boites.urlPage.replace(/\/$/, '');
  const sms = (await (await fetch(`${boites}/api/sms`)).json()) as unknown[];
  return { tables: resultat, courriels: (await a.courriels()).length, sms: sms.length, workflows: await compterWorkflows(a) };
}

/**
 * The state once the valid requests of the setup have settled: every case followed online has
 * its workflow visible (visibility lags a little), the worker has finished its sends, and two
 * snapshots in a row agree.
 */
async function etatStable(a: Application): Promise<Etat> {
  const suivis = await a.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM dossier WHERE suivi_en_ligne`);
  for (let i = 0; i < 100 && (await compterWorkflows(a)) < suivis; i++) await attendre(100);
  let precedent = await etat(a);
  for (let i = 0; i < 50; i++) {
    await attendre(100);
    const e = await etat(a);
    if (isDeepStrictEqual(e, precedent)) return e;
    precedent = e;
  }
  throw new Error('l’état de l’application ne se stabilise pas');
}

// ------------------------------------------------------------------------------------------------
// What a refusal looks like

/** French words a message has; English ones zod or Koa would use by default. */
const FRANCAIS = /[àâçéèêëîïôûùüœ’]|\b(le|la|les|du|de|des|un|une|ce|cette|ne|pas|est|doit|attendue?s?)\b/i;
const ANGLAIS = /\b(the|is|must|expected|received|required|invalid|error|not found|bad request|unsupported|too large)\b/i;
/** What must never reach a client: stack frames, file names, SQL, library names. */
const FUITE = /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d+|node_modules|\b(select|insert into|update \w+ set|delete from|violates|constraint|syntax error|pg_|sqlstate)\b|\w+Error\b|stack|slonik|zod|koa/i;

interface CorpsErreur {
  erreur: string;
  code: string;
  details: { champ: string; message: string }[];
}

interface Attendu {
  statut: 400 | 404 | 409 | 413 | 415;
  code: string;
  /** Fields that must be named in details[].champ (at least these; none when omitted). */
  champs?: string[];
}

/** Before/after: the request is refused as expected and nothing anywhere has changed. */
async function refuse(a: Application, requete: () => Promise<Response>, attendu: Attendu): Promise<CorpsErreur> {
  const avant = await etatStable(a);
  const r = await requete();
  const texte = await r.text();
  expect({ statut: r.status, corps: texte }).toEqual({ statut: attendu.statut, corps: expect.any(String) });
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const corps = JSON.parse(texte) as CorpsErreur;
  expect(Object.keys(corps).sort()).toEqual(['code', 'details', 'erreur']);
  expect(corps.code).toBe(attendu.code);
  expect(corps.erreur).toMatch(FRANCAIS);
  expect(corps.erreur).not.toMatch(ANGLAIS);
  expect(Array.isArray(corps.details)).toBe(true);
  for (const d of corps.details) expect(d).toEqual({ champ: expect.any(String), message: expect.stringMatching(/\S/) });
  expect(corps.details.map((d) => d.champ)).toEqual(expect.arrayContaining(attendu.champs ?? []));
  if (attendu.champs?.length) expect(corps.details.length).toBeGreaterThan(0);
  expect(texte).not.toMatch(FUITE);
  // A workflow wrongly started or an e-mail wrongly queued would show up within this wait.
  await attendre(600);
  expect(await etat(a)).toEqual(avant);
  return corps;
}

const AFFAIRE = 'N7X4-2026-00101';
const NON_SUIVIE = 'N7X4-2026-00102';
const ABSENTE = 'N7X4-2026-09999';
const EVENEMENT = { id: 'E-ERR-1', type: 'avis', date: '2026-10-01T09:30:00+02:00', libelle: 'Avis de fixation' };
const AUDIENCE = { debut: '2026-12-01T14:00:00+01:00', salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: 'Audience JAF' };
const document = (o: Record<string, unknown> = {}) => ({ type: 'avis', titre: 'Avis', destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64'), ...o });
const partie = (i: number, o: Record<string, unknown>) => ({ ...(affaireValide().parties as Record<string, unknown>[])[i], ...o });

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  // TJ-PARIS describes itself; TJ-LYON stays undescribed for the juridiction_inconnue case.
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  expect((await app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide())).status).toBe(200);
  expect((await app.api('PUT', `/affaires/${NON_SUIVIE}`, affaireValide({ numeroDossier: '26/00102', suiviEnLigne: false }))).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});

describe('court API v1: malformed input is refused in French and changes nothing', () => {
  test('malformed JSON', async () => {
    await refuse(app, () => app.api('PUT', '/juridiction', undefined, { brut: '{"nom": "Tribunal judiciaire de Paris",' }), { statut: 400, code: 'json_invalide' });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, undefined, { brut: "{'id': 'E1'}" }), { statut: 400, code: 'json_invalide' });
  });

  test('a JSON array instead of an object', async () => {
    const corps = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, [affaireValide()]), { statut: 400, code: 'donnees_invalides', champs: ['(corps)'] });
    expect(corps.details[0]!.message).toMatch(FRANCAIS);
  });

  test('a JSON scalar (null, a string) as the body', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, undefined, { brut: 'null' }), { statut: 400, code: 'json_invalide' });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`, undefined, { brut: '"2026-12-20T12:00:00+01:00"' }), { statut: 400, code: 'json_invalide' });
  });

  test('a body that is not declared as JSON: 415', async () => {
    const json = JSON.stringify(JURIDICTION_VALIDE);
    await refuse(app, () => app.api('PUT', '/juridiction', undefined, { brut: json, entetes: { 'Content-Type': 'text/plain' } }), { statut: 415, code: 'type_non_pris_en_charge' });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, undefined, { brut: 'partie=P1', entetes: { 'Content-Type': 'application/x-www-form-urlencoded' } }), { statut: 415, code: 'type_non_pris_en_charge' });
    // No Content-Type at all.
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`), { statut: 415, code: 'type_non_pris_en_charge' });
  });

  test('a body over the 1 MB limit: 413', async () => {
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, horaires: 'x'.repeat(1_100_000) }), { statut: 413, code: 'corps_trop_volumineux' });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ nature: 'n'.repeat(1_100_000) })), { statut: 413, code: 'corps_trop_volumineux' });
  });

  test('an empty body', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`, undefined, { brut: '' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
  });

  test('an unknown extra field (strict schemas), at the top level or nested', async () => {
    const c = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ urgent: true })), { statut: 400, code: 'donnees_invalides', champs: ['urgent'] });
    expect(c.details[0]!.message).toMatch(/champ inconnu/);
    const p = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { age: 42 })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0'] });
    expect(p.details[0]!.message).toMatch(/age/);
    // A juridiction cannot name its code: it comes from the token.
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, code: 'TJ-LYON' }), { statut: 400, code: 'donnees_invalides', champs: ['code'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ taille: 10 }) }), { statut: 400, code: 'donnees_invalides', champs: ['document'] });
  });

  test('a key that would pollute the prototype', async () => {
    await refuse(app, () => app.api('PUT', '/juridiction', undefined, { brut: `{"__proto__":{"admin":true},"nom":"T","adresse":"A"}` }), { statut: 400, code: 'json_invalide' });
  });

  test('a missing required field', async () => {
    const { numeroDossier: _, ...sansNumero } = affaireValide();
    const c = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, sansNumero), { statut: 400, code: 'donnees_invalides', champs: ['numeroDossier'] });
    expect(c.details[0]!.message).toBe('champ obligatoire');
    const { adresse: __, ...sansAdresse } = AUDIENCE;
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}/audiences/A1`, sansAdresse), { statut: 400, code: 'donnees_invalides', champs: ['adresse'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, {}), { statut: 400, code: 'donnees_invalides', champs: ['partie'] });
  });

  test('wrong types: a number for a text, a text for a boolean or a number, an object for a list', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ nature: 42 })), { statut: 400, code: 'donnees_invalides', champs: ['nature'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ suiviEnLigne: 'true' })), { statut: 400, code: 'donnees_invalides', champs: ['suiviEnLigne'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { majeurProtege: 'non' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.majeurProtege'] });
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, latitude: '48.8951' }), { statut: 400, code: 'donnees_invalides', champs: ['latitude'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: { P1: partie(0, {}) } })), { statut: 400, code: 'donnees_invalides', champs: ['parties'] });
  });

  test('blank or over-long texts', async () => {
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: '   ' }), { statut: 400, code: 'donnees_invalides', champs: ['nom'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ numeroDossier: '9'.repeat(65) })), { statut: 400, code: 'donnees_invalides', champs: ['numeroDossier'] });
  });

  test('a date-time without offset', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, date: '2026-10-01T09:30:00' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}/audiences/A1`, { ...AUDIENCE, debut: '2026-12-01 14:00' }), { statut: 400, code: 'donnees_invalides', champs: ['debut'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`, { date: '2026-12-20' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
  });

  test('an impossible calendar date', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ dateSaisine: '2026-02-30' })), { statut: 400, code: 'donnees_invalides', champs: ['dateSaisine'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ dateSaisine: '01/09/2026' })), { statut: 400, code: 'donnees_invalides', champs: ['dateSaisine'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, date: '2026-02-30T10:00:00+01:00' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`, { date: '2026-12-20T24:00:00+01:00' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
  });

  test('an invalid e-mail address', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { courriel: 'angela.dubois@' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.courriel'] });
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, courriel: 'greffe' }), { statut: 400, code: 'donnees_invalides', champs: ['courriel'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, { partie: 'P2', representant: { nom: 'MARTIN', courriel: 'martin.example.fr' } }), { statut: 400, code: 'donnees_invalides', champs: ['representant.courriel'] });
  });

  test('an invalid phone number', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { telephone: '12 34' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.telephone'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, { partie: 'P2', representant: { nom: 'MARTIN', courriel: 'maitre.martin@example.fr', telephone: 'zéro six' } }), { statut: 400, code: 'donnees_invalides', champs: ['representant.telephone'] });
  });

  test('duplicate party ids', async () => {
    const c = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, {}), partie(1, { id: 'P1' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.1.id'] });
    expect(c.details[0]!.message).toMatch(/double/);
  });

  test('a natural person without a name', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { nom: null })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.nom'] });
  });

  test('a legal person without a company name', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, {}), partie(1, { raisonSociale: '' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.1.raisonSociale'] });
  });

  test('an administrative authority without a title', async () => {
    const autorite = { id: 'P3', role: 'Ministère public', type: 'autorite' };
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, {}), partie(1, {}), autorite] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.2.titre'] });
  });

  test('a value outside an enumeration', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ type: 'jugement' }) }), { statut: 400, code: 'donnees_invalides', champs: ['document.type'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { type: 'moral' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.type'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { civilite: 'Mlle' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.civilite'] });
  });

  test('a document that is not base64', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ pdf: '%PDF-1.4 pas en base64' }) }), { statut: 400, code: 'donnees_invalides', champs: ['document.pdf'] });
  });

  test('a document that is not a PDF (magic bytes): 415', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ pdf: png }) }), { statut: 415, code: 'document_non_pdf', champs: ['document.pdf'] });
    // A PDF's name or type does not make it one: the content is checked.
    const texte = Buffer.from('Ceci est un fichier texte nommé convocation.pdf').toString('base64');
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ titre: 'convocation.pdf', pdf: texte }) }), { statut: 415, code: 'document_non_pdf', champs: ['document.pdf'] });
  });

  test('a document addressed to a party the case does not have', async () => {
    const c = await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ destinataires: ['P1', 'P9'] }) }), { statut: 400, code: 'donnees_invalides', champs: ['document.destinataires'] });
    expect(c.details.map((d) => d.message).join(' ')).toContain('P9');
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ destinataires: [] }) }), { statut: 400, code: 'donnees_invalides', champs: ['document.destinataires'] });
  });

  test('a consent for a party the case does not have', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, { partie: 'P9' }), { statut: 400, code: 'donnees_invalides', champs: ['partie'] });
  });

  test('a consent for a party without e-mail and without a representative', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/consentements`, { partie: 'P2' }), { statut: 400, code: 'donnees_invalides', champs: ['representant.courriel'] });
  });

  test('a consent on a case that cannot be followed online: 409', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${NON_SUIVIE}/consentements`, { partie: 'P1' }), { statut: 409, code: 'suivi_impossible' });
  });

  test('a bad Portalis number in the path', async () => {
    for (const mauvais of ['N7X4%202026', 'N7X4%2F2026', 'N7X4%ZZ', 'N'.repeat(65), 'N7X4%0A2026']) {
      await refuse(app, () => app.api('PUT', `/affaires/${mauvais}`, affaireValide()), { statut: 400, code: 'donnees_invalides', champs: ['numeroPortalis'] });
    }
    await refuse(app, () => app.api('POST', '/affaires/N7X4%202026/evenements', EVENEMENT), { statut: 400, code: 'donnees_invalides', champs: ['numeroPortalis'] });
    await refuse(app, () => app.api('DELETE', '/affaires/N7X4%2F2026/cloture'), { statut: 400, code: 'donnees_invalides', champs: ['numeroPortalis'] });
  });

  test('a bad hearing id in the path', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}/audiences/A%201`, AUDIENCE), { statut: 400, code: 'donnees_invalides', champs: ['id'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}/audiences/${'A'.repeat(65)}`, AUDIENCE), { statut: 400, code: 'donnees_invalides', champs: ['id'] });
    await refuse(app, () => app.api('DELETE', `/affaires/${AFFAIRE}/audiences/A%2F1`), { statut: 400, code: 'donnees_invalides', champs: ['id'] });
  });

  test('a write on a case that does not exist: 404', async () => {
    await refuse(app, () => app.api('POST', `/affaires/${ABSENTE}/evenements`, EVENEMENT), { statut: 404, code: 'introuvable' });
    await refuse(app, () => app.api('POST', `/affaires/${ABSENTE}/consentements`, { partie: 'P1' }), { statut: 404, code: 'introuvable' });
    await refuse(app, () => app.api('PUT', `/affaires/${ABSENTE}/audiences/A1`, AUDIENCE), { statut: 404, code: 'introuvable' });
    await refuse(app, () => app.api('POST', `/affaires/${ABSENTE}/cloture`, { date: '2026-12-20T12:00:00+01:00' }), { statut: 404, code: 'introuvable' });
    await refuse(app, () => app.api('DELETE', `/affaires/${ABSENTE}/cloture`), { statut: 404, code: 'introuvable' });
  });

  test('a case pushed before its juridiction described itself: 409 juridiction_inconnue', async () => {
    const c = await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide(), { jeton: JETON_LYON }), { statut: 409, code: 'juridiction_inconnue' });
    expect(c.erreur).toContain('TJ-LYON');
    expect((await app.api('GET', '/juridiction', undefined, { jeton: JETON_LYON })).status).toBe(404);
  });
});

// Inputs the schemas let through and the database then rejects: the API answers 500 (with a
// support reference) instead of a 400 naming the field. Each test states the expected answer.
describe('court API v1: values the database cannot store are refused up front', () => {
  test('a text containing a NUL character', async () => {
    await refuse(app, () => app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal\u0000' }), { statut: 400, code: 'donnees_invalides', champs: ['nom'] });
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ parties: [partie(0, { nom: 'DU\u0000BOIS' })] })), { statut: 400, code: 'donnees_invalides', champs: ['parties.0.nom'] });
  });

  test('a calendar date in year 0000', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide({ dateSaisine: '0000-01-01' })), { statut: 400, code: 'donnees_invalides', champs: ['dateSaisine'] });
  });

  test('an instant outside years 0001–9999 once in UTC, or with an offset beyond ±14:00', async () => {
    await refuse(app, () => app.api('PUT', `/affaires/${AFFAIRE}/audiences/A1`, { ...AUDIENCE, debut: '0001-01-01T00:30:00+01:00' }), { statut: 400, code: 'donnees_invalides', champs: ['debut'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, date: '9999-12-31T23:00:00-12:00' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
    await refuse(app, () => app.api('POST', `/affaires/${AFFAIRE}/cloture`, { date: '2026-12-20T12:00:00+25:00' }), { statut: 400, code: 'donnees_invalides', champs: ['date'] });
  });
});

describe('court API v1: documents over MAX_DOCUMENT_BYTES', () => {
  let petite: Application;
  beforeAll(async () => {
    petite = await demarrerApplication({ MAX_DOCUMENT_BYTES: '2048' });
    expect((await petite.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
    expect((await petite.api('PUT', `/affaires/${AFFAIRE}`, affaireValide())).status).toBe(200);
  });
  afterAll(async () => {
    await petite?.arreter();
  });

  const pdfDe = (octets: number) => Buffer.concat([PDF_MINIMAL, Buffer.alloc(octets - PDF_MINIMAL.length, 0x20)]);

  test('a PDF one byte over the limit: 413 naming document.pdf', async () => {
    const c = await refuse(petite, () => petite.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ pdf: pdfDe(2049).toString('base64') }) }), { statut: 413, code: 'document_trop_gros', champs: ['document.pdf'] });
    expect(c.erreur).toContain('2048');
  });

  test('a body far over what such a document needs: 413 before it is read', async () => {
    await refuse(petite, () => petite.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ pdf: pdfDe(200_000).toString('base64') }) }), { statut: 413, code: 'corps_trop_volumineux' });
  });

  test('a PDF of exactly the limit is accepted', async () => {
    const r = await petite.api('POST', `/affaires/${AFFAIRE}/evenements`, { ...EVENEMENT, document: document({ pdf: pdfDe(2048).toString('base64') }) });
    expect(r.status).toBe(201);
  });
});

// Court API v1 fuzzed with fast-check (issue 10 item 3): every write route gets bodies derived
// from a valid example and then mutated (wrong types, missing or extra fields, huge strings,
// control characters, NUL, unicode and lone surrogates, impossible dates and offsets, numbers
// out of range, bad base64, deep nesting), malformed JSON, wrong Content-Type or encoding, bad
// tokens and bad path parameters. Whatever comes in: never a 5xx; a 4xx is the JSON
// `{erreur, code, details}` in French without a stack trace; and a refused request changed no
// table of the database. A mutation may also produce a valid request: it is then accepted, and
// the test waits for its background effects (workflow, e-mails) before the next one.
//
// api-erreurs.it.test.ts checks each kind of refusal precisely; this file looks for the ones
// nobody thought of. On failure fast-check prints the seed and the shrunk counterexample;
// FUZZ_GRAINE=<seed> replays a run.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JETON_PARIS, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { empreinteBase, tablesModifiees, type EmpreinteBase } from '../aides/etat.js';
import { requeteEnvoyee } from '../aides/requete.js';
import { idWorkflowDossier } from '../../workflows/ids.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const AFFAIRE = 'FUZZ-2026-00001';
const NON_SUIVIE = 'FUZZ-2026-00002';
const ABSENTE = 'FUZZ-2026-09999';
const GRAINE = process.env.FUZZ_GRAINE ? Number(process.env.FUZZ_GRAINE) : undefined;

let app: Application;
/** A requête left as a draft (a valid registration of it is refused, 409) and a sent one. */
let brouillon: string;
let envoyee: string;

beforeAll(async () => {
  // CASE_RETENTION: a closure dated 1900 (a valid mutation) must not purge the case under test.
  app = await demarrerApplication({ CASE_RETENTION: 'P500Y' });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  expect((await app.api('PUT', `/affaires/${AFFAIRE}`, affaireValide())).status).toBe(200);
  expect((await app.api('PUT', `/affaires/${NON_SUIVIE}`, affaireValide({ numeroDossier: '26/00002', suiviEnLigne: false }))).status).toBe(200);
  brouillon = (await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'FUZZ', lieu: 'Paris', brouillon: true })).id;
  envoyee = (await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'ENVOYEE', lieu: 'Paris' })).id;
  avant = await stable();
}, 60000);
afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------
// The routes and their valid examples

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Route {
  methode: 'PUT' | 'POST' | 'DELETE';
  /** `:p` is the Portalis number, `:id` the hearing or requête id. */
  chemin: string;
  corps?: () => Json;
}

const EVENEMENT = { id: 'E-FUZZ', type: 'avis', date: '2026-10-01T09:30:00+02:00', libelle: 'Avis de fixation', document: { type: 'avis', titre: 'Avis', destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64') } };
const AUDIENCE = { debut: '2026-12-01T14:00:00+01:00', salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: 'Audience JAF' };
const CONSENTEMENT = { partie: 'P2', representant: { civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul', courriel: 'maitre.martin@example.fr', telephone: '06 11 22 33 44' } };

const ROUTES: Route[] = [
  { methode: 'PUT', chemin: '/juridiction', corps: () => ({ ...JURIDICTION_VALIDE, courriel: 'greffe@example.fr', horaires: 'Du lundi au vendredi' }) },
  { methode: 'PUT', chemin: '/affaires/:p', corps: () => affaireValide() as Json },
  { methode: 'POST', chemin: '/affaires/:p/evenements', corps: () => structuredClone(EVENEMENT) },
  { methode: 'PUT', chemin: '/affaires/:p/audiences/:id', corps: () => ({ ...AUDIENCE }) },
  { methode: 'DELETE', chemin: '/affaires/:p/audiences/:id' },
  { methode: 'POST', chemin: '/affaires/:p/consentements', corps: () => structuredClone(CONSENTEMENT) },
  { methode: 'POST', chemin: '/affaires/:p/cloture', corps: () => ({ date: '2026-12-20T12:00:00+01:00' }) },
  { methode: 'DELETE', chemin: '/affaires/:p/cloture' },
  { methode: 'POST', chemin: '/affaires/:p/lot' },
  { methode: 'DELETE', chemin: '/affaires/:p/lot' },
  { methode: 'POST', chemin: '/requetes/:id/enregistrement', corps: () => ({ numeroDossier: '26/00042', numeroPortalis: 'N7X4-2026-00042' }) },
];

// ------------------------------------------------------------------------------------------------
// Generators

/** Deep nesting is written as text: a nested value that deep would overflow JSON.stringify. */
const PROFOND = '\u0001profond\u0001';

const controles = fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u2028', '\ufeff', 'a', ' ', '\n', '\t', '\r'), minLength: 1, maxLength: 20 });
const dates = fc.constantFrom(
  '2026-13-01', '2026-02-29', '2024-02-29', '0000-01-01', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00', '2026-01-01T00:00:00+99:99',
  '2026-01-01T25:00:00Z', '2026-01-01T23:59:60Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567890Z',
  '2026-W01', '2026-001', '', ' 2026-01-01', '2026-01-01T00:00:00+14:01', '2026-01-01T00:00:00-12:00', '1899-12-31T23:00:00-01:00',
  '2200-12-31T23:59:59-14:00', '2026-12-01T14:00:00+01:00', '2026-10-10T10:10:10z', '٢٠٢٦-٠١-٠١', 'NaN', 'Infinity',
);
const base64 = fc.oneof(
  fc.constantFrom('====', 'JVBER', 'JVBERi0=xx', ' JVBERi0xLjQK', 'JVBERi0xLjQK\n', 'JVBERi0xLjQK%%', '', 'A', 'AA', 'AAA=', 'JVBERi0', 'JVBERi0-_w'),
  fc.uint8Array({ maxLength: 64 }).map((o) => Buffer.from(o).toString('base64')),
  fc.uint8Array({ maxLength: 64 }).map((o) => Buffer.concat([Buffer.from('%PDF-'), Buffer.from(o)]).toString('base64url')),
);
const nombres = fc.oneof(
  fc.constantFrom(1e308, -1e308, 0, -0, 2 ** 53 + 2, -(2 ** 63), 1.5, -1, 5e-324, 90.0000001, -180.5, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const grandes = fc.oneof(
  fc.integer({ min: 65, max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1000, max: 120_000 }).map((n) => 'é'.repeat(n)),
  fc.constant('n'.repeat(1_100_000)),
);
/** Anything a JSON body can carry where a field's value is expected. */
const valeur: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: controles },
  { weight: 2, arbitrary: dates },
  { weight: 1, arbitrary: base64 },
  { weight: 2, arbitrary: nombres },
  { weight: 1, arbitrary: grandes },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, '', ' ', 'P1', 'P9', '__proto__', 'constructor', PROFOND) },
);
const cles = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'toString', '', ' ', 'nom ', 'NOM', 'urgent', 'code', 'taille'), fc.string({ unit: 'grapheme', maxLength: 12 }));

type Mutation = { type: 'remplacer'; chemin: number; valeur: Json } | { type: 'inserer'; chemin: number; position: number; texte: string } | { type: 'supprimer'; chemin: number } | { type: 'ajouter'; chemin: number; cle: string; valeur: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('remplacer' as const), chemin: fc.nat(), valeur }) },
  // Inside a valid text: it keeps its length and shape, so only the inserted characters can be refused.
  { weight: 3, arbitrary: fc.record({ type: fc.constant('inserer' as const), chemin: fc.nat(), position: fc.nat(), texte: fc.oneof(controles, fc.string({ unit: 'binary', maxLength: 5 }), fc.string({ unit: 'grapheme', maxLength: 5 })) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('supprimer' as const), chemin: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('ajouter' as const), chemin: fc.nat(), cle: cles, valeur }) },
);

/** Every place of a JSON value: the paths to the value itself, its members and elements. */
function chemins(v: Json, prefixe: (string | number)[] = []): (string | number)[][] {
  const r = [prefixe];
  if (Array.isArray(v)) v.forEach((x, i) => r.push(...chemins(x, [...prefixe, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) r.push(...chemins(x, [...prefixe, k]));
  return r;
}

function appliquer(corps: Json, m: Mutation): Json {
  const tous = chemins(corps);
  const chemin = tous[m.chemin % tous.length]!;
  if (chemin.length === 0) {
    if (m.type === 'remplacer') return m.valeur;
    if (m.type === 'inserer') return m.texte;
    if (m.type === 'ajouter' && corps && typeof corps === 'object' && !Array.isArray(corps)) return { ...corps, [m.cle]: m.valeur };
    return corps;
  }
  const parent = chemin.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k as string]!, corps) as Record<string | number, Json>;
  const cle = chemin[chemin.length - 1]!;
  if (m.type === 'remplacer') parent[cle] = m.valeur;
  else if (m.type === 'inserer') {
    const v = parent[cle];
    const i = typeof v === 'string' ? m.position % (v.length + 1) : 0;
    parent[cle] = typeof v === 'string' ? v.slice(0, i) + m.texte + v.slice(i) : m.texte;
  }
  else if (m.type === 'supprimer') {
    if (Array.isArray(parent)) parent.splice(cle as number, 1);
    else delete parent[cle];
  } else {
    const cible = parent[cle];
    if (cible && typeof cible === 'object' && !Array.isArray(cible)) Object.defineProperty(cible, m.cle, { value: m.valeur, enumerable: true, configurable: true, writable: true });
    else parent[cle] = { [m.cle]: m.valeur };
  }
  return corps;
}

/** Serialises, writing the deep-nesting placeholders as thousands of nested arrays and objects. */
function serialiser(corps: Json, profondeur: number): string {
  const imbrique = profondeur % 2 ? '['.repeat(profondeur) + ']'.repeat(profondeur) : '{"a":'.repeat(profondeur) + '1' + '}'.repeat(profondeur);
  return JSON.stringify(corps).split(JSON.stringify(PROFOND)).join(imbrique);
}

const MAL_FORMES = [
  '', ' ', '{', '}', '{"a":}', "{'a':1}", '{"a":1,}', '[1,2', 'null', 'true', '0', '"texte"', '\u0000', '{"a":"\u0000"}', 'NaN',
  '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1e999}', '{"a":"\\ud800"}',
  '{"a":"\\u0000"}', '{"a":-}', '{"a":01}', '{"a":.5}', '{"a":"\t"}', '{"nom":"A","nom":"B"}',
];
const TYPES_CONTENU = [
  'text/plain', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=nimporte', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/jsonx', 'application/merge-patch+json', 'application/*', '*/*', 'application/json;;', 'APPLICATION/JSON', 'application/vnd.api+json',
];

interface Cas {
  route: number;
  portalis: string;
  id: string;
  mutations: Mutation[];
  /** When set, the body is this text instead of the mutated example. */
  brut: string | null;
  typeContenu: string | null;
  encodage: string | null;
  jeton: string | null | undefined;
  profondeur: number;
  methode: string | null;
}

/** A path parameter: the right one most of the time, else anything, percent-encoded or raw. */
const segment = (bons: string[]) => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...bons) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 0, maxLength: 80 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%C3%28', '%ED%A0%80', '%FF', '..', '.', '%2e%2e', 'a%2Fb', 'a%5Cb', 'a;b', 'A'.repeat(65), 'A'.repeat(5000), '%20', 'null', 'undefined', '00000000-0000-0000-0000-000000000000', 'ZZZZZZZZ-0000-0000-0000-000000000000') },
);

/** `a`'s value once in `sur` cases, null otherwise (fc.option's freq is the chance of null). */
const parfois = <T>(a: fc.Arbitrary<T>, sur: number) => fc.oneof({ weight: sur - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a });

const cas: fc.Arbitrary<Cas> = fc.record({
  route: fc.nat({ max: ROUTES.length - 1 }),
  portalis: segment([AFFAIRE, AFFAIRE, NON_SUIVIE, ABSENTE]),
  id: segment(['A1', 'A2', 'brouillon', 'envoyee']),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  brut: parfois(fc.oneof(fc.constantFrom(...MAL_FORMES), fc.string({ unit: 'binary', maxLength: 60 })), 8),
  typeContenu: parfois(fc.constantFrom(...TYPES_CONTENU), 8),
  encodage: parfois(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-nimporte'), 12),
  jeton: parfois(fc.constantFrom('(aucun)', '', 'x', JETON_PARIS.slice(0, -1), `${JETON_PARIS} `, JETON_LYON), 12).map((j) => (j === null ? undefined : j === '(aucun)' ? null : j)),
  profondeur: fc.integer({ min: 100, max: 20_000 }),
  methode: parfois(fc.constantFrom('PATCH', 'GET', 'OPTIONS', 'HEAD', 'PUT', 'POST', 'DELETE'), 15),
});

// ------------------------------------------------------------------------------------------------
// The properties

/** French words a message has; a stack frame, file name or library that must never reach a client. */
const FRANCAIS = /[àâçéèêëîïôûùüœ’]|\b(le|la|les|du|de|des|un|une|ce|cette|ne|pas|est|doit|attendue?s?)\b/i;
const FUITE = /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d+|node_modules|sqlstate|violates|syntax error at/i;

let avant: EmpreinteBase;
const journalDesCas: string[] = [];

/**
 * The database once everything a previous accepted request started has settled: its workflow
 * has sent what the outbox holds and two snapshots 300 ms apart agree.
 */
async function stable(): Promise<EmpreinteBase> {
  let precedent = await empreinteBase(app.pool);
  for (let i = 0; i < 40; i++) {
    await pause(300);
    const e = await empreinteBase(app.pool);
    const enAttente = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE statut IN ('en_attente', 'echec_temporaire')`);
    if (enAttente === 0 && tablesModifiees(precedent, e).length === 0) return e;
    precedent = e;
  }
  throw new Error('la base ne se stabilise pas après une requête acceptée');
}

function decrire(c: Cas, methode: string, chemin: string, corps: string | undefined): string {
  const extrait = corps === undefined ? '(sans corps)' : corps.length > 300 ? `${corps.slice(0, 300)}… (${corps.length} caractères)` : corps;
  return `${methode} ${chemin} [Content-Type: ${c.typeContenu ?? 'application/json'}${c.encodage ? `, Content-Encoding: ${c.encodage}` : ''}${c.jeton !== undefined ? `, jeton ${JSON.stringify(c.jeton)}` : ''}] ${extrait}`;
}

async function executer(c: Cas): Promise<void> {
  const route = ROUTES[c.route]!;
  const chemin = route.chemin.replace(':p', c.portalis).replace(':id', c.id === 'brouillon' ? brouillon : c.id === 'envoyee' ? envoyee : c.id);
  const methode = c.methode ?? route.methode;
  let corps: string | undefined;
  if (c.brut !== null) corps = c.brut;
  else if (route.corps) corps = serialiser(c.mutations.reduce(appliquer, route.corps()), c.profondeur);
  const entetes: Record<string, string> = {};
  if (c.jeton !== null) entetes.Authorization = `Bearer ${c.jeton ?? JETON_PARIS}`;
  if (corps !== undefined || c.typeContenu) entetes['Content-Type'] = c.typeContenu ?? 'application/json';
  if (c.encodage) entetes['Content-Encoding'] = c.encodage;
  const description = decrire(c, methode, chemin, corps);
  const r = await fetch(`${app.url}/api/v1${chemin}`, { method: methode, headers: entetes, body: methode === 'GET' || methode === 'HEAD' ? undefined : corps });
  const texte = await r.text();
  journalDesCas.push(`${r.status} ${description.slice(0, 160)}`);
  if (r.status >= 500) throw new Error(`${r.status} pour ${description}\n${texte}`);
  if (r.status >= 400 && methode !== 'HEAD') {
    if (!/^application\/json/.test(r.headers.get('content-type') ?? '')) throw new Error(`erreur ${r.status} sans JSON pour ${description}`);
    const e = JSON.parse(texte) as { erreur?: unknown; code?: unknown; details?: unknown };
    if (typeof e.erreur !== 'string' || !FRANCAIS.test(e.erreur) || typeof e.code !== 'string' || !Array.isArray(e.details)) {
      throw new Error(`erreur ${r.status} mal formée pour ${description} : ${texte.slice(0, 500)}`);
    }
    if (FUITE.test(texte)) throw new Error(`fuite dans l’erreur ${r.status} pour ${description} : ${texte.slice(0, 1000)}`);
  }
  if (r.status >= 400) {
    const apres = await empreinteBase(app.pool);
    const modifiees = tablesModifiees(avant, apres);
    if (modifiees.length) throw new Error(`requête refusée (${r.status}) mais tables modifiées : ${modifiees.join(', ')} — ${description}`);
  } else {
    avant = await stable();
  }
}

describe('court API v1 under generated malformed input', () => {
  test('never a 5xx, errors in French as JSON, a refused request changes nothing', async () => {
    const debut = Date.now();
    // Cases found by earlier runs, replayed first on every run.
    const trouves: [Cas][] = [
      // A NUL in a registration's case number reached PostgreSQL (500) before the schema refused control characters.
      [{ route: ROUTES.findIndex((r) => r.chemin.endsWith('/enregistrement')), portalis: AFFAIRE, id: 'envoyee', mutations: [{ type: 'remplacer', chemin: 1, valeur: '26/\u000000042' }], brut: null, typeContenu: null, encodage: null, jeton: undefined, profondeur: 100, methode: null }],
      // A large body declared gzip but not gzip: refused before it was read, left paused, the
      // client got a connection reset instead of the 4xx (web/middleware/erreurs.ts drains it now).
      [{ route: 1, portalis: 'ZZZZZZZZ-0000-0000-0000-000000000000', id: 'A1', mutations: [{ type: 'remplacer', chemin: 1935676688, valeur: 'x' }], brut: null, typeContenu: null, encodage: 'gzip', jeton: undefined, profondeur: 11742, methode: null }],
    ];
    await fc.assert(fc.asyncProperty(cas, executer), { numRuns: 300, seed: GRAINE, endOnFailure: true, interruptAfterTimeLimit: 65_000, examples: trouves });
    const statuts = journalDesCas.reduce<Record<string, number>>((a, l) => ((a[l.slice(0, 3)] = (a[l.slice(0, 3)] ?? 0) + 1), a), {});
    console.log(`fuzz API : ${journalDesCas.length} requêtes en ${((Date.now() - debut) / 1000).toFixed(1)} s, statuts ${JSON.stringify(statuts)}`);
    // The time limit stops a run on a loaded machine early; below this, it tested too little.
    expect(journalDesCas.length).toBeGreaterThanOrEqual(50);
    // Both sides are exercised: most requests refused, a few accepted.
    expect(journalDesCas.filter((l) => l.startsWith('2')).length).toBeGreaterThan(0);
    expect(journalDesCas.filter((l) => l.startsWith('4')).length).toBeGreaterThan(journalDesCas.length / 2);

    // What accepted requests started is consistent: every case followed online has its
    // workflow, and every workflow is a case's (a case may have stopped being followed since).
    const dossiers = await app.pool.any(sql.type(z.object({ id: z.string(), suivi: z.boolean() }))`SELECT id, suivi_en_ligne AS suivi FROM dossier`);
    const lister = async () => {
      const ids: string[] = [];
      for await (const w of app.temporal.workflow.list({ query: `WorkflowType = 'dossier' AND TaskQueue = '${app.config.TEMPORAL_TASK_QUEUE}'` })) ids.push(w.workflowId);
      return ids.sort();
    };
    const suivis = dossiers.filter((d) => d.suivi).map((d) => idWorkflowDossier(d.id));
    let ids = await lister();
    for (let i = 0; i < 50 && !suivis.every((s) => ids.includes(s)); i++) ids = (await pause(200), await lister());
    expect(ids).toEqual(expect.arrayContaining(suivis));
    expect(dossiers.map((d) => idWorkflowDossier(d.id))).toEqual(expect.arrayContaining(ids));
    const envoyes = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE canal = 'courriel' AND statut = 'envoye'`);
    expect((await app.courriels()).length).toBe(envoyes);
  }, 90_000);
});

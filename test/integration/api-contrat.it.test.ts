// Court API v1 against its own document (web/api/openapi.json, DESIGN.md "Documented in
// web/api/openapi.json"): the committed file is what web/api/openapi.ts generates; the router and
// the document list the same operations; and each operation, driven with valid and invalid
// requests on the real portal, answers one of its documented statuses with a body that validates
// against the documented schema, while each valid request body validates against the documented
// request schema (the document accepts what the API accepts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { CHEMIN_DOCUMENT, documentOpenApi } from '../../web/api/openapi.js';
import { routeurApi } from '../../web/api/v1/routes.js';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { sql } from 'slonik';
import { z } from 'zod';
import * as comptes from '../../db/comptes.js';
import * as requetes from '../../services/requetes.js';

// ------------------------------------------------------------------------------------------------
// The document

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}

const METHODES = ['get', 'put', 'post', 'delete', 'patch'] as const;
const engage = readFileSync(CHEMIN_DOCUMENT, 'utf8');
const doc = JSON.parse(engage) as Document;

// ajv is a transitive dependency here (webpack's schema-utils, through @temporalio/worker); the
// CommonJS default export is reached through `.default`, which both the types and the runtime have.
const ajv = new Ajv2019.default({ allErrors: true, strictTypes: false });
addFormats.default(ajv);
// `components` holds the schemas that `#/components/schemas/…` references point to.
ajv.addVocabulary(['components']);
const valideurs = new Map<string, ValidateFunction>();
function valideur(schema: Schema): ValidateFunction {
  const cle = JSON.stringify(schema);
  let v = valideurs.get(cle);
  if (!v) {
    v = ajv.compile({ ...schema, components: doc.components });
    valideurs.set(cle, v);
  }
  return v;
}
function erreursSchema(schema: Schema, valeur: unknown): string | null {
  const v = valideur(schema);
  if (v(valeur)) return null;
  return (v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

function operation(methode: string, gabarit: string): Operation {
  const o = doc.paths[gabarit]?.[methode.toLowerCase()];
  if (!o) throw new Error(`${methode} ${gabarit} n’est pas dans web/api/openapi.json`);
  return o;
}

// ------------------------------------------------------------------------------------------------
// (a) and (b)

describe('the OpenAPI document of court API v1', () => {
  test('web/api/openapi.json is what web/api/openapi.ts generates', () => {
    const genere = JSON.stringify(documentOpenApi(), null, 2) + '\n';
    if (engage !== genere) {
      const a = engage.split('\n');
      const b = genere.split('\n');
      const i = a.findIndex((l, n) => l !== b[n]);
      throw new Error(
        'web/api/openapi.json is not what web/api/openapi.ts generates from the zod schemas: run `npm run openapi` ' +
          `after changing a schema or the document, and commit web/api/openapi.json.\nFirst difference at line ${i + 1}:\n` +
          `  committed: ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`,
      );
    }
  });

  test('every documented schema compiles (valid JSON Schema 2019-09)', () => {
    for (const [gabarit, ops] of Object.entries(doc.paths)) {
      for (const [methode, o] of Object.entries(ops)) {
        const schemas = [o.requestBody?.content['application/json'].schema, ...Object.values(o.responses).map((r) => r.content?.['application/json']?.schema)];
        for (const s of schemas) if (s) expect(() => valideur(s)).not.toThrow(`${methode} ${gabarit}`);
      }
    }
  });
});

let app: Application;

beforeAll(async () => {
  // A small document limit keeps the 413 case light.
  app = await demarrerApplication({ MAX_DOCUMENT_BYTES: '4096' });
  // A requête sent by a citizen, for the court side (GET /requetes, registration).
  await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
  const ctx = { pool: app.pool, temporal: app.temporal, config: app.config };
  const { compte } = await comptes.connecter(app.pool, { iss: 'https://fc.test', sub: 'contrat', given_name: 'Angela', family_name: 'DUBOIS', email: 'angela@example.fr' });
  requeteId = await requetes.commencer(ctx, compte.id, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
  await requetes.enregistrerChamps(ctx, compte.id, requeteId, { infraction: 'Vol', dateFaits: '2026-03-02', lieuFaits: 'Paris', prejudice: 'Matériel' });
  await requetes.ajouterPiece(ctx, compte.id, requeteId, { nom: 'plainte.pdf', octets: PDF_MINIMAL });
  if (!(await requetes.envoyer(ctx, compte.id, requeteId)).acceptee) throw new Error('requête refusée');
  const fin = Date.now() + 30000;
  while ((await app.pool.oneFirst(sql.type(z.object({ s: z.string() }))`SELECT statut AS s FROM requete WHERE id = ${requeteId}`)) !== 'envoyee') {
    if (Date.now() > fin) throw new Error('requête non transmise');
    await new Promise((r) => setTimeout(r, 200));
  }
  pieceId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM piece_jointe WHERE requete_id = ${requeteId}`);
}, 90000);
let requeteId = '';
let pieceId = '';
/** Scenario paths name the test's requête and attachment by these placeholders. */
const chemin = (c: string) => c.replace('REQUETE', requeteId).replace('PIECE', pieceId);
afterAll(async () => {
  await app?.arreter();
});

describe('the router and the document', () => {
  test('list the same operations', () => {
    const routeur = routeurApi({ pool: app.pool, temporal: app.temporal, config: app.config });
    const routes = new Set<string>();
    for (const couche of routeur.stack) {
      for (const m of couche.methods) {
        if (m === 'HEAD') continue;
        routes.add(`${m} ${String(couche.path).replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')}`);
      }
    }
    const documentees = new Set<string>();
    for (const [gabarit, ops] of Object.entries(doc.paths)) {
      for (const m of METHODES) if (ops[m]) documentees.add(`${m.toUpperCase()} ${gabarit}`);
    }
    expect({ 'routed but not documented': [...routes].filter((r) => !documentees.has(r)).sort() }).toEqual({ 'routed but not documented': [] });
    expect({ 'documented but not routed': [...documentees].filter((r) => !routes.has(r)).sort() }).toEqual({ 'documented but not routed': [] });
    expect(routes.size).toBeGreaterThanOrEqual(10);
  });

  test('the served document is the committed one', async () => {
    const r = await app.api('GET', '/openapi.json', undefined, { jeton: null });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await r.text()).toBe(engage);
  });
});

// ------------------------------------------------------------------------------------------------
// (c) every operation answers as documented

const AFFAIRE = 'N7X4-2026-00201';
const NON_SUIVIE = 'N7X4-2026-00202';
const ABSENTE = 'N7X4-2026-09999';
const PDF = PDF_MINIMAL.toString('base64');

const affaireComplete = affaireValide({
  parties: [
    { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', nomUsage: 'MARTIN', prenoms: 'Angela Marie', majeurProtege: false, courriel: 'angela.dubois@example.fr', telephone: '06 12 34 56 78', avocat: 'Maître Durand' },
    { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: 'Société Exemple SARL', formeJuridique: 'SARL', courriel: null, telephone: null },
    { id: 'P3', role: 'Partie jointe', type: 'autorite', titre: 'Procureur de la République' },
    { id: 'P4', role: 'Intervenant', type: 'physique', civilite: 'M.', nom: 'LEROY', majeurProtege: true, telephone: '+33 7 98 76 54 32' },
  ],
});
const evenement = { id: 'E1', type: 'convocation', date: '2026-10-01T09:30:00+02:00', libelle: 'Convocation à l’audience', document: { type: 'convocation', titre: 'Convocation', destinataires: ['P1', 'P2'], pdf: PDF } };
const audience = { debut: '2026-12-01T14:00:00+01:00', salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: 'Audience JAF' };

interface Scenario {
  nom: string;
  methode: 'GET' | 'PUT' | 'POST' | 'DELETE';
  gabarit: string;
  chemin: string;
  corps?: unknown;
  brut?: string;
  entetes?: Record<string, string>;
  jeton?: string | null;
  statut: number;
  /** The document's request schema must reject this body too (a schema-level error). */
  refuseParDocument?: boolean;
}

const json = (o: unknown) => JSON.stringify(o);

// In order: each scenario may rely on the ones before it.
const SCENARIOS: Scenario[] = [
  { nom: 'the document, without a token', methode: 'GET', gabarit: '/openapi.json', chemin: '/openapi.json', jeton: null, statut: 200 },

  { nom: 'not described yet', methode: 'GET', gabarit: '/juridiction', chemin: '/juridiction', jeton: JETON_LYON, statut: 404 },
  { nom: 'without a token', methode: 'GET', gabarit: '/juridiction', chemin: '/juridiction', jeton: null, statut: 401 },
  { nom: 'a full description', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { ...JURIDICTION_VALIDE, courriel: 'sauj.tj-paris@justice.fr', horaires: 'Du lundi au vendredi, de 9 h à 17 h' }, statut: 200 },
  { nom: 'the same again (idempotent)', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { ...JURIDICTION_VALIDE, courriel: 'sauj.tj-paris@justice.fr', horaires: 'Du lundi au vendredi, de 9 h à 17 h' }, statut: 200 },
  { nom: 'the minimal description', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { nom: JURIDICTION_VALIDE.nom, adresse: JURIDICTION_VALIDE.adresse }, statut: 200 },
  { nom: 'without adresse', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { nom: 'Tribunal judiciaire de Paris' }, statut: 400, refuseParDocument: true },
  { nom: 'latitude as text', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { ...JURIDICTION_VALIDE, latitude: '48.9' }, statut: 400, refuseParDocument: true },
  { nom: 'not JSON', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', brut: json(JURIDICTION_VALIDE), entetes: { 'Content-Type': 'text/plain' }, statut: 415 },
  { nom: 'a wrong token', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: JURIDICTION_VALIDE, jeton: 'x'.repeat(40), statut: 401 },
  { nom: 'over 1 MB', methode: 'PUT', gabarit: '/juridiction', chemin: '/juridiction', corps: { ...JURIDICTION_VALIDE, horaires: 'x'.repeat(1_100_000) }, statut: 413 },
  { nom: 'described', methode: 'GET', gabarit: '/juridiction', chemin: '/juridiction', statut: 200 },

  { nom: 'a case with every kind of party', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireComplete, statut: 200 },
  { nom: 'the same case again (idempotent)', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireComplete, statut: 200 },
  { nom: 'a case that cannot be followed online', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${NON_SUIVIE}`, corps: affaireValide({ numeroDossier: '26/00202', suiviEnLigne: false, parties: [] }), statut: 200 },
  { nom: 'an unknown field', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireValide({ urgent: true }), statut: 400, refuseParDocument: true },
  { nom: 'an unknown party type', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireValide({ parties: [{ id: 'P1', role: 'r', type: 'personne' }] }), statut: 400, refuseParDocument: true },
  { nom: 'a bad Portalis number', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: '/affaires/N7X4%202026', corps: affaireValide(), statut: 400 },
  { nom: 'before the juridiction described itself', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireValide(), jeton: JETON_LYON, statut: 409 },
  { nom: 'not JSON', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, brut: json(affaireValide()), entetes: { 'Content-Type': 'text/csv' }, statut: 415 },
  { nom: 'without a token', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}', chemin: `/affaires/${AFFAIRE}`, corps: affaireValide(), jeton: null, statut: 401 },

  { nom: 'an event with a document', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: evenement, statut: 201 },
  { nom: 'the same event again', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: evenement, statut: 200 },
  { nom: 'an event without document', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { id: 'E2', type: 'audience', date: '2026-10-02T10:00:00Z', libelle: 'Renvoi' }, statut: 201 },
  { nom: 'the same id with another body', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, libelle: 'Autre' }, statut: 409 },
  { nom: 'a case that does not exist', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${ABSENTE}/evenements`, corps: { ...evenement, id: 'E3' }, statut: 404 },
  { nom: 'a date without offset', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, id: 'E3', date: '2026-10-01T09:30:00' }, statut: 400, refuseParDocument: true },
  { nom: 'a document type outside the list', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, id: 'E3', document: { ...evenement.document, type: 'jugement' } }, statut: 400, refuseParDocument: true },
  { nom: 'a document that is not a PDF', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, id: 'E3', document: { ...evenement.document, pdf: Buffer.from('GIF89a……').toString('base64') } }, statut: 415 },
  { nom: 'a document over MAX_DOCUMENT_BYTES', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, id: 'E3', document: { ...evenement.document, pdf: Buffer.concat([PDF_MINIMAL, Buffer.alloc(5000, 0x20)]).toString('base64') } }, statut: 413 },
  { nom: 'a body over the limit', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: { ...evenement, id: 'E3', libelle: 'x'.repeat(200_000) }, statut: 413 },
  { nom: 'not JSON', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, brut: json(evenement), entetes: { 'Content-Type': 'application/xml' }, statut: 415 },
  { nom: 'without a token', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/evenements', chemin: `/affaires/${AFFAIRE}/evenements`, corps: evenement, jeton: null, statut: 401 },

  { nom: 'a hearing', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, corps: audience, statut: 200 },
  { nom: 'the hearing moved, without a room', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, corps: { ...audience, salle: null, debut: '2026-12-08T10:00:00+01:00' }, statut: 200 },
  { nom: 'a hearing id with a colon', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/JAF:2026.12-01_A`, corps: audience, statut: 200 },
  { nom: 'a case that does not exist', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${ABSENTE}/audiences/A1`, corps: audience, statut: 404 },
  { nom: 'without libelle', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, corps: { debut: audience.debut, adresse: audience.adresse }, statut: 400, refuseParDocument: true },
  { nom: 'a bad hearing id', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A%201`, corps: audience, statut: 400 },
  { nom: 'not JSON', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, brut: json(audience), entetes: { 'Content-Type': 'text/plain' }, statut: 415 },
  { nom: 'without a token', methode: 'PUT', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, corps: audience, jeton: null, statut: 401 },

  { nom: 'cancelled', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, statut: 204 },
  { nom: 'cancelled again', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, statut: 204 },
  { nom: 'a hearing that does not exist', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A9`, statut: 404 },
  { nom: 'a bad hearing id', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A%2F1`, statut: 400 },
  { nom: 'without a token', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/audiences/{id}', chemin: `/affaires/${AFFAIRE}/audiences/A1`, jeton: null, statut: 401 },

  { nom: 'a party’s consent', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${AFFAIRE}/consentements`, corps: { partie: 'P1' }, statut: 201 },
  { nom: 'the same consent again', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${AFFAIRE}/consentements`, corps: { partie: 'P1' }, statut: 200 },
  { nom: 'a consent through a representative', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${AFFAIRE}/consentements`, corps: { partie: 'P2', representant: { civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul', courriel: 'paul.martin@example.fr', telephone: '0601020304' } }, statut: 201 },
  { nom: 'a case that cannot be followed online', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${NON_SUIVIE}/consentements`, corps: { partie: 'P1' }, statut: 409 },
  { nom: 'a party the case does not have', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${AFFAIRE}/consentements`, corps: { partie: 'P9' }, statut: 400 },
  { nom: 'a representative without e-mail', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${AFFAIRE}/consentements`, corps: { partie: 'P3', representant: { nom: 'MARTIN' } }, statut: 400, refuseParDocument: true },
  { nom: 'a case that does not exist', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', chemin: `/affaires/${ABSENTE}/consentements`, corps: { partie: 'P1' }, statut: 404 },
  { nom: 'not JSON', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/consentements', brut: 'partie=P1', chemin: `/affaires/${AFFAIRE}/consentements`, entetes: { 'Content-Type': 'application/x-www-form-urlencoded' }, statut: 415 },

  { nom: 'batch opened', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${AFFAIRE}/lot`, statut: 201 },
  { nom: 'batch opened again (idempotent, expiry moves)', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${AFFAIRE}/lot`, statut: 200 },
  { nom: 'a case that does not exist', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${ABSENTE}/lot`, statut: 404 },
  { nom: 'without a token', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${AFFAIRE}/lot`, jeton: null, statut: 401 },
  { nom: 'batch closed', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${AFFAIRE}/lot`, statut: 204 },
  { nom: 'batch closed again', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/lot', chemin: `/affaires/${AFFAIRE}/lot`, statut: 204 },
  { nom: 'a bad Portalis number', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/lot', chemin: '/affaires/N7X4%2F2026/lot', statut: 400 },
  { nom: 'closed', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, corps: { date: '2026-12-20T12:00:00+01:00' }, statut: 204 },
  { nom: 'a date without offset', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, corps: { date: '2026-12-20' }, statut: 400, refuseParDocument: true },
  { nom: 'a case that does not exist', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${ABSENTE}/cloture`, corps: { date: '2026-12-20T12:00:00+01:00' }, statut: 404 },
  { nom: 'without a body', methode: 'POST', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, statut: 415 },
  { nom: 'reopened', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, statut: 204 },
  { nom: 'reopened again', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, statut: 204 },
  { nom: 'a case that does not exist', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${ABSENTE}/cloture`, statut: 404 },
  { nom: 'a bad Portalis number', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: '/affaires/N7X4%2F2026/cloture', statut: 400 },
  { nom: 'without a token', methode: 'DELETE', gabarit: '/affaires/{numeroPortalis}/cloture', chemin: `/affaires/${AFFAIRE}/cloture`, jeton: null, statut: 401 },

  { nom: 'the sent requêtes', methode: 'GET', gabarit: '/requetes', chemin: '/requetes', statut: 200 },
  { nom: 'the registered ones, 10 at most', methode: 'GET', gabarit: '/requetes', chemin: '/requetes?statut=enregistree&limite=10', statut: 200 },
  { nom: 'an unknown status', methode: 'GET', gabarit: '/requetes', chemin: '/requetes?statut=brouillon', statut: 400 },
  { nom: 'without a token', methode: 'GET', gabarit: '/requetes', chemin: '/requetes', jeton: null, statut: 401 },
  { nom: 'an attachment', methode: 'GET', gabarit: '/requetes/{id}/pieces/{pieceId}', chemin: '/requetes/REQUETE/pieces/PIECE', statut: 200 },
  { nom: 'from another juridiction', methode: 'GET', gabarit: '/requetes/{id}/pieces/{pieceId}', chemin: '/requetes/REQUETE/pieces/PIECE', jeton: JETON_LYON, statut: 404 },
  { nom: 'without a token', methode: 'GET', gabarit: '/requetes/{id}/pieces/{pieceId}', chemin: '/requetes/REQUETE/pieces/PIECE', jeton: null, statut: 401 },
  { nom: 'without numeroPortalis', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00300' }, statut: 400, refuseParDocument: true },
  { nom: 'by another juridiction', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00300', numeroPortalis: 'N7X4-2026-00300' }, jeton: JETON_LYON, statut: 404 },
  { nom: 'registered', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00300', numeroPortalis: 'N7X4-2026-00300' }, statut: 200 },
  { nom: 'registered again (idempotent)', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00300', numeroPortalis: 'N7X4-2026-00300' }, statut: 200 },
  { nom: 'other numbers', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00301', numeroPortalis: 'N7X4-2026-00301' }, statut: 409 },
  { nom: 'not JSON', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', brut: 'numeroDossier=1', entetes: { 'Content-Type': 'text/plain' }, statut: 415 },
  { nom: 'without a token', methode: 'POST', gabarit: '/requetes/{id}/enregistrement', chemin: '/requetes/REQUETE/enregistrement', corps: { numeroDossier: '26/00300', numeroPortalis: 'N7X4-2026-00300' }, jeton: null, statut: 401 },
];

/** The path parameters of `chemin` as the template names them, decoded. */
function parametresChemin(gabarit: string, chemin: string): Record<string, string> {
  const g = gabarit.split('/');
  const c = chemin.split('/');
  const p: Record<string, string> = {};
  g.forEach((s, i) => {
    const m = /^\{(\w+)\}$/.exec(s);
    if (m) p[m[1]!] = decodeURIComponent(c[i] ?? '');
  });
  return p;
}

describe('every operation answers as documented', () => {
  for (const s of SCENARIOS) {
    test(`${s.methode} ${s.gabarit} — ${s.nom} → ${s.statut}`, async () => {
      const o = operation(s.methode, s.gabarit);
      const succes = s.statut < 300;

      // The request as the document describes it.
      if (s.corps !== undefined) {
        const schemaCorps = o.requestBody?.content['application/json'].schema;
        expect({ 'documented request body': !!schemaCorps }).toEqual({ 'documented request body': true });
        const erreurs = erreursSchema(schemaCorps!, s.corps);
        if (succes) expect({ 'request body against the document': erreurs }).toEqual({ 'request body against the document': null });
        if (s.refuseParDocument) expect({ 'the document rejects it too': erreurs !== null }).toEqual({ 'the document rejects it too': true });
      }
      for (const [nom, valeur] of Object.entries(parametresChemin(s.gabarit, chemin(s.chemin).split('?')[0]!))) {
        const p = o.parameters?.find((x) => x.in === 'path' && x.name === nom);
        expect({ 'documented path parameter': p?.name }).toEqual({ 'documented path parameter': nom });
        if (s.statut !== 400) expect({ [nom]: erreursSchema(p!.schema, valeur) }).toEqual({ [nom]: null });
      }

      const r = await app.api(s.methode, chemin(s.chemin), s.corps, { jeton: s.jeton, brut: s.brut, entetes: s.entetes });
      const texte = await r.text();
      expect({ statut: r.status, corps: texte.slice(0, 500) }).toEqual({ statut: s.statut, corps: expect.any(String) });
      expect({ [`${s.methode} ${s.gabarit} documents`]: Object.keys(o.responses) }).toEqual({ [`${s.methode} ${s.gabarit} documents`]: expect.arrayContaining([String(r.status)]) });

      const contenu = o.responses[String(r.status)]!.content;
      const schemaReponse = contenu?.['application/json']?.schema;
      if (contenu && !contenu['application/json']) {
        // A file (an attachment): one of the documented media types, not JSON.
        expect(Object.keys(contenu)).toContain(r.headers.get('content-type')?.split(';')[0]);
      } else if (schemaReponse) {
        expect(r.headers.get('content-type')).toMatch(/^application\/json/);
        expect({ 'response body against the document': erreursSchema(schemaReponse, JSON.parse(texte)) }).toEqual({ 'response body against the document': null });
      } else {
        expect(texte).toBe('');
      }
    });
  }

  test('each documented operation was driven with a valid request and, when it documents an error, an invalid one', () => {
    const manque: string[] = [];
    for (const [gabarit, ops] of Object.entries(doc.paths)) {
      for (const m of METHODES) {
        const o = ops[m];
        if (!o) continue;
        const faits = SCENARIOS.filter((s) => s.gabarit === gabarit && s.methode === m.toUpperCase());
        if (!faits.some((s) => s.statut < 300)) manque.push(`${m.toUpperCase()} ${gabarit}: no valid request`);
        if (Object.keys(o.responses).some((c) => c >= '400') && !faits.some((s) => s.statut >= 400)) manque.push(`${m.toUpperCase()} ${gabarit}: no invalid request`);
      }
    }
    expect(manque).toEqual([]);
  });
});

// The dashboard at scale (issue 5): one account with 223 attached links, searched, filtered,
// sorted and paged on the whole portal (real Postgres and Temporal). Every expected answer is
// computed here from the data model the test built, then compared with what the page shows, so
// the SQL is checked against an independent statement of the rules.
//
// How the data is made: the cases, their parties, hearings and closures go through the court
// API (app.api), as a court would push them. The consents, identification numbers and links
// are inserted with SQL (helpers below): the real add flow (e-mail, SMS code, 60 s between SMS
// per account, 3 per hour) is covered by rattachement.it.test.ts and would take hours for 223
// links. The inserted rows are those the flow writes (identifiant.hash = HMAC(HASH_KEY, number)),
// so the search by number is tested for real. Documents are inserted with SQL as well (the
// court API's document upload is another helper's work in progress), and `dossier.updated_at`
// is set per case (trigger disabled for one statement) so the "latest update" order is known.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import type { Navigateur } from '../aides/navigateur.js';
import { IDENTITES_TEST } from '../../dev/franceconnect.js';
import { empreinte, formaterNumero, genererNumero, normaliserNumero } from '../../domain/identifiants.js';

let app: Application;
const JOUR = 86_400_000;
const N = 223;
/** Hearings are placed from this instant, case i's i seconds later: a known order among equal days. */
const T0 = Date.now();

// ------------------------------------------------------------------------------------------------
// The data model: case i's attributes, from which every expectation is computed.

type Juri = 'TJ-PARIS' | 'TJ-LYON' | 'TJ-EVRY';
const NOMS_JURIDICTIONS: Record<Juri, string> = { 'TJ-PARIS': 'Tribunal judiciaire de Paris', 'TJ-LYON': 'Tribunal judiciaire de Lyon', 'TJ-EVRY': 'Tribunal judiciaire d’Évry' };
const PERSONNES = [
  { nom: 'DUBOIS', prenoms: 'Angela' },
  { nom: 'LEFÈVRE', prenoms: 'Hélène' },
  { nom: 'MARTIN', prenoms: 'Paul' },
  { nom: 'N’GUYEN', prenoms: 'Thi Ánh' },
];

interface Cas {
  i: number;
  portalis: string;
  numero: string;
  juri: Juri;
  personne: (typeof PERSONNES)[number];
  societe: string;
  /** Days from now of the next live hearing, or null. */
  audience: number | null;
  cloture: boolean;
  /** A document addressed to the linked party in the last 30 days. */
  documentRecent: boolean;
  /** Clear identification number of the link (as typed by the citizen). */
  identifiant: string;
  lienId?: string;
}

function modele(i: number): Cas {
  const juri: Juri = i % 10 === 5 ? 'TJ-EVRY' : i % 3 === 0 ? 'TJ-LYON' : 'TJ-PARIS';
  return {
    i,
    portalis: `TDB-${String(i).padStart(5, '0')}`,
    // Not in creation order, so "numéro" and "latest update" orders differ.
    numero: `26/${String(10_000 + ((i * 37) % 1000)).padStart(5, '0')}-${i}`,
    juri,
    personne: PERSONNES[i % 4]!,
    societe: i % 7 === 0 ? 'Boulangerie Éclair SAS' : 'Société Exemple SARL',
    audience: i % 5 === 0 ? 10 + (i % 13) : i % 5 === 1 ? 60 : null,
    cloture: i % 4 === 3,
    documentRecent: i % 6 === 0,
    identifiant: genererNumero(),
  };
}
const cas: Cas[] = Array.from({ length: N }, (_, i) => modele(i));

let compteA = '';
let navA: Navigateur;
let navB: Navigateur;
let compteB = '';

// ------------------------------------------------------------------------------------------------
// Setup helpers

async function parLots<T>(elements: readonly T[], taille: number, f: (e: T) => Promise<void>): Promise<void> {
  for (let k = 0; k < elements.length; k += taille) await Promise.all(elements.slice(k, k + taille).map(f));
}

async function ok(r: Promise<Response>, attendu = /^20[014] /): Promise<void> {
  const reponse = await r;
  expect(`${reponse.status} ${await reponse.text()}`).toMatch(attendu);
}

/** Pushes case `c` through the court API: the case, its hearings, its closure. */
async function pousser(c: Cas): Promise<void> {
  const jeton = c.juri === 'TJ-LYON' ? { jeton: JETON_LYON } : {};
  const juriApi = c.juri === 'TJ-EVRY' ? {} : jeton; // Évry is moved with SQL below (no token of its own).
  await ok(app.api('PUT', `/affaires/${c.portalis}`, affaireValide({
    numeroDossier: c.numero, nature: c.i % 2 ? 'Divorce' : 'Expulsion', etat: 'En cours',
    parties: [
      { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: c.personne.nom, prenoms: c.personne.prenoms },
      { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: c.societe, formeJuridique: 'SARL' },
    ],
  }), juriApi));
  const adresse = { adresse: '1 rue du Palais', libelle: 'Audience de mise en état' };
  if (c.audience !== null) {
    await ok(app.api('PUT', `/affaires/${c.portalis}/audiences/A1`, { debut: new Date(T0 + c.audience * JOUR + c.i * 1000).toISOString(), ...adresse }, juriApi));
  }
  if (c.i % 5 === 2) {
    // A hearing in 5 days, cancelled: neither "next hearing" nor "Événements proches".
    await ok(app.api('PUT', `/affaires/${c.portalis}/audiences/A2`, { debut: new Date(Date.now() + 5 * JOUR).toISOString(), ...adresse }, juriApi));
    await ok(app.api('DELETE', `/affaires/${c.portalis}/audiences/A2`, undefined, juriApi));
  }
  if (c.cloture) await ok(app.api('POST', `/affaires/${c.portalis}/cloture`, { date: new Date(Date.now() - 10 * JOUR).toISOString() }, juriApi));
}

const Id = z.object({ id: z.string().uuid() });

/**
 * What a recorded consent, its e-mailed number and a completed add flow leave in the database:
 * consentement → identifiant (keyed hash only) → rattachement. Returns the link id.
 */
async function rattacher(compteId: string, c: Cas, idPartie = 'P1', numero = c.identifiant): Promise<string> {
  const hash = empreinte(app.config.HASH_KEY, 'identifiant', normaliserNumero(numero)!);
  return app.pool.oneFirst(sql.type(Id)`
    WITH d AS (
      SELECT d.id AS dossier_id, p.id AS partie_id FROM dossier d JOIN partie p ON p.dossier_id = d.id
      WHERE d.numero_portalis = ${c.portalis} AND p.id_tribunal = ${idPartie}),
    cs AS (
      INSERT INTO consentement (dossier_id, partie_id) SELECT dossier_id, partie_id FROM d
      ON CONFLICT (partie_id) WHERE revoked_at IS NULL DO UPDATE SET date = consentement.date RETURNING id),
    i AS (INSERT INTO identifiant (consentement_id, hash, destinataire) SELECT id, ${sql.binary(hash)}, 'test@example.fr' FROM cs RETURNING id)
    INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id)
    SELECT ${compteId}, d.dossier_id, d.partie_id, i.id FROM d, i RETURNING id`);
}

/** A document of case `c` created `jours` ago, addressed to party `idPartie`. */
async function document(c: Cas, idPartie: string, jours: number): Promise<void> {
  await app.pool.query(sql.unsafe`
    WITH d AS (SELECT d.id AS dossier_id, p.id AS partie_id FROM dossier d JOIN partie p ON p.dossier_id = d.id
               WHERE d.numero_portalis = ${c.portalis} AND p.id_tribunal = ${idPartie}),
    doc AS (INSERT INTO document (dossier_id, type, titre, contenu, taille, sha256, created_at)
            SELECT dossier_id, 'avis', 'Avis', '\\x255044462d'::bytea, 5, encode(sha256('\\x255044462d'::bytea), 'hex'), now() - ${`${jours} days`}::interval FROM d
            RETURNING id)
    INSERT INTO document_destinataire (document_id, partie_id) SELECT doc.id, d.partie_id FROM doc, d`);
}

async function compteDe(identite: string): Promise<{ nav: Navigateur; id: string }> {
  const i = IDENTITES_TEST.find((x) => x.id === identite)!;
  const nav = await app.connecter(identite, { fournisseur: i.fournisseur });
  const id = await app.pool.oneFirst(sql.type(Id)`SELECT id FROM compte ORDER BY created_at DESC LIMIT 1`);
  return { nav, id };
}

// ------------------------------------------------------------------------------------------------
// Reading the dashboard

function cookie(nav: Navigateur): string {
  return [...(nav as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function obtenir(nav: Navigateur, chemin: string, entetes: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}${chemin}`, { headers: { cookie: cookie(nav), ...entetes }, redirect: 'manual' });
}

const HTMX = { 'HX-Request': 'true', 'HX-Target': 'div#resultats-dossiers', 'HX-Request-Type': 'partial' };

function texte(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

interface Vue { numeros: string[]; trouves: number; pages: number; page: string }

/** One page of the dashboard: the case numbers in order, the count of matches, the page count. */
async function lire(nav: Navigateur, params: Record<string, string | string[]>, entetes: Record<string, string> = {}): Promise<Vue> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  const r = await obtenir(nav, `/espace?${p}`, entetes);
  expect(r.status).toBe(200);
  const page = await r.text();
  const numeros = [...page.matchAll(/data-dossier="([^"]+)"/g)].map((m) => m[1]!.replace(/&#x2F;|&#47;/g, '/'));
  const t = texte(page);
  const m = /([\d  ]+) dossiers? correspond/.exec(t) ?? /\(([\d  ]+) dossiers?\)/.exec(t) ?? /^\s*([\d  ]+) dossiers?\b/.exec(t);
  const trouves = /Aucun dossier ne correspond/.test(t) ? 0 : Number((m?.[1] ?? '-1').replace(/\s/g, ''));
  const pages = Number(/Page \d+ sur (\d+)/.exec(t)?.[1] ?? 1);
  return { numeros, trouves, pages, page };
}

/** Every page of a search, in order. */
async function toutLire(nav: Navigateur, params: Record<string, string | string[]>): Promise<Vue> {
  const premiere = await lire(nav, params);
  const numeros = [...premiere.numeros];
  for (let p = 2; p <= premiere.pages; p++) numeros.push(...(await lire(nav, { ...params, page: String(p) })).numeros);
  return { ...premiere, numeros };
}

// The rules, stated independently of the SQL.
const sansAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const contientTous = (texteCible: string, recherche: string) => sansAccents(recherche).split(/\s+/).filter(Boolean).every((m) => sansAccents(texteCible).includes(m));
const estPersonne = (c: Cas, q: string) => contientTous(`${c.personne.nom} ${c.personne.prenoms}`, q) || contientTous(c.societe, q);
const estJuri = (c: Cas, q: string) => contientTous(`${NOMS_JURIDICTIONS[c.juri]} ${c.juri}`, q);
const proche = (c: Cas) => c.audience !== null && c.audience <= 30;

beforeAll(async () => {
  app = await demarrerApplication();
  await ok(app.api('PUT', '/juridiction', JURIDICTION_VALIDE));
  await ok(app.api('PUT', '/juridiction', { nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon', telephone: '04 72 60 70 12' }, { jeton: JETON_LYON }));
  await app.pool.query(sql.unsafe`INSERT INTO juridiction (code, nom, adresse) VALUES ('TJ-EVRY', ${NOMS_JURIDICTIONS['TJ-EVRY']}, '9 rue des Mazières, 91000 Évry-Courcouronnes')`);
  await parLots(cas, 8, pousser);
  // Évry has no court token in the test configuration: its cases were pushed as Paris's.
  const evry = cas.filter((c) => c.juri === 'TJ-EVRY').map((c) => c.portalis);
  await app.pool.query(sql.unsafe`UPDATE dossier SET juridiction = 'TJ-EVRY' WHERE numero_portalis = ANY(${sql.array(evry, 'text')})`);
  for (const c of cas) {
    if (c.documentRecent) await document(c, 'P1', 3);
    if (c.i % 6 === 1) await document(c, 'P2', 3); // recent, but addressed to the other party
    if (c.i % 6 === 2) await document(c, 'P1', 45); // addressed to the party, but old
  }
  // "Latest update": case i was changed i hours ago, so the default order is i ascending.
  await app.pool.transaction(async (t) => {
    await t.query(sql.unsafe`ALTER TABLE dossier DISABLE TRIGGER dossier_updated_at`);
    await t.query(sql.unsafe`UPDATE dossier SET updated_at = now() - (substring(numero_portalis from 5)::int * interval '1 hour') WHERE numero_portalis LIKE 'TDB-%'`);
    await t.query(sql.unsafe`ALTER TABLE dossier ENABLE TRIGGER dossier_updated_at`);
  });
  const a = await compteDe('angela-dubois');
  compteA = a.id;
  navA = a.nav;
  for (const c of cas) c.lienId = await rattacher(compteA, c);
  const b = await compteDe('karim-benali');
  navB = b.nav;
  compteB = b.id;
}, 300_000);

afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------

describe('dashboard with 223 links', () => {
  test('counts, 20 per page, every link exactly once across the pages, newest change first', async () => {
    const v = await toutLire(navA, {});
    expect(v.trouves).toBe(N);
    expect(texte(v.page)).toContain(`Mes dossiers (${N} dossiers)`);
    expect(v.pages).toBe(12);
    expect(v.numeros).toEqual(cas.map((c) => c.numero));
    // Page bounds: past the end is the last page, nonsense is the first.
    expect((await lire(navA, { page: '999' })).numeros).toEqual(cas.slice(220).map((c) => c.numero));
    for (const page of ['abc', '-3', '0', '1e9']) expect((await lire(navA, { page })).numeros).toEqual(cas.slice(0, 20).map((c) => c.numero));
    // The DSFR pagination, with links that keep the criteria.
    const p2 = await lire(navA, { page: '2', tri: 'numero', filtre: 'en_cours' });
    expect(p2.page).toContain('class="fr-pagination ');
    expect(p2.page).toContain('aria-current="page" title="Page 2"');
    expect(p2.page).toMatch(/href="\/espace\?filtre=en_cours&amp;tri=numero&amp;page=3"/);
  });

  test('a card: nature, state, number, court with contact and map link, next hearing, latest update, Détail', async () => {
    const c = cas.find((x) => x.juri === 'TJ-PARIS' && x.audience === 10 + (x.i % 13) && !x.cloture)!;
    const v = await lire(navA, { numero: c.identifiant });
    expect(v.numeros).toEqual([c.numero]);
    const t = texte(v.page);
    expect(t).toContain(c.i % 2 ? 'Divorce' : 'Expulsion');
    expect(t).toContain('En cours');
    expect(t).toContain(`Dossier n° ${c.numero}`);
    expect(t).toContain('Tribunal judiciaire de Paris');
    expect(t).toContain('Parvis du Tribunal de Paris');
    expect(v.page).toContain('href="tel:0144325151"');
    expect(v.page).toMatch(/href="https:\/\/www\.openstreetmap\.org\/\?mlat=48\.8951&amp;mlon=2\.3146/);
    expect(t).toMatch(/Prochaine audience : le \d\d\/\d\d\/\d{4} à \d\d:\d\d/);
    expect(t).toMatch(/Dernière mise à jour : le \d+ \S+ \d{4}/);
    expect(v.page).toContain(`href="/espace/dossiers/${c.lienId}"`);
    // A case whose only hearing was cancelled shows none.
    const annule = cas.find((x) => x.i % 5 === 2)!;
    expect(texte((await lire(navA, { numero: annule.identifiant })).page)).toContain('Aucune audience à venir');
  });

  test('search by party name: any party, accent- and case-insensitive, several words on one party', async () => {
    for (const q of ['helene', 'LEFEVRE', 'lefèvre hélène', 'thi anh', 'n’guyen', 'eclair', 'société exemple', 'DUBOIS angela', 'martin paul', 'paul dubois', 'zzz']) {
      const v = await toutLire(navA, { nom: q });
      const attendu = cas.filter((c) => estPersonne(c, q)).map((c) => c.numero);
      expect([q, v.trouves, v.numeros]).toEqual([q, attendu.length, attendu]);
    }
  });

  test('search by juridiction (name or code, accents ignored) and by identification number', async () => {
    for (const q of ['evry', 'ÉVRY', 'lyon', 'tj-paris', 'tribunal judiciaire de paris', 'marseille']) {
      const v = await toutLire(navA, { juridiction: q, tri: 'numero' });
      const attendu = cas.filter((c) => estJuri(c, q)).map((c) => c.numero).sort();
      expect([q, v.trouves, v.numeros]).toEqual([q, attendu.length, attendu]);
    }
    const c = cas[42]!;
    // As typed: lower case, spaces instead of dashes, O for 0 and L for 1 are read as digits.
    const tape = ` ${c.identifiant.toLowerCase().replace(/-/g, ' ')} `;
    expect((await lire(navA, { numero: tape })).numeros).toEqual([c.numero]);
    // A well-formed number that is not one of this account's links: nothing.
    expect((await lire(navA, { numero: formaterNumero('0'.repeat(12)) })).trouves).toBe(0);
    // A malformed one: a clear message on the field, and nothing listed.
    const mal = await lire(navA, { numero: 'ABC' });
    expect(mal.trouves).toBe(0);
    expect(texte(mal.page)).toContain('Le numéro d’identification comporte 12 caractères');
    expect(mal.page).toContain('aria-invalid="true"');
  });

  test('filters, alone and combined with the search fields and every sort', async () => {
    const filtres: Record<string, (c: Cas) => boolean> = {
      proches: proche,
      recents: (c) => c.documentRecent,
      en_cours: (c) => !c.cloture,
      termines: (c) => c.cloture,
    };
    const combinaisons: { params: Record<string, string | string[]>; attendu: (c: Cas) => boolean }[] = [
      { params: { filtre: 'proches' }, attendu: filtres.proches! },
      { params: { filtre: 'recents' }, attendu: filtres.recents! },
      { params: { filtre: 'en_cours' }, attendu: filtres.en_cours! },
      { params: { filtre: 'termines' }, attendu: filtres.termines! },
      { params: { filtre: ['en_cours', 'termines'] }, attendu: () => true },
      { params: { filtre: ['proches', 'recents'] }, attendu: (c) => proche(c) && c.documentRecent },
      { params: { filtre: ['proches', 'termines'], nom: 'hélène' }, attendu: (c) => proche(c) && c.cloture && estPersonne(c, 'hélène') },
      { params: { filtre: 'en_cours', juridiction: 'lyon', nom: 'dubois' }, attendu: (c) => !c.cloture && estJuri(c, 'lyon') && estPersonne(c, 'dubois') },
      { params: { filtre: 'recents', juridiction: 'paris' }, attendu: (c) => c.documentRecent && estJuri(c, 'paris') },
      { params: { nom: 'eclair', juridiction: 'evry' }, attendu: (c) => estPersonne(c, 'eclair') && estJuri(c, 'evry') },
      { params: { filtre: ['bogus', 'termines'], nom: 'MARTIN' }, attendu: (c) => c.cloture && estPersonne(c, 'MARTIN') },
    ];
    const tris: Record<string, (a: Cas, b: Cas) => number> = {
      maj: (a, b) => a.i - b.i,
      numero: (a, b) => (a.numero < b.numero ? -1 : a.numero > b.numero ? 1 : 0),
      // The test cluster's collation is C.UTF-8: byte order.
      juridiction: (a, b) => Buffer.compare(Buffer.from(NOMS_JURIDICTIONS[a.juri]), Buffer.from(NOMS_JURIDICTIONS[b.juri])) || (a.numero < b.numero ? -1 : 1),
      audience: (a, b) => (a.audience ?? 1e9) - (b.audience ?? 1e9) || a.i - b.i,
    };
    for (const { params, attendu } of combinaisons) {
      for (const [tri, ordre] of Object.entries(tris)) {
        const v = await toutLire(navA, { ...params, tri });
        const liste = cas.filter(attendu).sort(ordre).map((c) => c.numero);
        expect([params, tri, v.trouves, v.numeros]).toEqual([params, tri, liste.length, liste]);
      }
    }
  });

  test('bad query values are ignored, never a 500', async () => {
    for (const q of ['tri=xyz', 'filtre=', 'filtre=%00', `nom=${'a'.repeat(5000)}`, 'nom=%25%25%25', 'nom=_', 'nom=\\', 'juridiction=%27%3B--', 'page=', 'numero=%E2%80%94', 'tri=numero&tri=maj']) {
      const r = await obtenir(navA, `/espace?${q}`);
      expect(`${q} ${r.status}`).toBe(`${q} 200`);
    }
    // LIKE wildcards are literal: no party name contains "%" or "_".
    expect((await lire(navA, { nom: '%' })).trouves).toBe(0);
    expect((await lire(navA, { nom: '_' })).trouves).toBe(0);
  });

  test('no JavaScript: a plain GET is the whole page with the form filled in; htmx gets only the list', async () => {
    const params = { nom: 'Hélène', filtre: 'en_cours', tri: 'numero' };
    const complet = await lire(navA, params);
    expect(complet.page).toMatch(/^<!DOCTYPE html>/i);
    expect(complet.page).toContain('<form id="recherche-dossiers"');
    expect(complet.page).toContain('method="get" action="/espace"');
    expect(complet.page).toContain('value="Hélène"');
    expect(complet.page).toMatch(/id="filtre-en_cours" name="filtre" value="en_cours" checked/);
    expect(complet.page).toMatch(/<option value="numero" selected>/);
    expect(complet.page).toContain('Filtrer les dossiers');
    expect(complet.page).toContain('Réinitialiser les filtres');
    expect(complet.page).toContain(`les ${30} prochains jours`);
    const fragment = await lire(navA, params, HTMX);
    expect(fragment.page).not.toMatch(/<html|<form/i);
    expect(fragment.numeros).toEqual(complet.numeros);
    expect(fragment.trouves).toBe(complet.trouves);
    const r = await obtenir(navA, '/espace?nom=x', HTMX);
    expect(r.headers.get('vary')).toMatch(/HX-Request/i);
    // A history restore (htmx targets the body) gets the whole page.
    const restauration = await obtenir(navA, '/espace?nom=x', { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true', 'HX-Target': 'body' });
    expect(await restauration.text()).toMatch(/^<!DOCTYPE html>/i);
  });

  test('another account never sees these links, even searching for them', async () => {
    const vide = await lire(navB, {});
    expect(vide.numeros).toEqual([]);
    expect(vide.page).toContain('Votre espace ne contient encore aucun dossier');
    for (const params of [{ nom: 'dubois' }, { numero: cas[0]!.identifiant }, { juridiction: 'paris' }] as Record<string, string>[]) expect((await lire(navB, params)).numeros).toEqual([]);
    // Its own link to one of the same cases (the other party) shows that link only.
    const numeroB = genererNumero();
    const lienB = await rattacher(compteB, cas[0]!, 'P2', numeroB);
    const v = await lire(navB, {});
    expect(v.numeros).toEqual([cas[0]!.numero]);
    expect(v.page).toContain(`/espace/dossiers/${lienB}`);
    expect(v.page).not.toContain(`/espace/dossiers/${cas[0]!.lienId}`);
    expect(texte(v.page)).toContain(`Partie : Défendeur — ${cas[0]!.societe}`);
    await app.pool.query(sql.unsafe`UPDATE rattachement SET detached_at = now() WHERE id = ${lienB}`);
  });

  test('the search appears from 5 links; below, no form and criteria in the URL are ignored', async () => {
    const { nav, id } = await compteDe('marie-helene-lefevre');
    const extra = Array.from({ length: 5 }, (_, k) => ({ ...modele(1000 + k), portalis: `SEUIL-${k}`, numero: `26/9000${k}` }));
    for (const c of extra) await pousser(c);
    for (const c of extra.slice(0, 4)) await rattacher(id, c);
    const quatre = await lire(nav, { nom: 'zzz-introuvable', filtre: 'termines' });
    expect(quatre.page).not.toContain('Rechercher un dossier');
    expect(quatre.page).not.toContain('<form id="recherche-dossiers"');
    expect(quatre.numeros).toHaveLength(4);
    expect(texte(quatre.page)).toContain('Mes dossiers (4 dossiers)');
    await rattacher(id, extra[4]!);
    const cinq = await lire(nav, {});
    expect(cinq.page).toContain('Rechercher un dossier');
    expect(cinq.numeros).toHaveLength(5);
    expect((await lire(nav, { nom: 'zzz-introuvable' })).trouves).toBe(0);
  });

  test('live refresh: 204 while nothing changed (session untouched), then a notice naming the changed case', async () => {
    const page = (await lire(navA, {})).page;
    const poll = /hx-get="(\/espace\/etat\?[^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    expect(page).toContain('hx-trigger="every 30s"');
    const calme = await obtenir(navA, poll, { 'HX-Request': 'true', 'HX-Current-URL': `${app.url}/espace?tri=numero` });
    expect(calme.status).toBe(204);
    expect(calme.headers.getSetCookie()).toEqual([]);
    const c = cas[7]!;
    await ok(app.api('PUT', `/affaires/${c.portalis}`, affaireValide({
      numeroDossier: c.numero, nature: 'Divorce', etat: 'Audience fixée',
      parties: [
        { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: c.personne.nom, prenoms: c.personne.prenoms },
        { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: c.societe, formeJuridique: 'SARL' },
      ],
    }), c.juri === 'TJ-LYON' ? { jeton: JETON_LYON } : {}));
    const change = await obtenir(navA, poll, { 'HX-Request': 'true', 'HX-Current-URL': `${app.url}/espace?tri=numero&filtre=en_cours&filtre=proches` });
    expect(change.status).toBe(200);
    const t = await change.text();
    expect(texte(t)).toContain('Des dossiers ont été mis à jour');
    expect(texte(t)).toContain(c.numero);
    expect(t).toContain('href="/espace?filtre=en_cours&amp;filtre=proches&amp;tri=numero"');
    expect(t).not.toContain('hx-trigger');
    // Another account's poll with this version is not this account's business: it differs.
    expect((await obtenir(navB, poll, { 'HX-Request': 'true' })).status).toBe(200);
  });
});

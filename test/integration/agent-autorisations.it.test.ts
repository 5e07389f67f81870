// The authorization matrix of the agent pages (issue 8 "Done when"): every agent route of the
// route table × every role × an object of the agent's own juridiction and of another one × a
// habilitated and an expired magistrate. What each cell should answer is computed from the same
// rules the pages use (domain/agents.ts roleAutorise / roleAccueil, the route's declared action);
// a forbidden cell must answer 403 or 404 and carry none of the other case's data.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { attribuerRole, connecterAgent } from '../aides/agent.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { ACTIONS_TOUTES_JURIDICTIONS, jourParis, roleAccueil, roleAutorise, roleToutesJuridictions, ROLES_AGENT, type RoleActif } from '../../domain/agents.js';
import { routes } from '../../web/app.js';
import type { RouteAgent } from '../../web/agent/routes.js';
import { creerJournal } from '../../web/log.js';

let app: Application;

interface Profil {
  nom: string;
  courriel: string;
  roles: RoleActif[];
  nav?: Navigateur;
  csrf?: string;
}

const aujourdHui = jourParis(new Date());
const jour = (j: number) => jourParis(new Date(Date.now() + j * 86400000));

/** One agent per role (all in TJ-PARIS but the national one), and a magistrate whose habilitation ended. */
const PROFILS: Profil[] = [
  { nom: 'agent_greffe', courriel: 'greffe.paris@justice.fr', roles: [{ role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'agent_accueil', courriel: 'accueil.paris@justice.fr', roles: [{ role: 'agent_accueil', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'directeur_greffe', courriel: 'directeur.greffe.paris@justice.fr', roles: [{ role: 'directeur_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'magistrat habilité', courriel: 'magistrat.paris@justice.fr', roles: [{ role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-10), fin: jour(10) }] },
  { nom: 'magistrat expiré', courriel: 'greffe.lyon@justice.fr', roles: [{ role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-10), fin: jour(10) }] },
  { nom: 'statistiques_national', courriel: 'statistiques@justice.fr', roles: [{ role: 'statistiques_national', juridiction: null, debut: null, fin: null }] },
];

interface Cas {
  juridiction: string;
  dossier: string;
  document: string;
  numero: string;
  marqueur: string;
  requete: string;
  piece: string;
}
const cas: Record<'propre' | 'autre', Cas> = {} as never;

async function preparerDossier(portalis: string, jeton: string | undefined, marqueur: string): Promise<Omit<Cas, 'juridiction'>> {
  const parties = [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: marqueur, prenoms: 'Alice', courriel: `${marqueur.toLowerCase()}@example.fr` }];
  expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis}`, parties }), { jeton })).status).toBe(200);
  expect((await app.api('POST', `/affaires/${portalis}/evenements`, { id: 'E1', type: 'convocation', date: '2026-10-01T09:30:00+02:00', libelle: 'Convocation', document: { type: 'convocation', titre: 'Convocation', destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64') } }, { jeton })).status).toBe(201);
  expect((await app.api('PUT', `/affaires/${portalis}/audiences/A1`, { debut: '2027-03-01T14:00:00+01:00', adresse: 'Palais', libelle: 'Audience' }, { jeton })).status).toBe(200);
  const r = await app.pool.one(sql.type(z.object({ dossier: z.string(), document: z.string() }))`
    SELECT d.id AS dossier, doc.id AS document FROM dossier d JOIN document doc ON doc.dossier_id = d.id WHERE d.numero_portalis = ${portalis}`);
  return { ...r, numero: portalis, marqueur, ...(await preparerRequete(juridiction(jeton), marqueur)) };
}

const juridiction = (jeton: string | undefined) => (jeton === JETON_LYON ? 'TJ-LYON' : 'TJ-PARIS');

/**
 * A sent requête of the juridiction with one attachment, the marker in its fields. Written in SQL
 * as the transmission leaves it: the matrix only reads it (its registration form gets no numbers,
 * so nothing reaches the requete workflow).
 */
async function preparerRequete(code: string, marqueur: string): Promise<{ requete: string; piece: string }> {
  const compte = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('https://fc.test', ${`matrice-${code}`}, 'Alice', ${marqueur}, ${`${marqueur.toLowerCase()}.requete@example.fr`})
    RETURNING id`);
  const requete = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO requete (compte_id, juridiction, type, statut, donnees, reference, sent_at)
    VALUES (${compte}, ${code}, 'partie_civile', 'envoyee', ${sql.jsonb({ infraction: `Vol signalé par ${marqueur}`, lieuFaits: 'Paris' })}, ${`RQ-2026-${marqueur.slice(0, 4)}-0001`}, now())
    RETURNING id`);
  const piece = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO piece_jointe (requete_id, nom, type_mime, taille, sha256, contenu, statut_analyse)
    VALUES (${requete}, 'plainte.pdf', 'application/pdf', ${PDF_MINIMAL.length}, ${createHash('sha256').update(PDF_MINIMAL).digest('hex')}, ${sql.binary(PDF_MINIMAL)}, 'sain')
    RETURNING id`);
  return { requete, piece };
}

/** A clerk's role the head of registry could withdraw, in each juridiction (recreated as cells withdraw it). */
async function roleVictime(juridiction: string): Promise<string> {
  const courriel = `victime.${juridiction.toLowerCase()}@justice.fr`;
  await attribuerRole(app, { courriel, role: 'agent_greffe', juridiction });
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT r.id FROM agent_role r JOIN agent a ON a.id = r.agent_id WHERE a.courriel = ${courriel} AND r.revoked_at IS NULL`);
}

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon' }, { jeton: JETON_LYON })).status).toBeLessThan(300);
  cas.propre = { juridiction: 'TJ-PARIS', ...(await preparerDossier('PARIS-MATRICE', undefined, 'PARISIENNE')) };
  cas.autre = { juridiction: 'TJ-LYON', ...(await preparerDossier('LYON-MATRICE', JETON_LYON, 'LYONNAISE')) };
  for (const p of PROFILS) {
    for (const r of p.roles) await attribuerRole(app, { courriel: p.courriel, ...r });
    p.nav = (await connecterAgent(app, p.courriel)).nav;
    const page = await (await p.nav.requete(`${app.url}/agent`)).text();
    p.csrf = formulaire(page, 'action="/agent/deconnexion"').champs._csrf;
  }
  // The second magistrate's habilitation ends while logged in: the roles are read at each request.
  const expire = PROFILS.find((p) => p.nom === 'magistrat expiré')!;
  await app.pool.query(sql.unsafe`
    UPDATE agent_role SET debut = ${jour(-30)}::date, fin = ${jour(-1)}::date
    WHERE agent_id = (SELECT id FROM agent WHERE courriel = ${expire.courriel})`);
  expire.roles = [{ role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-30), fin: jour(-1) }];
}, 120_000);
afterAll(async () => {
  await app?.arreter();
});

/** The concrete path of a route for an object of `c`'s juridiction. */
async function chemin(route: RouteAgent, c: Cas): Promise<string> {
  let p = route.chemin;
  if (p.startsWith('/agent/dossiers/:id')) p = p.replace(':id', c.dossier).replace(':docId', c.document).replace(':audience', 'A1');
  if (p.startsWith('/agent/agents/:role')) p = p.replace(':role', await roleVictime(c.juridiction));
  if (p.startsWith('/agent/requetes/:id')) p = p.replace(':id', c.requete).replace(':pieceId', c.piece);
  // Any other parameter (pages added later): an id that exists nowhere.
  p = p.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
  if (route.chemin === '/agent/dossiers') return `${p}?numero=${c.numero}`;
  if (['/agent/agents', '/agent/journal'].includes(route.chemin) || route.methode === 'GET' && !p.includes(c.dossier)) return `${p}${p.includes('?') ? '&' : '?'}juridiction=${c.juridiction}`;
  return p;
}

function autorise(route: RouteAgent, p: Profil, c: Cas): boolean {
  const enVigueur = p.roles.some((r) => (!r.debut || aujourdHui >= r.debut) && (!r.fin || aujourdHui <= r.fin));
  if (!enVigueur) return false;
  if (route.action === null) return true;
  if (route.action === 'accueil') return roleAccueil(p, aujourdHui) !== null;
  // The support inbox belongs to no juridiction (domain/agents.ts ACTIONS_TOUTES_JURIDICTIONS).
  if (ACTIONS_TOUTES_JURIDICTIONS.includes(route.action)) return roleToutesJuridictions(p, route.action, aujourdHui) !== null;
  // The search page lists only the own juridiction's cases: it opens for anyone who may consult somewhere.
  if (route.chemin === '/agent/dossiers') return p.roles.some((r) => roleAutorise({ roles: [r] }, 'consulter_dossier', r.juridiction, aujourdHui) !== null);
  return roleAutorise(p, route.action, c.juridiction, aujourdHui) !== null;
}

describe('authorization matrix of the agent pages', () => {
  test('every agent route declares the action it needs', () => {
    const liste = routes({ config: app.config, pool: app.pool, temporal: new Client(), log: creerJournal('test', 'silent') }).filter((r) => r.acces === 'agent') as RouteAgent[];
    expect(liste.length).toBeGreaterThan(10);
    for (const r of liste) expect(`${r.methode} ${r.chemin} ${r.action === undefined ? 'sans action' : 'ok'}`).toBe(`${r.methode} ${r.chemin} ok`);
  });

  test('route × role × own/other juridiction × habilitated/expired magistrate: forbidden cells answer 403/404 without data', async () => {
    const liste = routes({ config: app.config, pool: app.pool, temporal: new Client(), log: creerJournal('test', 'silent') }).filter((r) => r.acces === 'agent') as RouteAgent[];
    const cellules: string[] = [];
    const ecarts: string[] = [];
    for (const route of liste) {
      for (const p of PROFILS) {
        for (const [nomCas, c] of Object.entries(cas) as ['propre' | 'autre', Cas][]) {
          const url = `${app.url}${await chemin(route, c)}`;
          const r = route.methode === 'GET' ? await p.nav!.requete(url) : await p.nav!.requete(url, { form: { _csrf: p.csrf! } });
          const corps = r.headers.get('content-type')?.startsWith('application/pdf') ? '%PDF' : await r.text();
          const attendu = autorise(route, p, c);
          const cellule = `${route.methode} ${route.chemin} × ${p.nom} × ${nomCas} → ${r.status}`;
          cellules.push(cellule);
          if (attendu) {
            // A page whose parameters this test cannot fill (pages added later) got an id that
            // exists nowhere: its 404 is expected; only the forbidden cells say something there.
            const parametresInconnus = /:[A-Za-z]+/.test(route.chemin) && !/^\/agent\/(dossiers\/:id|agents\/:role|requetes\/:id)/.test(route.chemin);
            if ((parametresInconnus ? [401, 403] : [401, 403, 404]).includes(r.status) || r.status >= 500) ecarts.push(`${cellule} (autorisé attendu)`);
          } else {
            if (![403, 404].includes(r.status)) ecarts.push(`${cellule} (403 ou 404 attendu)`);
            for (const secret of [cas.autre.marqueur, cas.propre.marqueur, cas.autre.numero, cas.propre.numero, '%PDF']) {
              if (corps.includes(secret)) ecarts.push(`${cellule} : la réponse contient « ${secret} »`);
            }
          }
          // Whatever the verdict, another juridiction's case never shows up for a Paris clerk.
          if (nomCas === 'autre' && route.action !== 'accueil' && corps.includes(cas.autre.marqueur)) ecarts.push(`${cellule} : données de l’autre juridiction`);
        }
      }
    }
    if (process.env.AFFICHER_MATRICE) console.log(cellules.join("\n"));
    expect(ecarts).toEqual([]);
    // Every route × every profile × both juridictions was exercised.
    expect(cellules.length).toBe(liste.length * PROFILS.length * 2);
    expect(new Set(PROFILS.flatMap((p) => p.roles.map((r) => r.role)))).toEqual(new Set(ROLES_AGENT));
  }, 120_000);

  test('denied attempts are journaled', async () => {
    const refus = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM journal WHERE acteur_type = 'agent' AND resultat = 'refus'`);
    expect(refus).toBeGreaterThan(50);
  });
});

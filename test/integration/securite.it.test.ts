// Security review of every page (issue 9 item 6, "Done when"), on the whole portal and a realistic
// scenario (test/aides/scenario.ts):
//  (a) every state-changing route of the table refuses a request without a valid CSRF token,
//      sent by the kind of user the route is for, and the database is left unchanged; the alert
//      unsubscribe link (signed token) is the one exemption;
//  (b) script payloads typed into every free-text field a citizen, an agent or the court API can
//      fill come back escaped on every page that shows them, and in forms re-rendered with errors;
//  (c) security headers on every HTML page, HSTS behind HTTPS, error pages without internals,
//      security.txt, and the rate limits of the login, code and contact endpoints (the login
//      limiter's own rules, shared by several instances, in limite-connexion.it.test.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, PDF_MINIMAL, type Application } from '../aides/application.js';
import { connecterAgent } from '../aides/agent.js';
import { empreinteBase, tablesModifiees, type EmpreinteBase } from '../aides/etat.js';
import { formulaire, Navigateur } from '../aides/navigateur.js';
import { cheminsConcrets, dossierAvecConsentement, preparerScenario, rattacher, PROFILS_AGENTS, type ProfilAgent, type Scenario, type Textes } from '../aides/scenario.js';
import { ACTIONS_TOUTES_JURIDICTIONS, jourParis, roleAccueil, roleAutorise, roleToutesJuridictions } from '../../domain/agents.js';
import { createApp, routes } from '../../web/app.js';
import type { RouteAgent } from '../../web/agent/routes.js';
import type { Route } from '../../web/routes.js';
import { creerJournal } from '../../web/log.js';
import { SEUIL_RECHERCHE } from '../../web/citoyen/tableau-de-bord.js';
import { gestionErreurs } from '../../web/middleware/erreurs.js';

let app: Application;
let s: Scenario;
const agents = new Map<string, { nav: Navigateur; csrf: string }>();

// ------------------------------------------------------------------------------------------------
// Payloads: each field gets its own marker (XSS + 4 digits) followed by one of these.

const CHARGES = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\'><svg onload=alert(1)>',
  ' javascript:alert(1)',
  '{{7*7}}${7*7}',
  '\u202e<script>alert(1)</script>\uff1cscript\uff1ealert(1)\uff1c/script\uff1e<scr\u200bipt>',
];
let numeroMarqueur = 1000;
const marqueurs = new Map<string, string>();
/** A payload for the field `champ`, remembered under its marker. */
function charge(champ: string, max = 200): string {
  const m = `XSS${++numeroMarqueur}`;
  marqueurs.set(m, champ);
  return `${m}${CHARGES[numeroMarqueur % CHARGES.length]}`.slice(0, max);
}

/**
 * What must never be in a page, read from its tags (escaped text has no tags, and an escaped
 * attribute value stays inside its quotes): an inline script (the portal has none: CSP), an
 * event-handler attribute (none either), a tag a payload brings (img src=x, svg), a javascript:
 * URL, or an evaluated template expression in the text.
 */
function dangers(page: string): string[] {
  const trouves: string[] = [];
  for (const [balise, nom, attributs] of page.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g) as IterableIterator<RegExpMatchArray & [string, string, string]>) {
    const attrs = [...attributs.matchAll(/([^\s=\/"'>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)].map((m) => ({ nom: m[1]!.toLowerCase(), valeur: (m[2] ?? '').replace(/^["']|["']$/g, '') }));
    const extrait = balise.slice(0, 160);
    if (nom.toLowerCase() === 'script' && !attrs.some((x) => x.nom === 'src')) trouves.push(`script en ligne : ${extrait}`);
    if (['svg', 'img', 'iframe', 'object', 'embed'].includes(nom.toLowerCase()) && attrs.some((x) => x.valeur === 'x' || x.nom.startsWith('on'))) trouves.push(`balise injectée : ${extrait}`);
    for (const x of attrs) {
      if (x.nom.startsWith('on')) trouves.push(`gestionnaire d’événement ${x.nom} : ${extrait}`);
      if (['href', 'src', 'action', 'formaction', 'hx-get', 'hx-post'].includes(x.nom) && /^\s*javascript:/i.test(x.valeur)) trouves.push(`URL javascript: : ${extrait}`);
    }
  }
  if (/XSS\d{4}49/.test(page)) trouves.push(`expression évaluée : ${/XSS\d{4}49/.exec(page)![0]}`);
  return trouves;
}

// ------------------------------------------------------------------------------------------------

const TEXTES_PIEGES: Partial<Textes> = {};
const CHAMPS_API: (keyof Textes)[] = ['juridictionNom', 'juridictionAdresse', 'juridictionHoraires', 'nature', 'etat', 'partieNom', 'partiePrenoms', 'partieRole', 'raisonSociale', 'avocat', 'evenementLibelle', 'documentTitre', 'audienceSalle', 'audienceAdresse', 'audienceLibelle'];
const CHAMPS_CITOYEN: (keyof Textes)[] = ['infraction', 'lieuFaits', 'numeroPlainte', 'prejudice', 'tiersNom', 'tiersPrenoms', 'pieceNom', 'contactObjet', 'contactNom'];

beforeAll(async () => {
  app = await demarrerApplication();
  for (const c of [...CHAMPS_API, ...CHAMPS_CITOYEN].filter((x) => x !== 'pieceNom')) TEXTES_PIEGES[c] = charge(`scénario.${c}`, c === 'numeroPlainte' ? 100 : c === 'contactObjet' ? 150 : 200);
  TEXTES_PIEGES.pieceNom = `${charge('scénario.pieceNom', 60)}.pdf`;
  TEXTES_PIEGES.contactMessage = `${charge('scénario.contactMessage')} — message assez long pour être accepté.`;
  s = await preparerScenario(app, { textes: TEXTES_PIEGES });
  for (const p of PROFILS_AGENTS) {
    const { nav } = await connecterAgent(app, p.courriel);
    const page = await (await nav.requete(`${app.url}/agent`)).text();
    agents.set(p.nom, { nav, csrf: formulaire(page, 'action="/agent/deconnexion"').champs._csrf! });
  }
}, 240_000);
afterAll(async () => {
  await app?.arreter();
});

const table = () => routes({ config: app.config, pool: app.pool, temporal: new Client(), log: creerJournal('test', 'silent') });

function autorise(route: RouteAgent, p: ProfilAgent): boolean {
  const aujourdHui = jourParis(new Date());
  if (route.action === null) return true;
  if (route.action === 'accueil') return roleAccueil(p, aujourdHui) !== null;
  if (ACTIONS_TOUTES_JURIDICTIONS.includes(route.action)) return roleToutesJuridictions(p, route.action, aujourdHui) !== null;
  return roleAutorise(p, route.action, 'TJ-PARIS', aujourdHui) !== null;
}

/** The browser of the user a route is for: the citizen, an agent allowed to use it, or nobody. */
function utilisateur(route: Route): { nav: Navigateur; qui: string } {
  if (route.acces === 'citoyen' || route.chemin === '/deconnexion') return { nav: s.nav, qui: 'citoyen' };
  if (route.acces === 'agent' || route.chemin === '/agent/deconnexion') {
    const p = route.acces === 'agent' ? PROFILS_AGENTS.find((x) => autorise(route as RouteAgent, x))! : PROFILS_AGENTS[0]!;
    return { nav: agents.get(p.nom)!.nav, qui: p.nom };
  }
  return { nav: new Navigateur(), qui: 'anonyme' };
}

async function roleRetirable(): Promise<string> {
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT r.id FROM agent_role r JOIN agent a ON a.id = r.agent_id WHERE a.courriel = 'magistrat.paris@justice.fr' AND r.revoked_at IS NULL`);
}

/** A body that would be accepted but for the token. */
function corps(chemin: string): Record<string, string> {
  const c: Record<string, Record<string, string>> = {
    '/contact': { categorie: 'autre', objet: 'Une question', message: 'Une question assez longue pour être acceptée.', courriel: 'a@example.fr' },
    '/espace/cgu': { accepte: 'oui' },
    '/espace/dossiers/ajouter': { etape: 'numero', numero: 'K7QF-3XWM-9RTD' },
    '/espace/parametres': { action: 'tout_desactiver' },
    '/espace/parametres/calendrier': { action: 'creer' },
    '/espace/requetes/nouvelle': { juridiction: 'TJ-PARIS', type: 'partie_civile' },
    '/espace/requetes/:id': { infraction: 'Vol', dateFaits: '2026-03-02', lieuFaits: 'Paris', prejudice: 'Scooter volé', montant: '1500' },
    '/espace/requetes/:id/tiers': { type: 'physique', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul' },
    '/agent/dossiers/:id/consentements': { partie: 'P1' },
    '/agent/dossiers/:id/evenements': { id: 'G-CSRF', type: 'information', date: '2026-11-20T10:00', libelle: 'Information' },
    '/agent/dossiers/:id/audiences': { nouvelle: 'A-CSRF', audience: '', debut: '2027-01-10T10:00', libelle: 'Audience', adresse: 'Paris', salle: '' },
    '/agent/dossiers/:id/cloture': { date: '2026-11-20T10:00' },
    '/agent/accueil': { numero: s.numeroDossier, juridiction: 'TJ-PARIS', finalite: 'Information du justiciable présent à l’accueil' },
    '/agent/agents': { courriel: 'nouvel.agent@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: '', fin: '' },
    '/agent/requetes/:id/enregistrement': { numero_dossier: '26/09999', numero_portalis: 'N7X4-2026-09999' },
  };
  return c[chemin] ?? {};
}

async function cheminPost(route: Route): Promise<string> {
  if (route.chemin === '/agent/agents/:role/retirer') return `/agent/agents/${await roleRetirable()}/retirer`;
  return cheminsConcrets(route.chemin, route.exemple, s)[0]!;
}

/** Waits until no background work (notifications, transmissions) changes the database any more. */
async function stable(): Promise<EmpreinteBase> {
  const options = { exclure: ['session'], journalSansRefus: true };
  let precedent = await empreinteBase(app.pool, options);
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const e = await empreinteBase(app.pool, options);
    const enAttente = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE statut IN ('en_attente', 'echec_temporaire')`);
    if (enAttente === 0 && tablesModifiees(precedent, e).length === 0) return e;
    precedent = e;
  }
  throw new Error('la base ne se stabilise pas');
}

describe('(a) CSRF', () => {
  test('every state-changing route refuses a request without a valid token, and nothing changes; the unsubscribe link is the only exemption', async () => {
    const posts = table().filter((r) => r.methode === 'POST');
    expect(posts.length).toBeGreaterThan(25);
    const avant = await stable();
    const ecarts: string[] = [];
    const exemptees: string[] = [];
    // Another session's token is not a valid token either.
    const autreSession = new Navigateur();
    const jetonEtranger = formulaire(await (await autreSession.requete(`${app.url}/contact`)).text(), 'name="message"').champs._csrf!;
    for (const route of posts) {
      const { nav, qui } = utilisateur(route);
      // The unsubscribe link: a forged token, so that reaching the handler (404) rather than the
      // CSRF check (403) shows the exemption without unsubscribing anyone.
      const chemin = route.chemin.startsWith('/alertes/desabonnement/') ? route.exemple! : await cheminPost(route);
      const url = `${app.url}${chemin}`;
      // A visitor who opened the form first: their session holds a CSRF secret, only the token is missing.
      if (qui === 'anonyme') await (await nav.requete(url)).arrayBuffer();
      const essais: [string, Record<string, string>][] = [
        ['sans jeton', corps(route.chemin)],
        ['jeton inventé', { ...corps(route.chemin), _csrf: 'AAAAAAAA-jeton-invente' }],
        ['jeton d’une autre session', { ...corps(route.chemin), _csrf: jetonEtranger }],
      ];
      for (const [cas, champs] of essais) {
        let r: Response;
        if (route.chemin.endsWith('/pieces') || route.chemin === '/agent/dossiers/:id/evenements') {
          const f = new FormData();
          for (const [k, v] of Object.entries(champs)) f.append(k, v);
          f.append(route.chemin.endsWith('/pieces') ? 'fichier' : 'fichier', new Blob([PDF_MINIMAL], { type: 'application/pdf' }), 'piece.pdf');
          r = await nav.requete(url, { multipart: f });
        } else {
          r = await nav.requete(url, { form: champs });
        }
        const texte = await r.text();
        if (route.chemin.startsWith('/alertes/desabonnement/')) {
          if (r.status === 404) exemptees.push(`${route.chemin} (${cas}) → ${r.status}`);
          continue;
        }
        if (r.status !== 403) ecarts.push(`${route.methode} ${route.chemin} en ${qui}, ${cas} : ${r.status} au lieu de 403`);
        else if (!texte.includes('Votre demande n’a pas pu être vérifiée')) ecarts.push(`${route.chemin} (${cas}) : 403 sans le message CSRF`);
      }
      // htmx sends the token as a header: a wrong header is refused too.
      const h = await nav.requete(url, { form: corps(route.chemin), entetes: { 'X-CSRF-Token': 'faux', 'HX-Request': 'true' } });
      await h.text();
      if (!route.chemin.startsWith('/alertes/desabonnement/') && h.status !== 403) ecarts.push(`${route.chemin} (en-tête X-CSRF-Token faux) : ${h.status}`);
    }
    expect(ecarts).toEqual([]);
    // The unsubscribe link's POST needs no session token (its signed token is the proof)...
    expect(exemptees.length).toBe(3);
    expect(posts.filter((r) => r.chemin.startsWith('/alertes/desabonnement/')).length).toBe(1);
    // ...and nothing was changed by all those refused requests.
    expect(tablesModifiees(avant, await stable())).toEqual([]);
  }, 300_000);

  test('the unsubscribe exemption: a signed link works without a session, a forged one is a 404, a foreign Origin is refused', async () => {
    const anonyme = new Navigateur();
    const faux = await anonyme.requete(`${app.url}/alertes/desabonnement/${s.jetonDesabonnement.slice(0, -2)}xx`, { form: {} });
    expect(faux.status).toBe(404);
    await faux.text();
    const etranger = await anonyme.requete(`${app.url}/alertes/desabonnement/${s.jetonDesabonnement}`, { form: {}, entetes: { Origin: 'https://attaquant.example' } });
    expect(etranger.status).toBe(403);
    await etranger.text();
    const ok = await anonyme.requete(`${app.url}/alertes/desabonnement/${s.jetonDesabonnement}`, { form: {} });
    expect(ok.status).toBeLessThan(400);
    await ok.text();
    const actives = await app.pool.oneFirst(sql.type(z.object({ a: z.boolean() }))`SELECT alertes_actives AS a FROM rattachement WHERE id = ${s.rattachementId}`);
    expect(actives).toBe(false);
  });

  test('a valid token from a foreign Origin is refused', async () => {
    const page = await (await s.nav.requete(`${app.url}/espace/parametres`)).text();
    const jeton = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const r = await s.nav.requete(`${app.url}/espace/parametres`, { form: { _csrf: jeton, action: 'tout_activer' }, entetes: { Origin: 'https://attaquant.example' } });
    expect(r.status).toBe(403);
    await r.text();
  });
});

describe('(b) output escaping', () => {
  /** Every GET page of the table that answers HTML, as the user it is for, on the scenario's objects. */
  async function toutesLesPages(): Promise<Map<string, string>> {
    const pages = new Map<string, string>();
    for (const route of table().filter((r) => r.methode === 'GET' && r.acces !== 'api')) {
      const qui: Navigateur[] =
        route.acces === 'citoyen' ? [s.nav]
          : route.acces === 'agent' ? PROFILS_AGENTS.filter((p) => autorise(route as RouteAgent, p)).map((p) => agents.get(p.nom)!.nav)
            // The provider callbacks end the session they are given: the citizen's stays out of them.
            : route.chemin.endsWith('/retour') ? [new Navigateur()] : [new Navigateur(), s.nav];
      for (const nav of qui) {
        for (const chemin of cheminsConcrets(route.chemin, route.exemple, s)) {
          const r = await nav.requete(`${app.url}${chemin}`);
          const type = r.headers.get('content-type') ?? '';
          if (!type.startsWith('text/html')) {
            await r.arrayBuffer();
            continue;
          }
          pages.set(`${chemin} (${route.acces})`, await r.text());
        }
      }
    }
    return pages;
  }

  test('the checker itself: raw payloads are caught, escaped ones are not', () => {
    for (const brut of ['<p>XSS0001<script>alert(1)</script></p>', '<input value="XSS0002"><img src=x onerror=alert(1)>">', "<a href='XSS0003'><svg onload=alert(1)>'>", '<a href="javascript:alert(1)">', '<p>XSS000449</p>']) {
      expect(`${brut} ${dangers(brut).length}`).not.toMatch(/ 0$/);
    }
    const echappe = '<p>XSS0001&lt;script&gt;alert(1)&lt;/script&gt;</p><input value="XSS0002&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><p>XSS0004{{7*7}}</p><script src="/static/htmx/htmx.min.js"></script>';
    expect(dangers(echappe)).toEqual([]);
  });

  test('payloads typed by the court API, citizens and agents appear escaped on every page that shows them', async () => {
    // Agent free texts, through their forms: a manual event, a hearing, registration numbers, the
    // reception desk's purpose (shown in the access journal).
    const greffe = agents.get('agent_greffe')!;
    const base = `${app.url}/agent/dossiers/${s.dossierId}`;
    const evt = new FormData();
    for (const [k, v] of Object.entries({ _csrf: greffe.csrf, id: 'G-XSS-1', type: 'information', date: '2026-11-20T10:00', libelle: charge('agent.evenement.libelle'), document_type: '' })) evt.append(k, v);
    const rEvt = await greffe.nav.requete(`${base}/evenements`, { multipart: evt });
    expect(`${rEvt.status} ${rEvt.status >= 400 ? await rEvt.text() : ''}`.slice(0, 300)).toMatch(/^30[23]/);
    const rAud = await greffe.nav.requete(`${base}/audiences`, { form: { _csrf: greffe.csrf, nouvelle: 'A-XSS-1', audience: '', debut: '2027-02-10T10:00', libelle: charge('agent.audience.libelle'), adresse: charge('agent.audience.adresse'), salle: charge('agent.audience.salle', 100) } });
    expect(`${rAud.status} ${rAud.status >= 400 ? await rAud.text() : ''}`.slice(0, 300)).toMatch(/^30[23]/);
    const rEnr = await greffe.nav.requete(`${app.url}/agent/requetes/${s.envoyeeId}/enregistrement`, { form: { _csrf: greffe.csrf, numero_dossier: charge('agent.enregistrement.numero_dossier', 64), numero_portalis: 'N7X4-2026-07777' } });
    await rEnr.text();
    const accueil = agents.get('agent_accueil')!;
    const rSauj = await accueil.nav.requete(`${app.url}/agent/accueil`, { form: { _csrf: accueil.csrf, numero: s.numeroDossier, juridiction: 'TJ-PARIS', finalite: `Information du justiciable ${charge('agent.accueil.finalite')}` } });
    await rSauj.text();

    // The dashboard's search form shows from SEUIL_RECHERCHE cases on: four more for the citizen.
    for (let i = 1; i <= SEUIL_RECHERCHE - 1; i++) {
      const telephone = `+3367000000${i}`;
      // Past the SMS limits of one account (3 codes an hour, one a minute): the portal's clock moves.
      app.horloge.avancer(61 * 60_000);
      await rattacher(app, s.nav, await dossierAvecConsentement(app, `XSS-2026-0000${i}`, { telephone }), telephone);
    }
    const pages = await toutesLesPages();
    // Plus the pages that reflect a query: help search, dashboard filter, agents' searches.
    for (const [nav, chemin] of [
      [new Navigateur(), `/aide?q=${encodeURIComponent(charge('recherche.aide', 100))}`],
      [s.nav, `/espace?nom=${encodeURIComponent(charge('recherche.tableau-de-bord.nom', 100))}&juridiction=${encodeURIComponent(charge('recherche.tableau-de-bord.juridiction', 100))}&numero=${encodeURIComponent(charge('recherche.tableau-de-bord.numero', 40))}`],
      [greffe.nav, `/agent/dossiers?numero=${encodeURIComponent(charge('recherche.agent.dossiers', 64))}`],
      [agents.get('directeur_greffe')!.nav, `/agent/journal?agent=${encodeURIComponent(charge('filtre.agent.journal.agent', 100))}`],
    ] as [Navigateur, string][]) {
      pages.set(chemin, await (await nav.requete(`${app.url}${chemin}`)).text());
    }
    const ecarts: string[] = [];
    const vus = new Set<string>();
    for (const [chemin, page] of pages) {
      for (const d of dangers(page)) ecarts.push(`${chemin} : ${d}`);
      for (const m of page.match(/XSS\d{4}/g) ?? []) vus.add(m);
    }
    expect(ecarts).toEqual([]);
    // Each payload was shown somewhere (else the check above proves nothing about it).
    const jamaisVus = [...marqueurs].filter(([m]) => !vus.has(m)).map(([m, champ]) => `${m} ${champ}`);
    console.log(`Champs piégés : ${marqueurs.size}, pages lues : ${pages.size}, jamais affichés : ${jamaisVus.join(', ') || 'aucun'}`);
    expect(jamaisVus).toEqual([]);
  }, 300_000);

  test('forms re-rendered with errors keep the payloads escaped', async () => {
    const ecarts: string[] = [];
    const verifier = async (quoi: string, r: Response) => {
      const page = await r.text();
      for (const d of dangers(page)) ecarts.push(`${quoi} (${r.status}) : ${d}`);
      if (!/XSS\d{4}/.test(page)) ecarts.push(`${quoi} (${r.status}) : la saisie n’est pas réaffichée`);
    };
    // Contact: a payload everywhere, the message too short.
    const anonyme = new Navigateur();
    const fc = formulaire(await (await anonyme.requete(`${app.url}/contact`)).text(), 'name="message"');
    await verifier('contact', await anonyme.requete(`${app.url}/contact`, { form: { ...fc.champs, categorie: 'autre', objet: charge('contact.objet (erreur)', 150), message: charge('contact.message (erreur)', 19), courriel: charge('contact.courriel (erreur)'), nom: charge('contact.nom (erreur)', 100) } }));
    // A requête draft: payloads and an impossible date.
    const jeton = formulaire(await (await s.nav.requete(`${app.url}/espace/dossiers/ajouter`)).text(), 'name="etape" value="numero"').champs._csrf!;
    await verifier('brouillon', await s.nav.requete(`${app.url}/espace/requetes/${s.brouillonId}`, { form: { _csrf: jeton, infraction: charge('requete.infraction (erreur)'), dateFaits: '2026-02-31', lieuFaits: charge('requete.lieuFaits (erreur)'), prejudice: charge('requete.prejudice (erreur)'), montant: charge('requete.montant (erreur)', 14) } }));
    await verifier('tiers', await s.nav.requete(`${app.url}/espace/requetes/${s.brouillonId}/tiers`, { form: { _csrf: jeton, type: 'physique', civilite: 'M.', nom: '', prenoms: charge('tiers.prenoms (erreur)'), nomUsage: charge('tiers.nomUsage (erreur)') } }));
    await verifier('ajout de dossier', await s.nav.requete(`${app.url}/espace/dossiers/ajouter`, { form: { _csrf: jeton, etape: 'numero', numero: charge('ajout.numero (erreur)', 64) } }));
    // Agents: an impossible date on the event and hearing forms, an invalid e-mail on the roles page.
    const greffe = agents.get('agent_greffe')!;
    const base = `${app.url}/agent/dossiers/${s.dossierId}`;
    await verifier('audience (agent)', await greffe.nav.requete(`${base}/audiences`, { form: { _csrf: greffe.csrf, nouvelle: 'A-XSS-2', audience: '', debut: 'pas une date', libelle: charge('audience.libelle (erreur)'), adresse: charge('audience.adresse (erreur)'), salle: charge('audience.salle (erreur)', 100) } }));
    const accueil = agents.get('agent_accueil')!;
    await verifier('accueil SAUJ', await accueil.nav.requete(`${app.url}/agent/accueil`, { form: { _csrf: accueil.csrf, numero: charge('accueil.numero (erreur)', 64), juridiction: 'TJ-PARIS', finalite: 'court' } }));
    const directeur = agents.get('directeur_greffe')!;
    await verifier('gestion des rôles', await directeur.nav.requete(`${app.url}/agent/agents`, { form: { _csrf: directeur.csrf, courriel: charge('agents.courriel (erreur)', 200), role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: '', fin: '' } }));
    expect(ecarts).toEqual([]);
  }, 120_000);
});

describe('(c) headers, errors, security.txt, rate limits', () => {
  test('every HTML page of the table carries the security headers (logged in as the user it is for)', async () => {
    const ecarts: string[] = [];
    let vues = 0;
    for (const route of table().filter((r) => r.methode === 'GET' && r.acces !== 'api')) {
      const { nav } = utilisateur(route);
      for (const chemin of cheminsConcrets(route.chemin, route.exemple, s)) {
        const r = await nav.requete(`${app.url}${chemin}`);
        await r.arrayBuffer();
        if (!(r.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        vues++;
        const csp = r.headers.get('content-security-policy') ?? '';
        const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1] ?? '';
        if (!scripts || /unsafe-inline|unsafe-eval|\*/.test(scripts)) ecarts.push(`${chemin} : script-src « ${scripts} »`);
        if (!/frame-ancestors 'none'/.test(csp)) ecarts.push(`${chemin} : pas de frame-ancestors 'none'`);
        if (!/object-src 'none'/.test(csp)) ecarts.push(`${chemin} : pas de object-src 'none'`);
        if (r.headers.get('referrer-policy') !== 'same-origin') ecarts.push(`${chemin} : referrer-policy ${r.headers.get('referrer-policy')}`);
        if (r.headers.get('x-content-type-options') !== 'nosniff') ecarts.push(`${chemin} : x-content-type-options ${r.headers.get('x-content-type-options')}`);
        // Over http (this app), no HSTS: a browser would pin a host that cannot do HTTPS.
        if (r.headers.get('strict-transport-security')) ecarts.push(`${chemin} : HSTS en http`);
      }
    }
    expect(ecarts).toEqual([]);
    expect(vues).toBeGreaterThan(40);
  }, 120_000);

  test('behind HTTPS (PUBLIC_URL https), pages carry HSTS and the session cookie is __Host- and Secure', async () => {
    const config = { ...app.config, PUBLIC_URL: 'https://portail.example' };
    const web = createApp({ config, pool: app.pool, poolLimites: app.poolLimites, temporal: app.temporal, log: creerJournal('test', 'silent') });
    const serveur = web.listen(0, '127.0.0.1');
    await new Promise((r) => serveur.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
      // The TLS proxy in front says the request came over HTTPS.
      const r = await fetch(`${url}/connexion`, { headers: { 'X-Forwarded-Proto': 'https' } });
      await r.text();
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
      expect(r.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      const cookie = r.headers.getSetCookie().join('\n');
      expect(cookie).toMatch(/__Host-portail=/);
      expect(cookie).toMatch(/secure/i);
      expect(cookie).toMatch(/httponly/i);
    } finally {
      serveur.closeAllConnections();
      serveur.close();
    }
  });

  test('error pages show no internals: 404, a bad id, a malformed body, and a 500 from a failing database', async () => {
    const FUITE = /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d+|node_modules|sqlstate|syntax error|\bstack\b|Error:/i;
    const r404 = await fetch(`${app.url}/nexiste/pas`);
    const t404 = await r404.text();
    expect(r404.status).toBe(404);
    expect(t404).not.toMatch(FUITE);
    expect(t404).toContain('href="/aide');
    const mauvaisId = await s.nav.requete(`${app.url}/espace/requetes/pas-un-uuid`);
    expect(mauvaisId.status).toBe(404);
    expect(await mauvaisId.text()).not.toMatch(FUITE);
    const mal = await s.nav.requete(`${app.url}/espace/parametres`, { brut: '%zz&a[b][c][d]=1', entetes: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await mal.text()).not.toMatch(FUITE);
    // A 500: the error middleware in front of a handler that fails the way a database does.
    const k = new Koa();
    k.use(gestionErreurs(creerJournal('test', 'silent')));
    k.use(async () => {
      const e = new Error('relation "dossier" does not exist') as Error & { code: string };
      e.code = '42P01';
      throw e;
    });
    const serveur = k.listen(0, '127.0.0.1');
    await new Promise((r) => serveur.once('listening', r));
    try {
      const r = await fetch(`http://127.0.0.1:${(serveur.address() as AddressInfo).port}/espace`);
      const t = await r.text();
      expect(r.status).toBe(500);
      expect(t).toContain('Erreur inattendue');
      expect(t).toMatch(/référence [0-9a-f-]{36}/);
      expect(t).not.toMatch(FUITE);
      expect(t).not.toContain('relation');
    } finally {
      serveur.close();
    }
  });

  test('/.well-known/security.txt names the contact, an expiry within a year and the canonical URL', async () => {
    const r = await fetch(`${app.url}/.well-known/security.txt`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const t = await r.text();
    expect(t).toMatch(/^Contact: mailto:/m);
    const expire = new Date(/^Expires: (.+)$/m.exec(t)![1]!);
    expect(expire.getTime()).toBeGreaterThan(Date.now());
    expect(expire.getTime()).toBeLessThanOrEqual(Date.now() + 366 * 86400000);
    expect(t).toContain(`Canonical: ${app.url}/.well-known/security.txt`);
  });

  test('POST /connexion and /agent/connexion are limited per session (429 with Retry-After)', async () => {
    for (const chemin of ['/connexion', '/agent/connexion']) {
      const nav = new Navigateur();
      const page = await (await nav.requete(`${app.url}${chemin}`)).text();
      const jeton = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      const statuts: number[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await nav.requete(`${app.url}${chemin}`, { form: { _csrf: jeton } });
        statuts.push(r.status);
        if (r.status === 429) {
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(await r.text()).toContain('Trop de tentatives de connexion');
        } else await r.text();
      }
      expect(`${chemin} ${statuts.join(',')}`).toBe(`${chemin} ${[...Array(10).fill(302), 429].join(',')}`);
      // Counted in PostgreSQL, where every web instance sees the same count.
      const lignes = await app.poolLimites.query<{ points: number }>('SELECT points FROM limites WHERE key LIKE $1', [`connexion_session:${chemin}:%`]);
      expect(lignes.rows.map((l) => l.points)).toContain(11);
      // Another browser is not affected.
      const autre = new Navigateur();
      const p2 = await (await autre.requete(`${app.url}${chemin}`)).text();
      const r2 = await autre.requete(`${app.url}${chemin}`, { form: { _csrf: /name="_csrf" value="([^"]+)"/.exec(p2)![1]! } });
      expect(r2.status).toBe(302);
    }
  });

  test('the contact endpoint has its own limit (database-backed)', async () => {
    // Contact: the session's limit (domain/contact.ts LIMITES_CONTACT) answers 429 with its message.
    const nav = new Navigateur();
    const statuts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const f = formulaire(await (await nav.requete(`${app.url}/contact`)).text(), 'name="message"');
      const r = await nav.requete(`${app.url}/contact`, { form: { ...f.champs, categorie: 'autre', objet: `Question ${i}`, message: 'Une question assez longue pour être acceptée.', courriel: `limite${i}@example.fr` } });
      statuts.push(r.status);
      await r.text();
      if (r.status === 429) break;
    }
    expect(statuts).toContain(429);
    // The SMS code's limits (quota, interval, lockout after wrong codes) are tested with their
    // clock in test/integration/rattachement.it.test.ts.
  });
});

// Accessibility of every page of the portal (issue 9 item 5, "Done when"): in a real browser
// (Debian's Chromium through playwright-core), every GET page of the route table (web/app.ts
// routes()) that answers HTML is opened — public pages anonymously, citizens' pages as a citizen
// holding a case with a hearing and a document, a draft and a sent requête, agents' pages as an
// agent whose role may open them — on the scenario's real objects, and each must pass axe-core
// (no serious or critical violation), have one h1 and no skipped heading level, a main landmark,
// the skip link as the first thing the Tab key reaches and <html lang="fr">. Then: a citizen adds
// a case with the keyboard alone; form errors are summarised and tied to their fields; the DSFR
// display settings switch the theme; the session-timeout warning is an alertdialog that takes
// the focus.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Client } from '@temporalio/client';
import { affaireValide, demarrerApplication, type Application } from '../aides/application.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';
import { cheminsConcrets, preparerScenario, PROFILS_AGENTS, type ProfilAgent, type Scenario } from '../aides/scenario.js';
import { attendre } from '../aides/attente.js';
import { COMPTES_AGENTS, IDENTITES_TEST } from '../../dev/franceconnect.js';
import { ACTIONS_TOUTES_JURIDICTIONS, jourParis, roleAccueil, roleAutorise, roleToutesJuridictions } from '../../domain/agents.js';
import { routes } from '../../web/app.js';
import type { RouteAgent } from '../../web/agent/routes.js';
import type { Route } from '../../web/routes.js';
import { creerJournal } from '../../web/log.js';
import { SESSION_AVERTISSEMENT_S, SESSION_DUREE_S } from '../../web/vues/gabarit.js';

let app: Application;
let navigateur: Browser;
let s: Scenario;
const ouverts: Contexte[] = [];

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  s = await preparerScenario(app);
}, 240_000);
afterEach(async () => {
  for (const c of ouverts.splice(0)) await c.contexte.close();
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

async function contexte(): Promise<Contexte> {
  const c = await nouveauContexte(navigateur);
  ouverts.push(c);
  return c;
}

/** The stand-in's label of a test identity, as its radio shows it. */
function libelleIdentite(identite: string): RegExp {
  const i = IDENTITES_TEST.find((x) => x.id === identite)!;
  return new RegExp(`^${i.claims.given_name} ${i.claims.family_name}`);
}

/** Through the login page and the FranceConnect stand-in; the CGU were accepted by the seeding. */
async function connecterCitoyen(page: Page, identite: string): Promise<void> {
  await page.goto(`${app.url}/connexion`);
  await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
  await page.waitForURL((u) => u.href.startsWith(app.fc.url));
  await page.getByRole('button', { name: 'Se connecter avec impots.gouv.fr' }).click();
  await page.getByRole('radio', { name: libelleIdentite(identite) }).check();
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.waitForURL((u) => u.href.startsWith(`${app.url}/espace`));
}

async function connecterAgentNavigateur(page: Page, courriel: string): Promise<void> {
  const compte = COMPTES_AGENTS.find((a) => a.courriel === courriel)!;
  await page.goto(`${app.url}/agent/connexion`);
  await page.getByRole('button', { name: 'Se connecter avec mon compte Justice' }).click();
  await page.waitForURL((u) => u.href.startsWith(app.fc.url));
  await page.getByRole('radio', { name: `${compte.prenom} ${compte.nom} — ${courriel}`, exact: true }).check();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${app.url}/agent`);
}

/** Whether the agent page's declared action lets this profile open it (same rule as the pages). */
function autorise(route: RouteAgent, p: ProfilAgent): boolean {
  const aujourdHui = jourParis(new Date());
  if (route.action === null) return true;
  if (route.action === 'accueil') return roleAccueil(p, aujourdHui) !== null;
  if (ACTIONS_TOUTES_JURIDICTIONS.includes(route.action)) return roleToutesJuridictions(p, route.action, aujourdHui) !== null;
  return roleAutorise(p, route.action, 'TJ-PARIS', aujourdHui) !== null;
}

interface Structure {
  lang: string;
  h1: number;
  main: number;
  sauts: string[];
}

const STRUCTURE = `(() => ({
  lang: document.documentElement.getAttribute('lang'),
  h1: document.querySelectorAll('h1').length,
  main: document.querySelectorAll('main, [role="main"]').length,
  // Heading levels in document order: a level may go down by any amount, up by one at most.
  sauts: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])).flatMap((n, i, t) => (i > 0 && n > t[i - 1] + 1 ? ['h' + t[i - 1] + ' → h' + n] : [])),
}))()`;

/** What has the keyboard focus, described for an assertion. */
const FOCUS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'), type: e.getAttribute('type'), name: e.getAttribute('name'),
    texte: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '),
    label: e.labels && e.labels[0] ? e.labels[0].innerText.trim().replace(/\\s+/g, ' ') : '',
  };
})()`;

interface Focus {
  tag: string;
  id: string;
  href: string | null;
  type: string | null;
  name: string | null;
  texte: string;
  label: string;
}

/**
 * Opens `chemin` and checks it if it is an HTML page; returns its status and whether it was one.
 * Non-HTML answers (PDF, CSV, JSON, ics, plain text) and htmx fragments (no <html>) are skipped.
 */
async function controler(page: Page, chemin: string, ecarts: string[], vues: string[]): Promise<{ statut: number; html: boolean }> {
  // Asked first through the context's own request (same cookies): a PDF or CSV opened with goto
  // would be a download, not a page.
  const avant = await page.request.get(`${app.url}${chemin}`, { maxRedirects: 0 });
  const type = avant.headers()['content-type'] ?? '';
  if (!type.startsWith('text/html') || !/<html[\s>]/.test(await avant.text())) return { statut: avant.status(), html: false };
  const r = await page.goto(`${app.url}${chemin}`);
  const statut = r?.status() ?? 0;
  vues.push(`${chemin} (${statut})`);
  const ici = `${chemin} (${statut})`;
  const v = await verifierAccessibilite(page);
  for (const violation of v) {
    for (const n of violation.noeuds) ecarts.push(`${ici} — ${violation.id} [${violation.impact}] — ${n.cible} ${n.html.slice(0, 160)}`);
  }
  if (v.length) console.warn(rapportAccessibilite(v, chemin));
  const st = (await page.evaluate(STRUCTURE)) as Structure;
  if (st.lang !== 'fr') ecarts.push(`${ici} — <html lang="${st.lang}"> au lieu de "fr"`);
  if (st.h1 !== 1) ecarts.push(`${ici} — ${st.h1} titres h1 au lieu d’un seul`);
  if (st.sauts.length) ecarts.push(`${ici} — niveaux de titres sautés : ${st.sauts.join(', ')}`);
  if (st.main !== 1) ecarts.push(`${ici} — ${st.main} zones main au lieu d’une`);
  // The first Tab from the top of the page must reach the skip link to the content.
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur(); window.scrollTo(0, 0)');
  await page.keyboard.press('Tab');
  const f = (await page.evaluate(FOCUS)) as Focus | null;
  if (f?.href !== '#contenu') ecarts.push(`${ici} — premier élément atteint au clavier : ${JSON.stringify(f)} au lieu du lien d’évitement « Contenu »`);
  return { statut, html: true };
}

/** Query strings some pages need to answer their normal content (their plain path is checked too). */
const VARIANTES: Record<string, () => string[]> = {
  // The htmx polling fragment of a case page: without its version it is a 404 page.
  '/espace/dossiers/:id/actualisation': () => [`/espace/dossiers/${s.rattachementId}/actualisation?version=0&depuis=${encodeURIComponent(new Date().toISOString())}`],
  // Without a choice it is the export page with its error (422); with one, the .ics file.
  '/espace/audiences/export': () => [`/espace/audiences/export?audience=${s.audienceId}&format=ics`],
};

/** Routes that cannot answer 200 here: provider callbacks without their parameters, token feeds, /metrics without its token. */
const SANS_200 = (r: Route) => r.chemin.endsWith('/retour') || r.chemin.startsWith('/calendrier/') || r.acces === 'exploitation';

describe('accessibility of every page', () => {
  test('every GET page of the route table that answers HTML passes axe, has one h1, a main, the skip link first and lang="fr"', async () => {
    const table = routes({ config: app.config, pool: app.pool, temporal: new Client(), log: creerJournal('test', 'silent') }).filter((r) => r.methode === 'GET' && r.acces !== 'api');
    const ecarts: string[] = [];
    const vues: string[] = [];
    const sansPage: string[] = [];
    const pages = new Map<string, Page>();
    /** One browser per identity, logged in once. */
    const pagePour = async (qui: string, connecter: (p: Page) => Promise<void>): Promise<Page> => {
      let p = pages.get(qui);
      if (!p) {
        p = (await contexte()).page;
        await connecter(p);
        pages.set(qui, p);
      }
      return p;
    };
    for (const route of table) {
      let page: Page;
      if (route.acces === 'citoyen') page = await pagePour('citoyen', (p) => connecterCitoyen(p, s.identite));
      else if (route.acces === 'agent') {
        const profil = PROFILS_AGENTS.find((p) => autorise(route as RouteAgent, p));
        if (!profil) throw new Error(`aucun rôle ne peut ouvrir ${route.chemin}`);
        page = await pagePour(profil.nom, (p) => connecterAgentNavigateur(p, profil.courriel));
      } else page = await pagePour('anonyme', async () => {});
      const resultats = [];
      for (const chemin of [...cheminsConcrets(route.chemin, route.exemple, s), ...(VARIANTES[route.chemin]?.() ?? [])]) resultats.push(await controler(page, chemin, ecarts, vues));
      const html = resultats.some((r) => r.html);
      if (!SANS_200(route) && !resultats.some((r) => r.statut === 200)) sansPage.push(`${route.chemin} : ${resultats.map((r) => r.statut).join(', ')}`);
      if (!html) vues.push(`(non HTML) ${route.chemin}`);
    }
    // A few states of the same pages the table's plain paths do not reach.
    const citoyen = pages.get('citoyen')!;
    for (const chemin of ['/aide?q=code', '/espace?q=divorce&filtre=audiences', '/espace/parametres']) await controler(citoyen, chemin, ecarts, vues);
    const greffe = pages.get('agent_greffe') ?? (await pagePour('agent_greffe', (p) => connecterAgentNavigateur(p, PROFILS_AGENTS[0]!.courriel)));
    await controler(greffe, `/agent/dossiers?numero=${encodeURIComponent(s.numeroDossier)}`, ecarts, vues);
    // An error page: a page of the portal like any other.
    await controler(pages.get('anonyme')!, '/nexiste/pas', ecarts, vues);
    console.log(`Pages vérifiées (${vues.length}) :\n${vues.join('\n')}`);
    expect(ecarts).toEqual([]);
    expect(sansPage).toEqual([]);
    expect(vues.filter((v) => !v.startsWith('(non HTML)')).length).toBeGreaterThan(40);
  }, 900_000);
});

describe('keyboard only', () => {
  /** Presses Tab (Shift+Tab with `arriere`) until the focused element matches; fails after `max` presses. */
  async function tabulerVers(page: Page, quoi: string, cible: (f: Focus) => boolean, o: { max?: number; arriere?: boolean } = {}): Promise<void> {
    const vus: string[] = [];
    for (let i = 0; i < (o.max ?? 80); i++) {
      await page.keyboard.press(o.arriere ? 'Shift+Tab' : 'Tab');
      const f = (await page.evaluate(FOCUS)) as Focus | null;
      if (f && cible(f)) return;
      vus.push(f ? `${f.tag}${f.id ? `#${f.id}` : ''} « ${f.texte || f.label} »` : '(rien)');
    }
    throw new Error(`${quoi} : jamais atteint au clavier ; parcouru :\n${vus.join('\n')}`);
  }

  test('a citizen adds a case with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing)', async () => {
    // The court pushes a case for Karim and records his consent: the number arrives by e-mail.
    const telephone = '+33698765432';
    const courriel = 'karim.clavier@example.fr';
    expect((await app.api('PUT', '/affaires/CLAVIER-2026-00001', affaireValide({
      numeroDossier: '26/06666',
      parties: [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'M.', nom: 'BENALI', prenoms: 'Karim', courriel, telephone }],
    }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/CLAVIER-2026-00001/consentements', { partie: 'P1' })).status).toBe(201);
    const [recu] = await attendre(() => app.courriels(courriel), (c) => c.length > 0, 30_000);
    const numero = /Numéro d'identification : (\S+)/.exec(recu!.text)![1]!;

    const { page, erreurs } = await contexte();
    // Logging in on the FranceConnect stand-in (not our page) and the CGU are the preconditions.
    await connecterCitoyen(page, 'karim-benali');
    if (new URL(page.url()).pathname === '/espace/cgu') {
      await tabulerVers(page, 'case des CGU', (f) => f.type === 'checkbox');
      await page.keyboard.press('Space');
      await tabulerVers(page, 'bouton Continuer', (f) => f.tag === 'button' && f.texte === 'Continuer');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${app.url}/espace`);
    }
    await page.goto(`${app.url}/espace`);

    // The skip link first, then on to "Ajouter un dossier".
    await page.keyboard.press('Tab');
    expect(((await page.evaluate(FOCUS)) as Focus).href).toBe('#contenu');
    await tabulerVers(page, 'lien « Ajouter un dossier »', (f) => f.tag === 'a' && f.href === '/espace/dossiers/ajouter');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/espace/dossiers/ajouter`);

    await tabulerVers(page, 'champ du numéro d’identification', (f) => f.tag === 'input' && /num[ée]ro d.identification/i.test(f.label));
    await page.keyboard.type(numero.toLowerCase());
    // Past the button, then back to it with Shift+Tab, as someone who went one step too far.
    await tabulerVers(page, 'bouton « Obtenir le code par SMS »', (f) => f.tag === 'button' && f.texte === 'Obtenir le code par SMS');
    await page.keyboard.press('Tab');
    await tabulerVers(page, 'retour au bouton « Obtenir le code par SMS »', (f) => f.tag === 'button' && f.texte === 'Obtenir le code par SMS', { arriere: true, max: 3 });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/espace/dossiers/ajouter' && u.searchParams.has('tentative'));

    const sms = await attendre(() => app.sms(telephone), (l) => l.length > 0, 30_000);
    const code = /est (\d{6})\. Il expire/.exec(sms[0]!.body)![1]!;
    await tabulerVers(page, 'champ du code', (f) => f.tag === 'input' && /code/i.test(f.label) && f.type !== 'hidden');
    await page.keyboard.type(code);
    await tabulerVers(page, 'bouton « Valider le code »', (f) => f.tag === 'button' && f.texte === 'Valider le code');
    await page.keyboard.press('Space');
    await page.waitForURL(`${app.url}/espace`);
    await page.getByText(/Ce dossier vient d.être ajouté à votre compte/).waitFor();
    // The new case is reachable from the keyboard too.
    await tabulerVers(page, 'lien du dossier ajouté', (f) => f.tag === 'a' && /^\/espace\/dossiers\/[0-9a-f-]{36}$/.test(f.href ?? ''));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => /^\/espace\/dossiers\/[0-9a-f-]{36}$/.test(u.pathname));
    expect(await page.locator('main').innerText()).toContain('26/06666');
    expect(erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
  }, 180_000);
});

describe('form errors', () => {
  /**
   * On a page showing a form's errors: each link of the summary (#resume-erreurs) leads to a
   * control that is aria-invalid and described by an error text, in a form after the summary.
   */
  const ERREURS = `(() => {
    const resume = document.getElementById('resume-erreurs');
    if (!resume) return ['pas de résumé des erreurs'];
    const ecarts = [];
    const liens = [...resume.querySelectorAll('a[href^="#"]')];
    if (!liens.length) ecarts.push('aucun lien du résumé vers un champ');
    for (const a of liens) {
      const id = a.getAttribute('href').slice(1);
      const champ = document.getElementById(id);
      if (!champ) { ecarts.push('#' + id + ' : pas de champ'); continue; }
      const controle = champ.matches('input, select, textarea') ? champ : champ.querySelector('input, select, textarea');
      if (!controle) { ecarts.push('#' + id + ' : pas de contrôle'); continue; }
      if (controle.form && !(resume.compareDocumentPosition(controle.form) & Node.DOCUMENT_POSITION_FOLLOWING)) ecarts.push('#' + id + ' : le résumé n’est pas avant son formulaire');
      if (controle.getAttribute('aria-invalid') !== 'true' && !champ.closest('[aria-invalid="true"], .fr-fieldset--error, .fr-input-group--error, .fr-select-group--error')) ecarts.push('#' + id + ' : pas aria-invalid');
      const decrit = (controle.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean).map((x) => document.getElementById(x)).filter(Boolean);
      const texteErreur = decrit.some((e) => e.classList.contains('fr-error-text') || e.classList.contains('fr-message--error') || e.querySelector('.fr-error-text, .fr-message--error'))
        || !!champ.closest('.fr-fieldset--error, .fr-input-group--error, .fr-select-group--error')?.querySelector('.fr-error-text, .fr-message--error');
      if (!texteErreur) ecarts.push('#' + id + ' : erreur non reliée au champ');
    }
    return ecarts;
  })()`;

  test('errors are summarised at the top, linked to their fields, and tied to them (contact, third party, agent hearing)', async () => {
    const ecarts: string[] = [];
    const verifier = async (page: Page, quoi: string) => {
      for (const e of (await page.evaluate(ERREURS)) as string[]) ecarts.push(`${quoi} : ${e}`);
      for (const v of await verifierAccessibilite(page)) ecarts.push(`${quoi} : axe ${v.id}`);
    };
    const { page } = await contexte();
    await page.goto(`${app.url}/contact`);
    await page.getByRole('button', { name: 'Envoyer mon message' }).click();
    await page.locator('#resume-erreurs').waitFor();
    await verifier(page, 'contact');

    const citoyen = (await contexte()).page;
    await connecterCitoyen(citoyen, s.identite);
    await citoyen.goto(`${app.url}/espace/requetes/${s.brouillonId}`);
    await citoyen.getByRole('button', { name: 'Ajouter cette personne' }).click();
    await citoyen.locator('#resume-erreurs').waitFor();
    await verifier(citoyen, 'ajout d’une personne');

    const agent = (await contexte()).page;
    await connecterAgentNavigateur(agent, PROFILS_AGENTS[0]!.courriel);
    await agent.goto(`${app.url}/agent/dossiers/${s.dossierId}`);
    await agent.getByRole('button', { name: 'Enregistrer l’audience' }).click();
    await agent.locator('#resume-erreurs, [role="alert"]').first().waitFor();
    await verifier(agent, 'audience (agent)');
    expect(ecarts).toEqual([]);
  }, 120_000);
});

describe('display settings and session warning', () => {
  test('the DSFR display settings switch the theme to dark and back, and the choice survives a reload', async () => {
    const { page, erreurs } = await contexte();
    await page.goto(`${app.url}/`);
    const html = page.locator('html');
    // DSFR's script has set the scheme from the system's preference (light in headless Chromium).
    await attendre(() => html.getAttribute('data-fr-theme'), (t) => t === 'light', 10_000);
    await page.getByRole('button', { name: 'Paramètres d’affichage' }).click();
    const dialogue = page.getByRole('dialog', { name: 'Paramètres d’affichage' });
    await dialogue.waitFor();
    await dialogue.getByText('Thème sombre').click();
    await attendre(() => html.getAttribute('data-fr-theme'), (t) => t === 'dark', 10_000);
    // axe in the dark theme too, the dialog open, once DSFR's colour transitions have ended (axe
    // would otherwise measure a colour halfway between the two themes).
    // A function, not a string: the page's CSP forbids evaluating strings.
    await page.waitForFunction(() => (globalThis as unknown as { document: { getAnimations(): unknown[] } }).document.getAnimations().length === 0);
    expect(rapportAccessibilite(await verifierAccessibilite(page), 'thème sombre')).toBe('');
    await page.keyboard.press('Escape');
    await page.reload();
    await attendre(() => html.getAttribute('data-fr-theme'), (t) => t === 'dark', 10_000);
    await page.getByRole('button', { name: 'Paramètres d’affichage' }).click();
    await page.getByRole('dialog', { name: 'Paramètres d’affichage' }).getByText('Thème clair').click();
    await attendre(() => html.getAttribute('data-fr-theme'), (t) => t === 'light', 10_000);
    expect(erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
  }, 60_000);

  test('the session-timeout warning is an alertdialog that takes the focus, and "Rester connecté" keeps the session (citizen and agent)', async () => {
    const { page } = await contexte();
    await connecterCitoyen(page, s.identite);
    await page.clock.install();
    await page.goto(`${app.url}/espace`);
    const alerte = page.locator('#avertissement-session');
    expect(await alerte.isHidden()).toBe(true);
    // Hidden, it is out of the accessibility tree: its ARIA is read from the markup first.
    const boite = alerte.locator('[role="alertdialog"]');
    expect(await boite.getAttribute('aria-labelledby')).toBe('avertissement-session-titre');
    expect(await boite.getAttribute('aria-describedby')).toBe('avertissement-session-texte');
    const dialogue = page.getByRole('alertdialog', { name: 'Votre session va bientôt expirer' });
    await page.clock.fastForward((SESSION_DUREE_S - SESSION_AVERTISSEMENT_S) * 1000 + 1000);
    await dialogue.waitFor({ state: 'visible' });
    expect(await page.getByRole('alertdialog').getAttribute('aria-describedby')).toBe('avertissement-session-texte');
    const f = (await page.evaluate(FOCUS)) as Focus;
    expect(f.texte).toBe('Rester connecté');
    const renouvellement = page.waitForResponse((r) => r.url() === `${app.url}/espace/session`);
    await page.keyboard.press('Enter');
    expect((await renouvellement).status()).toBe(204);
    await alerte.waitFor({ state: 'hidden' });

    // The agents' pages warn too, and renew the agent's session through their own route.
    const agent = (await contexte()).page;
    await connecterAgentNavigateur(agent, PROFILS_AGENTS[0]!.courriel);
    await agent.clock.install();
    await agent.goto(`${app.url}/agent`);
    await agent.clock.fastForward((SESSION_DUREE_S - SESSION_AVERTISSEMENT_S) * 1000 + 1000);
    await agent.getByRole('alertdialog', { name: 'Votre session va bientôt expirer' }).waitFor({ state: 'visible' });
    expect(((await agent.evaluate(FOCUS)) as Focus).texte).toBe('Rester connecté');
    const prolongation = agent.waitForResponse((r) => r.url() === `${app.url}/agent/session`);
    await agent.keyboard.press('Space');
    expect((await prolongation).status()).toBe(204);
    await agent.locator('#avertissement-session').waitFor({ state: 'hidden' });
  }, 90_000);
});

// The citizen's journey in a real browser (Debian's Chromium through playwright-core), against
// the whole portal: the court pushes a case with a consent, the citizen logs in through the
// FranceConnect stand-in, accepts the CGU, adds the case with the number from the e-mail and
// the code from the SMS, sees it, detaches it, and logs out of both sides. axe-core checks
// every page on the way (ANCHORS.md C2 item 29; issue 4 "Done when").
//
// Selectors go by role, label and visible text: the labels the pages must show are gathered in
// LIBELLES below, so a wording change is one edit here.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';

const LIBELLES = {
  accederEspace: 'Accéder à mon espace',
  boutonFranceConnect: /S’identifier avec\s*FranceConnect/,
  fournisseur: 'Se connecter avec impots.gouv.fr',
  seConnecterFc: 'Se connecter',
  cguCase: /J’ai lu et j’accepte les conditions générales d’utilisation/,
  cguErreur: 'Cochez cette case pour continuer.',
  continuer: 'Continuer',
  ajouterDossier: 'Ajouter un dossier',
  champNumero: /num[ée]ro d.identification/i,
  obtenirCode: 'Obtenir le code par SMS',
  champCode: /code/i,
  validerCode: /valider|ajouter|confirmer/i,
  dossierAjoute: /Ce dossier vient d.être ajouté à votre compte/,
  detacher: 'Détacher ce dossier',
  confirmerDetachement: /détacher|confirmer/i,
  dossierDetache: /détaché/i,
  seDeconnecter: 'Se déconnecter',
  deconnecte: 'Vous êtes déconnecté',
};

const TELEPHONE = '06 12 34 56 78';
const NUMERO_DOSSIER = '26/04321';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
}, 120_000);
afterEach(async () => {
  await ctx?.contexte.close();
  ctx = undefined;
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

/** axe on each page visited: ours must be clean; the stand-in's are only reported. */
class Controle {
  readonly nos: string[] = [];
  readonly tiers: string[] = [];
  readonly vues: string[] = [];
  constructor(private readonly page: Page) {}

  async verifier(nom: string): Promise<void> {
    const url = this.page.url();
    const v = await verifierAccessibilite(this.page);
    this.vues.push(`${nom} (${url})`);
    if (!v.length) return;
    (url.startsWith(app.url) ? this.nos : this.tiers).push(`${nom}\n${rapportAccessibilite(v, url)}`);
  }

  /** Fails on our pages' violations; the stand-in's go to the console. */
  conclure(): void {
    if (this.tiers.length) console.warn(`Accessibilité du fournisseur FranceConnect local (non bloquant) :\n${this.tiers.join('\n\n')}`);
    expect(this.nos.join('\n\n')).toBe('');
  }
}

/** Script errors and failed loads on our pages (the stand-in's are not ours to fix). */
function nosErreurs(c: Contexte): string[] {
  return c.erreurs.filter((e) => e.startsWith(app.url));
}

/**
 * waitForURL, but a failure says where the browser stayed and what the console said: a form
 * blocked by the CSP (form-action) leaves the page where it was, with only a console error.
 */
async function attendreUrl(page: Page, quoi: string, url: string | ((u: URL) => boolean), delai = 10_000): Promise<void> {
  try {
    await page.waitForURL(url, { timeout: delai });
  } catch {
    throw new Error(`${quoi} : le navigateur est resté sur ${page.url()}\nConsole :\n${(ctx?.erreurs ?? []).join('\n')}`);
  }
}

async function attendre<T>(quoi: string, f: () => Promise<T | undefined>, delai = 15_000): Promise<T> {
  const fin = Date.now() + delai;
  for (;;) {
    const r = await f();
    if (r !== undefined) return r;
    if (Date.now() > fin) throw new Error(`délai dépassé : ${quoi}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** The court pushes the case and the consent; the number arrives by e-mail. */
async function affaireAvecConsentement(reference: string, courriel: string): Promise<string> {
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  const affaire = affaireValide({ numeroDossier: NUMERO_DOSSIER });
  const parties = affaire.parties as Record<string, unknown>[];
  parties[0] = { ...parties[0], courriel, telephone: TELEPHONE };
  expect((await app.api('PUT', `/affaires/${reference}`, affaire)).status).toBe(200);
  expect((await app.api('POST', `/affaires/${reference}/consentements`, { partie: 'P1' })).status).toBe(201);
  const courriels = await attendre('courriel du numéro d’identification', async () => {
    const c = await app.courriels(courriel);
    return c.length ? c : undefined;
  });
  return /Numéro d'identification : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(courriels[0]!.text)![1]!;
}

async function smsRecus(): Promise<{ id: string; to: string; body: string; date: string }[]> {
  return (await (await fetch(`${app.boites.urlPage}api/sms`)).json()) as { id: string; to: string; body: string; date: string }[];
}

/** Test identities of the stand-in (dev/franceconnect.ts): one per test, each a first login. */
const ANGELA = { libelle: /Angela Claire Louise DUBOIS/, bonjour: /Bonjour Angela/ };
const KARIM = { libelle: /Karim Mohamed BENALI/, bonjour: /Bonjour Karim/ };

/** From the home page to /espace through the stand-in; the CGU are accepted on the way. */
async function seConnecter(page: Page, controle: Controle, identite: { libelle: RegExp; bonjour: RegExp }): Promise<void> {
  await page.goto(`${app.url}/`);
  await controle.verifier('accueil');
  await page.getByRole('link', { name: LIBELLES.accederEspace }).click();
  await attendreUrl(page, 'page de connexion', `${app.url}/connexion`);
  await controle.verifier('connexion');
  await page.getByRole('button', { name: LIBELLES.boutonFranceConnect }).click();
  // The stand-in: identity provider, then identity.
  await attendreUrl(page, 'vers FranceConnect', (u) => u.href.startsWith(app.fc.url));
  await page.getByRole('button', { name: LIBELLES.fournisseur }).waitFor();
  await controle.verifier('FranceConnect : choix du fournisseur');
  await page.getByRole('button', { name: LIBELLES.fournisseur }).click();
  await page.getByRole('radio', { name: identite.libelle }).waitFor();
  await controle.verifier('FranceConnect : choix de l’identité');
  await page.getByRole('radio', { name: identite.libelle }).check();
  await page.getByRole('button', { name: LIBELLES.seConnecterFc, exact: true }).click();
  // First login: the CGU.
  await attendreUrl(page, 'retour de FranceConnect vers les CGU', `${app.url}/espace/cgu`);
  await controle.verifier('CGU');
  await page.screenshot({ path: '/tmp/cgu.png', fullPage: true });
  // Without ticking the box: the error is shown (and checked by axe too).
  await page.getByRole('button', { name: LIBELLES.continuer }).click();
  await page.getByText(LIBELLES.cguErreur).waitFor();
  await controle.verifier('CGU avec erreur');
  // DSFR draws the box on the label, over the real input: click the label, as a person would.
  await page.getByText(LIBELLES.cguCase).click();
  expect(await page.getByLabel(LIBELLES.cguCase).isChecked()).toBe(true);
  await page.getByRole('button', { name: LIBELLES.continuer }).click();
  await attendreUrl(page, 'CGU acceptées', `${app.url}/espace`);
  await page.getByRole('heading', { level: 1, name: identite.bonjour }).waitFor();
}

async function seDeconnecter(page: Page, controle: Controle): Promise<void> {
  await page.getByRole('button', { name: LIBELLES.seDeconnecter }).click();
  // FranceConnect's end-session page submits itself with JavaScript, then comes back here.
  await attendreUrl(page, 'déconnexion des deux côtés', (u) => u.href.startsWith(`${app.url}/deconnexion/retour`), 20_000);
  await page.getByRole('heading', { level: 1, name: LIBELLES.deconnecte }).waitFor();
  await controle.verifier('déconnexion');
  // Our session is over: the space asks for a login again.
  await page.goto(`${app.url}/espace`);
  expect(new URL(page.url()).pathname).toBe('/connexion');
}

describe('citizen journey in a real browser', () => {
  test('login through FranceConnect, CGU, empty space, logout of both sides; axe on every page', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const controle = new Controle(page);
    await seConnecter(page, controle, ANGELA);
    expect(await page.getByText('Il n’existe pas de base nationale').count()).toBe(1);
    await controle.verifier('mon espace (vide)');
    await page.screenshot({ path: '/tmp/espace-vide.png', fullPage: true });
    await seDeconnecter(page, controle);
    // After logout, FranceConnect's session is gone too: a new login asks for a provider again.
    await page.goto(`${app.url}/connexion`);
    await page.getByRole('button', { name: LIBELLES.boutonFranceConnect }).click();
    await attendreUrl(page, 'nouvelle connexion après déconnexion', (u) => u.href.startsWith(app.fc.url));
    await page.getByRole('button', { name: LIBELLES.fournisseur }).waitFor();
    controle.conclure();
    expect(nosErreurs(ctx)).toEqual([]);
  }, 120_000);

  test('add a case with the number and the SMS code, see it, detach it, log out', async () => {
    const numero = await affaireAvecConsentement('E2E-2026-00001', 'e2e.dubois@example.fr');
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const controle = new Controle(page);
    await seConnecter(page, controle, KARIM);

    // Add the case: the number typed with spaces and in lower case.
    await page.getByRole('link', { name: LIBELLES.ajouterDossier }).click();
    await attendreUrl(page, 'page d’ajout', `${app.url}/espace/dossiers/ajouter`);
    const ajout = await page.request.get(`${app.url}/espace/dossiers/ajouter`);
    if (ajout.status() === 404) throw new Error('La page /espace/dossiers/ajouter n’existe pas encore (404).');
    await controle.verifier('ajouter un dossier : numéro');
    await page.getByLabel(LIBELLES.champNumero).fill(numero.replace(/-/g, ' ').toLowerCase());
    const avant = new Set((await smsRecus()).map((s) => s.id));
    await page.getByRole('button', { name: LIBELLES.obtenirCode }).click();
    const champCode = page.getByLabel(LIBELLES.champCode).first();
    await champCode.waitFor();
    // Only the last two digits of the phone are shown.
    const texte = await page.locator('main').innerText();
    expect(texte).toMatch(/78/);
    expect(texte).not.toContain('06 12 34 56');
    await controle.verifier('ajouter un dossier : code');
    const sms = await attendre('SMS du code', async () => (await smsRecus()).find((s) => !avant.has(s.id) && /\b\d{6}\b/.test(s.body)));
    expect(sms.to.replace(/\D/g, '')).toMatch(/612345678$/);
    const code = /\b(\d{6})\b/.exec(sms.body)![1]!;
    // A wrong code first: an error shown on the same step (checked by axe), tries left.
    await champCode.fill(code === '000000' ? '111111' : '000000');
    await page.locator('main').getByRole('button', { name: LIBELLES.validerCode }).first().click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).not.toBe('/espace');
    await page.locator('main').locator('[role="alert"], .fr-alert--error, .fr-message--error').first().waitFor();
    await controle.verifier('ajouter un dossier : mauvais code');
    await page.getByLabel(LIBELLES.champCode).first().fill(code);
    await page.locator('main').getByRole('button', { name: LIBELLES.validerCode }).first().click();

    // The dashboard: the case and the message.
    await attendreUrl(page, 'dossier ajouté', `${app.url}/espace`);
    await page.getByText(LIBELLES.dossierAjoute).waitFor();
    const lienDossier = page.locator('main a[href^="/espace/dossiers/"]:not([href="/espace/dossiers/ajouter"])').first();
    expect(await lienDossier.count()).toBe(1);
    await controle.verifier('mon espace avec un dossier');
    await page.screenshot({ path: '/tmp/espace.png', fullPage: true });

    // The case page, then detach with a confirmation step.
    await lienDossier.click();
    await attendreUrl(page, 'page du dossier', (u) => /^\/espace\/dossiers\/[^/]+$/.test(u.pathname));
    expect(await page.locator('main').innerText()).toContain(NUMERO_DOSSIER);
    await controle.verifier('page du dossier');
    const pageDossier = page.url();
    await page.getByRole('button', { name: LIBELLES.detacher }).or(page.getByRole('link', { name: LIBELLES.detacher })).first().click();
    await attendreUrl(page, 'confirmation du détachement', (u) => u.href !== pageDossier);
    await controle.verifier('confirmation du détachement');
    await page.locator('main').getByRole('button', { name: LIBELLES.confirmerDetachement }).first().click();
    await attendreUrl(page, 'dossier détaché', `${app.url}/espace`);
    await page.getByText(LIBELLES.dossierDetache).first().waitFor();
    expect(await page.locator('main a[href^="/espace/dossiers/"]:not([href="/espace/dossiers/ajouter"])').count()).toBe(0);
    await controle.verifier('mon espace après détachement');

    await seDeconnecter(page, controle);
    controle.conclure();
    expect(nosErreurs(ctx)).toEqual([]);
  }, 180_000);
});

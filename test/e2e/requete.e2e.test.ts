// An online requête in a real browser (Debian's Chromium through playwright-core) against the
// whole portal: the citizen begins a requête au juge aux affaires familiales, types (htmx saves
// the draft as they type), saves with the plain button, leaves, comes back through "Mes
// requêtes", completes it with a third party and an attachment, checks the summary and sends it;
// the page then follows the transmission until "Requête transmise". axe-core checks the edit
// and summary pages (no serious or critical violation) and the console stays free of errors
// (a script or form blocked by the CSP would show there).
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';
import { attendreValeur as attendre } from '../aides/attente.js';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
}, 120_000);
afterEach(async () => {
  await ctx?.contexte.close();
  ctx = undefined;
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

async function attendreUrl(page: Page, quoi: string, url: string | RegExp | ((u: URL) => boolean), delai = 10_000): Promise<void> {
  try {
    await page.waitForURL(url, { timeout: delai });
  } catch {
    throw new Error(`${quoi} : le navigateur est resté sur ${page.url()}\nConsole :\n${(ctx?.erreurs ?? []).join('\n')}`);
  }
}


const violations: string[] = [];
async function accessibilite(page: Page, nom: string): Promise<void> {
  const v = await verifierAccessibilite(page);
  if (v.length) violations.push(`${nom}\n${rapportAccessibilite(v, page.url())}`);
}

const donnees = (id: string) => app.pool.oneFirst(sql.type(z.object({ donnees: z.record(z.unknown()) }))`SELECT donnees FROM requete WHERE id = ${id}`);
const statut = (id: string) => app.pool.oneFirst(sql.type(z.object({ statut: z.string() }))`SELECT statut FROM requete WHERE id = ${id}`);

/** Through the FranceConnect stand-in; the CGU accepted on the way (first login). */
async function seConnecter(page: Page): Promise<void> {
  await page.goto(`${app.url}/connexion`);
  await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
  await attendreUrl(page, 'vers FranceConnect', (u) => u.href.startsWith(app.fc.url));
  await page.getByRole('button', { name: 'Se connecter avec impots.gouv.fr' }).click();
  await page.getByRole('radio', { name: /Angela Claire Louise DUBOIS/ }).check();
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await attendreUrl(page, 'CGU', `${app.url}/espace/cgu`);
  await page.getByText(/J’ai lu et j’accepte les conditions générales d’utilisation/).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await attendreUrl(page, 'mon espace', `${app.url}/espace`);
}

describe('online requête in a real browser', () => {
  test('create, save, leave, resume, complete (third party, attachment) and send; axe on the edit and summary pages', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    await seConnecter(page);

    // From the dashboard to a new requête.
    await page.getByRole('link', { name: 'Mes requêtes' }).click();
    await attendreUrl(page, 'mes requêtes', `${app.url}/espace/requetes`);
    await page.getByRole('link', { name: 'Nouvelle requête' }).click();
    await attendreUrl(page, 'nouvelle requête', `${app.url}/espace/requetes/nouvelle`);
    await accessibilite(page, 'nouvelle requête');
    await page.screenshot({ path: '/tmp/requete-nouvelle.png', fullPage: true });
    await page.getByLabel('Juridiction').selectOption({ label: 'Tribunal judiciaire de Paris' });
    // DSFR draws the radio on its label: click the label, as a person would.
    await page.locator('label[for="type"]').click();
    expect(await page.getByRole('radio', { name: /Requête au juge aux affaires familiales/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Commencer la requête' }).click();
    await attendreUrl(page, 'page de la requête', /\/espace\/requetes\/[0-9a-f-]{36}$/);
    const url = page.url();
    const id = new URL(url).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'Requête au juge aux affaires familiales' }).waitFor();
    await accessibilite(page, 'requête : brouillon vide');

    // Typing: htmx saves the draft and says so in the live region.
    await page.getByLabel(/Enfants concernés/).fill('Léa DUBOIS, née le 12/03/2015');
    await page.getByRole('status').filter({ hasText: /Brouillon enregistré à \d\d:\d\d/ }).waitFor();
    await attendre('brouillon enregistré au fil de la saisie', async () => (await donnees(id)).enfants === 'Léa DUBOIS, née le 12/03/2015');
    // The plain button too.
    await page.getByLabel(/Ce que vous demandez au juge/).fill('Fixer la résidence de Léa à mon domicile.');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText(/Brouillon enregistré à \d\d:\d\d\./).waitFor();
    expect((await donnees(id)).demandes).toBe('Fixer la résidence de Léa à mon domicile.');

    // Leave, then resume from the list.
    await page.goto(`${app.url}/espace`);
    await page.getByRole('link', { name: 'Mes requêtes' }).click();
    await attendreUrl(page, 'mes requêtes', `${app.url}/espace/requetes`);
    expect(await page.locator('main').innerText()).toMatch(/sera supprimé le .* \(dans 30 jours\)/);
    await accessibilite(page, 'mes requêtes');
    await page.getByRole('link', { name: 'Requête au juge aux affaires familiales' }).click();
    await attendreUrl(page, 'reprise', url);
    expect(await page.getByLabel(/Enfants concernés/).inputValue()).toBe('Léa DUBOIS, née le 12/03/2015');
    expect(await page.getByLabel(/Ce que vous demandez au juge/).inputValue()).toBe('Fixer la résidence de Léa à mon domicile.');

    // Sending too early: the summary lists what is missing, each linked to its place.
    await page.getByRole('link', { name: 'Vérifier et envoyer' }).click();
    await attendreUrl(page, 'récapitulatif incomplet', `${url}/recapitulatif`);
    await page.getByText('Il manque encore des informations').waitFor();
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.getByRole('heading', { name: 'Votre requête ne peut pas encore être envoyée' }).waitFor();
    await accessibilite(page, 'récapitulatif : envoi refusé');
    expect(await statut(id)).toBe('brouillon');
    await page.locator('#resume-erreurs').getByRole('link', { name: 'Indiquez au moins une personne concernée par la demande.' }).click();
    await attendreUrl(page, 'retour à la requête, section des personnes', `${url}#tiers`);

    // Complete the fields.
    await page.locator('label[for="objet"]').click();
    await page.getByLabel(/Pourquoi : exposé de la situation/).fill('Le père a déménagé à l’étranger.');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText(/Brouillon enregistré à \d\d:\d\d\./).waitFor();

    // A third party: first without a name, refused with the error on the field.
    await page.getByRole('button', { name: 'Ajouter cette personne' }).click();
    await page.locator('#resume-erreurs').getByText('Le nom de la personne est obligatoire.').waitFor();
    await accessibilite(page, 'requête : erreurs sur la personne');
    await page.getByLabel('Nom de naissance').fill('MARTIN');
    await page.getByLabel(/^Prénoms/).fill('Paul');
    await page.getByRole('button', { name: 'Ajouter cette personne' }).click();
    await page.getByText('La personne a été ajoutée à la requête.').waitFor();
    expect(await page.locator('#liste-tiers').innerText()).toContain('Paul MARTIN');

    // An attachment.
    await page.getByLabel(/Ajouter une pièce jointe/).setInputFiles({ name: 'acte-de-naissance.pdf', mimeType: 'application/pdf', buffer: PDF_MINIMAL });
    await page.getByRole('button', { name: 'Joindre ce fichier' }).click();
    await page.getByText('« acte-de-naissance.pdf » a été joint à la requête.').waitFor();
    expect(await page.locator('#liste-pieces').innerText()).toContain('acte-de-naissance.pdf');
    await accessibilite(page, 'requête : brouillon complet');
    await page.screenshot({ path: '/tmp/requete-brouillon.png', fullPage: true });

    // The summary, then send.
    await page.getByRole('link', { name: 'Vérifier et envoyer' }).click();
    await attendreUrl(page, 'récapitulatif', `${url}/recapitulatif`);
    const recap = await page.locator('main').innerText();
    for (const t of ['Résidence des enfants', 'Le père a déménagé à l’étranger.', 'Paul MARTIN', 'acte-de-naissance.pdf', 'Tribunal judiciaire de Paris']) expect(recap).toContain(t);
    expect(recap).not.toContain('Il manque encore des informations');
    await accessibilite(page, 'récapitulatif');
    await page.screenshot({ path: '/tmp/requete-recapitulatif.png', fullPage: true });
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await attendreUrl(page, 'retour à la requête', url);
    // Transmission en cours, then (polling or already) transmitted.
    await page.getByRole('heading', { name: 'Requête transmise à la juridiction' }).waitFor({ timeout: 20_000 });
    expect(await statut(id)).toBe('envoyee');
    expect(await page.locator('main').innerText()).toContain('seule la juridiction peut la faire évoluer');
    await accessibilite(page, 'requête envoyée');
    await page.screenshot({ path: '/tmp/requete-envoyee.png', fullPage: true });
    const recepisse = await page.request.get(`${url}/recepisse.pdf`);
    expect(recepisse.status()).toBe(200);
    expect((await recepisse.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('link', { name: 'Retour à mes requêtes' }).click();
    await attendreUrl(page, 'mes requêtes', `${app.url}/espace/requetes`);
    expect(await page.locator('#liste-requetes').innerText()).toMatch(/Envoyée le/);
    await accessibilite(page, 'mes requêtes après envoi');
    await page.screenshot({ path: '/tmp/requete-liste.png', fullPage: true });

    expect(violations.join('\n\n')).toBe('');
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
  }, 180_000);
});

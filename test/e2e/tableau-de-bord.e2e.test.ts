// The dashboard's search in a real browser (Debian's Chromium, playwright-core): with htmx the
// list is replaced in place (a marker set on `window` survives, so there was no navigation), the
// URL follows the criteria (shareable, back button), and axe finds nothing on the page with its
// search form. The login itself is covered by parcours-citoyen.e2e.test.ts: here the session
// cookies of the integration harness's login (app.connecter) are handed to the browser, and the
// 25 links are inserted with SQL as in tableau-de-bord.it.test.ts (why: see there).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';
import { empreinte, genererNumero, normaliserNumero } from '../../domain/identifiants.js';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;
let cookies: { name: string; value: string; url: string }[] = [];

const NOMS = ['DUBOIS', 'LEFÈVRE', 'MARTIN', 'PETIT', 'ROBERT'];
const Id = z.object({ id: z.string().uuid() });

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  const nav = await app.connecter('angela-dubois');
  const compte = await app.pool.oneFirst(sql.type(Id)`SELECT id FROM compte ORDER BY created_at DESC LIMIT 1`);
  for (let i = 0; i < 25; i++) {
    const portalis = `E2E-TDB-${String(i).padStart(3, '0')}`;
    const r = await app.api('PUT', `/affaires/${portalis}`, affaireValide({
      numeroDossier: `26/${String(50_000 + i)}`,
      parties: [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: NOMS[i % 5], prenoms: i % 5 === 1 ? 'Hélène' : 'Claire' }],
    }));
    expect(r.status).toBe(200);
    const hash = empreinte(app.config.HASH_KEY, 'identifiant', normaliserNumero(genererNumero())!);
    await app.pool.query(sql.unsafe`
      WITH d AS (SELECT d.id AS dossier_id, p.id AS partie_id FROM dossier d JOIN partie p ON p.dossier_id = d.id WHERE d.numero_portalis = ${portalis}),
      cs AS (INSERT INTO consentement (dossier_id, partie_id) SELECT dossier_id, partie_id FROM d RETURNING id),
      i AS (INSERT INTO identifiant (consentement_id, hash, destinataire) SELECT id, ${sql.binary(hash)}, 'e2e@example.fr' FROM cs RETURNING id)
      INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id) SELECT ${compte}, d.dossier_id, d.partie_id, i.id FROM d, i`);
  }
  cookies = [...(nav as unknown as { cookies: Map<string, string> }).cookies].map(([name, value]) => ({ name, value, url: app.url }));
}, 180_000);

afterAll(async () => {
  await ctx?.contexte.close();
  await navigateur?.close();
  await app?.arreter();
});

describe('dashboard in a real browser', () => {
  test('search, filter and page in place with htmx; the URL keeps the state; back restores it', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    await ctx.contexte.addCookies(cookies);
    await page.goto(`${app.url}/espace`);
    await page.getByRole('heading', { level: 1, name: /Bonjour/ }).waitFor();
    const resume = page.locator('#resume-resultats');
    expect(await resume.innerText()).toMatch(/^25 dossiers Page 1 sur 2/);
    expect(await page.locator('#resultats-dossiers .fr-card').count()).toBe(20);
    const axe = await verifierAccessibilite(page);
    expect(rapportAccessibilite(axe, page.url())).toBe('');

    // A marker on window: a full navigation would lose it.
    await page.evaluate('window.__marqueur = 42');
    await page.getByLabel(/Nom, prénom ou raison sociale/).fill('helene lefevre');
    await page.locator('label[for="filtre-en_cours"]').click();
    expect(await page.getByLabel(/Dossiers en cours/).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Filtrer les dossiers' }).click();
    await page.waitForFunction(() => /correspondent/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('#resume-resultats')?.textContent ?? ''));
    expect(await resume.innerText()).toBe('5 dossiers correspondent à votre recherche sur 25 dossiers.');
    expect(await page.locator('#resultats-dossiers .fr-card').count()).toBe(5);
    expect(await page.evaluate('window.__marqueur')).toBe(42);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/espace');
    expect(url.searchParams.get('nom')).toBe('helene lefevre');
    expect(url.searchParams.getAll('filtre')).toEqual(['en_cours']);

    // Back: the unfiltered list again (htmx restores the history entry).
    await page.goBack();
    await page.waitForFunction(() => /^25 dossiers/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('#resume-resultats')?.textContent ?? ''));
    expect(new URL(page.url()).search).toBe('');

    // Pages in place too.
    await page.evaluate('window.__marqueur = 43');
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForFunction(() => /Page 2 sur 2/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('#resume-resultats')?.textContent ?? ''));
    expect(await page.locator('#resultats-dossiers .fr-card').count()).toBe(5);
    expect(await page.evaluate('window.__marqueur')).toBe(43);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');

    // The shared URL opens the same list, without JavaScript's help.
    await page.goto(`${app.url}/espace?nom=H%C3%89L%C3%88NE&filtre=en_cours`);
    expect(await resume.innerText()).toBe('5 dossiers correspondent à votre recherche sur 25 dossiers.');
    expect(await page.getByLabel(/Nom, prénom ou raison sociale/).inputValue()).toBe('HÉLÈNE');
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
  }, 120_000);
});

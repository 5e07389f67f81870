// Court API update batches (POST/DELETE /api/v1/affaires/{n}/lot) and what citizens see of them:
// the banner "Votre dossier est en cours de mise à jour" on the case page and in its polled
// fragment while a batch is open, gone once closed or expired (DUREE_MAX_LOT_MS); both writes
// idempotent. Also the live refresh: the polled fragment notices a new version of the case and
// says what changed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import type { Navigateur } from '../aides/navigateur.js';
import { purgerDossier } from '../../db/dossiers.js';
import { creerRattachement } from '../../db/rattachements.js';
import { DUREE_MAX_LOT_MS } from '../../domain/vie-du-dossier.js';

let app: Application;
let nav: Navigateur;
let lien: string;
const P = 'LOT-2026-00001';
const BANDEAU = 'Votre dossier est en cours de mise à jour';

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  expect((await app.api('PUT', `/affaires/${P}`, affaireValide())).status).toBe(200);
  expect((await app.api('POST', `/affaires/${P}/consentements`, { partie: 'P1' })).status).toBe(201);
  nav = await app.connecter('angela-dubois');
  const compteId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY last_login_at DESC NULLS LAST LIMIT 1`);
  const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
    SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id FROM identifiant i JOIN consentement c ON c.id = i.consentement_id
    JOIN dossier d ON d.id = c.dossier_id WHERE d.numero_portalis = ${P}`);
  lien = (await creerRattachement(app.pool, { compteId, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: new Date() }))!;
});
afterAll(async () => {
  await app?.arreter();
});

const page = async () => (await nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
/** The polled fragment's URL as the page wrote it. */
const urlActualisation = (p: string) => /hx-get="([^"]+)"/.exec(p)![1]!.replace(/&amp;/g, '&');
const fragment = async (url: string) => {
  const r = await nav.requete(`${app.url}${url}`);
  expect(r.status).toBe(200);
  return r.text();
};
const journal = (action: string) =>
  app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM journal WHERE action = ${action}`);

describe('court API: batches', () => {
  test('open twice, close twice: one effect each, same answers', async () => {
    const avant = Date.now();
    const r1 = await app.api('POST', `/affaires/${P}/lot`);
    expect(r1.status).toBe(201);
    const c1 = (await r1.json()) as { lot: string; expireLe: string };
    expect(c1.lot).toBe('ouvert');
    const expire1 = new Date(c1.expireLe).getTime();
    expect(expire1).toBeGreaterThanOrEqual(avant + DUREE_MAX_LOT_MS);
    expect(expire1).toBeLessThanOrEqual(Date.now() + DUREE_MAX_LOT_MS);

    const r2 = await app.api('POST', `/affaires/${P}/lot`);
    expect(r2.status).toBe(200);
    const c2 = (await r2.json()) as { lot: string; expireLe: string };
    expect(c2.lot).toBe('ouvert');
    expect(new Date(c2.expireLe).getTime()).toBeGreaterThanOrEqual(expire1);
    expect(await journal('lot.ouvrir')).toBe(1);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM lot_mise_a_jour`)).toBe(1);

    expect((await app.api('DELETE', `/affaires/${P}/lot`)).status).toBe(204);
    expect((await app.api('DELETE', `/affaires/${P}/lot`)).status).toBe(204);
    expect(await journal('lot.fermer')).toBe(1);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM lot_mise_a_jour`)).toBe(0);
  });

  test('a JSON body is ignored; unknown case, other juridiction, no token, purged case', async () => {
    expect((await app.api('POST', `/affaires/${P}/lot`, {})).status).toBe(201);
    expect((await app.api('DELETE', `/affaires/${P}/lot`)).status).toBe(204);
    expect((await app.api('POST', '/affaires/INCONNU-1/lot')).status).toBe(404);
    expect((await app.api('DELETE', '/affaires/INCONNU-1/lot')).status).toBe(404);
    expect((await app.api('POST', `/affaires/${P}/lot`, undefined, { jeton: JETON_LYON })).status).toBe(404);
    expect((await app.api('POST', `/affaires/${P}/lot`, undefined, { jeton: null })).status).toBe(401);
    expect((await app.api('POST', '/affaires/pas%20valide/lot')).status).toBe(400);
    const Q = 'LOT-2026-00002';
    expect((await app.api('PUT', `/affaires/${Q}`, affaireValide())).status).toBe(200);
    const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${Q}`);
    expect((await app.api('POST', `/affaires/${Q}/lot`)).status).toBe(201);
    await purgerDossier(app.pool, id);
    const r = await app.api('POST', `/affaires/${Q}/lot`);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { code: string }).code).toBe('dossier_purge');
  });
});

describe('case page: banner and live refresh', () => {
  test('open → banner on the page and in the polled fragment; close → gone', async () => {
    const sans = await page();
    expect(sans).not.toContain(BANDEAU);
    const url = urlActualisation(sans);
    expect(url).toMatch(new RegExp(`^/espace/dossiers/${lien}/actualisation\\?version=\\d+&depuis=`));
    expect(sans).toContain('hx-trigger="every 30s"');

    expect((await app.api('POST', `/affaires/${P}/lot`)).status).toBe(201);
    const avec = await page();
    expect(avec).toContain(BANDEAU);
    expect(avec).toContain('class="fr-notice fr-notice--info');
    // The page opened before the batch learns of it by polling; opening a batch is no change.
    const f = await fragment(url);
    expect(f).toContain(BANDEAU);
    expect(f).not.toContain('Votre dossier a été mis à jour');

    expect((await app.api('DELETE', `/affaires/${P}/lot`)).status).toBe(204);
    expect(await page()).not.toContain(BANDEAU);
    expect(await fragment(url)).not.toContain(BANDEAU);
  });

  test('the polled fragment says what changed, with a reload button', async () => {
    const url = urlActualisation(await page());
    expect(await fragment(url)).not.toContain('Votre dossier a été mis à jour');
    expect((await app.api('POST', `/affaires/${P}/evenements`, {
      id: 'E1', type: 'avis', date: '2026-09-05T10:00:00+02:00', libelle: 'Avis à partie',
      document: { type: 'avis', titre: 'Avis', destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64') },
    })).status).toBe(201);
    expect((await app.api('PUT', `/affaires/${P}/audiences/A1`, { debut: '2026-12-01T14:00:00+01:00', adresse: 'Parvis du Tribunal de Paris', libelle: 'Audience' })).status).toBe(200);
    const f = await fragment(url);
    expect(f).toContain('Votre dossier a été mis à jour');
    expect(f).toContain('1 nouvel événement, 1 nouveau document, 1 audience ajoutée ou modifiée.');
    expect(f).toContain(`href="/espace/dossiers/${lien}">Recharger la page</a>`);
    // Still polling with the page's own reference, so the message stays until a reload.
    expect(urlActualisation(f)).toBe(url);
    // After a reload, nothing new.
    expect(await fragment(urlActualisation(await page()))).not.toContain('Votre dossier a été mis à jour');
  });

  test('a batch never closed expires after DUREE_MAX_LOT_MS', async () => {
    expect((await app.api('POST', `/affaires/${P}/lot`)).status).toBe(201);
    expect(await page()).toContain(BANDEAU);
    // The portal's clock moves past the expiry: the banner goes without any call from the court.
    app.horloge.avancer(DUREE_MAX_LOT_MS + 1000);
    expect(await page()).not.toContain(BANDEAU);
    app.horloge.avancer(-(DUREE_MAX_LOT_MS + 1000));
    expect(await page()).toContain(BANDEAU);
    // Expired in the database's terms too: re-opening is then a new batch (201), shown again.
    await app.pool.query(sql.unsafe`UPDATE lot_mise_a_jour SET ouvert_le = ouvert_le - interval '1 hour', expire_le = now() - interval '1 second'`);
    expect(await page()).not.toContain(BANDEAU);
    expect((await app.api('POST', `/affaires/${P}/lot`)).status).toBe(201);
    expect(await page()).toContain(BANDEAU);
    expect((await app.api('DELETE', `/affaires/${P}/lot`)).status).toBe(204);
  });
});

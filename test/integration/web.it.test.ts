// The web server on a real database and the real Temporal server: /healthz reports every
// component, errors are French pages without internals, every response carries the security
// headers, and the public pages show what the courts pushed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { configDeTest } from '../aides/config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import { createApp, routes } from '../../web/app.js';
import { creerPoolLimites } from '../../web/middleware/limite-connexion.js';
import { creerJournal } from '../../web/log.js';
import { creerWorker } from '../../worker.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { demarrerFournisseurOidc, type FournisseurOidc } from '../../dev/franceconnect.js';
import { portLibre } from '../../dev/ports.js';
import * as tribunal from '../../services/tribunal.js';
import type { DatabasePool } from 'slonik';
import type pg from 'pg';
import type { Config } from '../../domain/config.js';

let base: BaseDeTest;
let pool: DatabasePool;
let poolLimites: pg.Pool;
let connection: Connection;
let serveur: Server;
let url: string;
let boites: Boites;
let oidc: FournisseurOidc;
let config: Config;
let worker: Awaited<ReturnType<typeof creerWorker>>;
let enCours: Promise<void>;

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0) });
  oidc = await demarrerFournisseurOidc({
    port: await portLibre(0),
    secretCookies: 'c'.repeat(32),
    clients: [{ client_id: 'portail', client_secret: 's', espace: 'citoyen', redirect_uris: ['http://127.0.0.1:3000/connexion/retour'], post_logout_redirect_uris: ['http://127.0.0.1:3000/deconnexion/retour'] }],
  });
  config = configDeTest({
    DATABASE_URL: base.url,
    SMTP_URL: boites.smtpUrl,
    TWILIO_API_URL: boites.twilioApiUrl,
    FC_ISSUER: oidc.issuer,
    AGENT_OIDC_ISSUER: oidc.issuer,
  });
  pool = await creerPool(base.url);
  poolLimites = creerPoolLimites(base.url, creerJournal('test', 'silent'));
  connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  worker = await creerWorker(config);
  enCours = worker.worker.run();
  const app = createApp({ config, pool, poolLimites, temporal: new Client({ connection }), log: creerJournal('test', 'silent') });
  serveur = app.listen(0, '127.0.0.1');
  await new Promise((r) => serveur.once('listening', r));
  url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
});

afterAll(async () => {
  serveur?.closeAllConnections();
  serveur?.close();
  worker?.worker.shutdown();
  await enCours;
  await worker?.fermer();
  await connection?.close();
  await pool?.end();
  await poolLimites?.end();
  await oidc?.arreter();
  await boites?.arreter();
  await base?.supprimer();
});

describe('/healthz', () => {
  test('names every component and answers 200 when all are up', async () => {
    let corps: { statut: string; composants: Record<string, { etat: string }> } | undefined;
    // The worker's first poll can take a moment to show in describeTaskQueue.
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${url}/healthz`);
      expect(r.status).toBe(200);
      corps = (await r.json()) as typeof corps;
      if (corps!.statut === 'ok') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(corps).toEqual({
      statut: 'ok',
      composants: { postgres: { etat: 'ok' }, temporal: { etat: 'ok' }, worker: { etat: 'ok' }, franceconnect: { etat: 'ok' }, identite_agents: { etat: 'ok' }, smtp: { etat: 'ok' }, sms: { etat: 'ok' } },
    });
  });

  test('answers 503 when Temporal is unreachable, and says which component failed', async () => {
    const injoignable = await portLibre(0);
    const c = configDeTest({ DATABASE_URL: base.url, TEMPORAL_ADDRESS: `127.0.0.1:${injoignable}` });
    const lazy = Connection.lazy({ address: c.TEMPORAL_ADDRESS, connectTimeout: 500 });
    const app = createApp({ config: c, pool, poolLimites, temporal: new Client({ connection: lazy }), log: creerJournal('test', 'silent') });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    try {
      const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/healthz`);
      expect(r.status).toBe(503);
      const corps = (await r.json()) as { statut: string; composants: Record<string, { etat: string; message?: string }> };
      expect(corps.statut).toBe('indisponible');
      expect(corps.composants.postgres!.etat).toBe('ok');
      expect(corps.composants.temporal!.etat).toBe('erreur');
      expect(corps.composants.smtp!.etat).toBe('erreur');
    } finally {
      s.closeAllConnections();
      s.close();
      // The health calls carry a 2.5 s deadline; closing the channel before it passes would
      // leave the client's retry timer to fire on a closed channel.
      await new Promise((r) => setTimeout(r, 3000));
      await lazy.close();
    }
  });
});

describe('pages', () => {
  test('an unknown page is a French DSFR 404 page, without internals', async () => {
    const r = await fetch(`${url}/nexiste/pas`);
    expect(r.status).toBe(404);
    const texte = await r.text();
    expect(texte).toContain('<html lang="fr"');
    expect(texte).toContain('Page non trouvée');
    expect(texte).not.toMatch(/at \w+ \(|node_modules|Error:/);
  });

  test('an unknown API route answers JSON in French', async () => {
    const r = await fetch(`${url}/api/v1/nexiste`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ erreur: expect.stringContaining("n'existe pas"), details: [] });
  });

  test('every page of the routes table carries the security headers', async () => {
    const liste = routes({ config, pool, temporal: new Client({ connection }), log: creerJournal('test', 'silent') }).filter((r) => r.methode === 'GET');
    expect(liste.length).toBeGreaterThan(0);
    for (const route of liste) {
      const r = await fetch(`${url}${route.exemple ?? route.chemin}`, { redirect: 'manual' });
      // Without a session: public pages answer, personal pages send to /connexion, callbacks
      // without their parameters answer a French 400 page.
      // The calendar feed needs its secret token: an unknown one is a 404.
      // /metrics (exploitation) does not exist without METRICS_TOKEN, unset here.
      const attendu = route.acces === 'citoyen' || route.acces === 'agent' ? 302 : route.chemin.endsWith('/retour') ? 400 : route.chemin.startsWith('/calendrier/') || route.chemin.startsWith('/alertes/desabonnement/') || route.acces === 'exploitation' ? 404 : 200;
      expect(`${route.chemin} ${r.status}`).toBe(`${route.chemin} ${attendu}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  test('DSFR and htmx are served from our own origin', async () => {
    for (const chemin of ['/static/dsfr/dsfr.min.css', '/static/dsfr/utility/icons/icons.min.css', '/static/htmx/htmx.min.js', '/static/dsfr/dsfr.module.min.js']) {
      const r = await fetch(`${url}${chemin}`);
      expect(`${chemin} ${r.status}`).toBe(`${chemin} 200`);
      await r.arrayBuffer();
    }
  });

  test('the juridictions page shows what a court declared, escaped', async () => {
    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    await tribunal.enregistrerJuridiction({ pool, temporal, config }, 'TJ-TEST', {
      nom: 'Tribunal judiciaire <de test>', adresse: '1 rue du Palais, 75001 Paris', telephone: '01 02 03 04 05',
      courriel: null, latitude: 48.85, longitude: 2.34, horaires: null,
    });
    const texte = await (await fetch(`${url}/juridictions`)).text();
    expect(texte).toContain('Tribunal judiciaire &lt;de test&gt;');
    expect(texte).toContain('1 rue du Palais, 75001 Paris');
    expect(texte).toContain('href="tel:0102030405"');
    expect(texte).toContain('mlat=48.85&amp;mlon=2.34');
  });
});

// FranceConnect login and logout through the portal, against the local stand-in: first login
// creates the account and asks for the CGU, the session id changes at login, CSRF is enforced,
// callback errors give a French page, logout ends both sessions.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, type Application } from '../aides/application.js';
import { Navigateur, formulaire } from '../aides/navigateur.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
});
afterAll(async () => {
  await app?.arreter();
});

describe('citizen login', () => {
  test('first login: account created by (iss, sub), CGU shown then recorded with its version, empty space explained', async () => {
    const nav = await app.connecter('angela-dubois', { accepterCgu: false });
    const cgu = await nav.requete(`${app.url}/espace`);
    expect(cgu.status).toBe(302);
    expect(cgu.headers.get('location')).toBe('/espace/cgu');
    const page = await (await nav.requete(`${app.url}/espace/cgu`)).text();
    expect(page).toContain('Conditions générales d’utilisation');
    // Refusing to tick the box: a French error, nothing recorded.
    const f = formulaire(page, 'accepte');
    const refus = await nav.requete(`${app.url}/espace/cgu`, { form: f.champs });
    expect(refus.status).toBe(422);
    expect(await refus.text()).toContain('Cochez cette case');
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM acceptation_cgu`)).toBe(0);
    await nav.requete(`${app.url}/espace/cgu`, { form: { ...f.champs, accepte: 'oui' } });
    const espace = await (await nav.requete(`${app.url}/espace`)).text();
    expect(espace).toContain('Bonjour Angela');
    expect(espace).toContain('Il n’existe pas de base nationale');
    expect(espace).toContain('href="/espace/dossiers/ajouter"');
    const comptes = await app.pool.any(sql.type(z.object({ fc_iss: z.string(), fc_sub: z.string(), email: z.string().nullable(), version: z.string() }))`
      SELECT fc_iss, fc_sub, email, version FROM compte JOIN acceptation_cgu ON compte_id = compte.id`);
    expect(comptes).toHaveLength(1);
    expect(comptes[0]!.fc_iss).toBe(app.fc.issuer);
    expect(comptes[0]!.fc_sub).toMatch(/^[0-9a-f]{64}$/);
    // A second login finds the same account and does not ask for the CGU again.
    const nav2 = await app.connecter('angela-dubois', { accepterCgu: false });
    expect((await nav2.requete(`${app.url}/espace`)).status).toBe(200);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM compte`)).toBe(1);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, and changes at login (no fixation)', async () => {
    const nav = new Navigateur();
    const avant = await nav.requete(`${app.url}/connexion`);
    const cookieAvant = avant.headers.getSetCookie().find((c) => c.startsWith('portail='))!;
    expect(cookieAvant).toMatch(/httponly/i);
    expect(cookieAvant).toMatch(/samesite=lax/i);
    const valeurAvant = cookieAvant.split(';')[0]!;
    const connecte = await app.connecter();
    const valeurApres = (connecte as unknown as { cookies: Map<string, string> }).cookies.get('portail');
    expect(valeurApres).toBeDefined();
    expect(`portail=${valeurApres}`).not.toBe(valeurAvant);
    // The pre-login cookie does not authenticate.
    const r = await fetch(`${app.url}/espace`, { headers: { cookie: valeurAvant }, redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/connexion');
  });

  test('a state-changing request without the CSRF token, or from another origin, is refused and changes nothing', async () => {
    const nav = await app.connecter('karim-benali', { accepterCgu: false });
    const sansJeton = await nav.requete(`${app.url}/espace/cgu`, { form: { accepte: 'oui' } });
    expect(sansJeton.status).toBe(403);
    expect(await sansJeton.text()).toContain('n’a pas pu être vérifiée');
    const f = formulaire(await (await nav.requete(`${app.url}/espace/cgu`)).text(), 'accepte');
    const autreOrigine = await fetch(`${app.url}/espace/cgu`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: `portail=${(nav as unknown as { cookies: Map<string, string> }).cookies.get('portail')}; portail.sig=${(nav as unknown as { cookies: Map<string, string> }).cookies.get('portail.sig')}`, origin: 'https://pirate.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...f.champs, accepte: 'oui' }).toString(),
    });
    expect(autreOrigine.status).toBe(403);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*) AS n FROM acceptation_cgu JOIN compte ON compte.id = compte_id WHERE given_name LIKE 'Karim%'`)).toBe(0);
  });

  test('callback errors give a clear French page, never a 500', async () => {
    const annule = await fetch(`${app.url}/connexion/retour?error=access_denied&error_description=annul%C3%A9&state=x`);
    expect(annule.status).toBe(400);
    expect(await annule.text()).toContain('Vous avez annulé la connexion');
    // A callback without a pending login (replayed, forged or expired).
    const sansDemande = await fetch(`${app.url}/connexion/retour?code=abc&state=def`);
    expect(sansDemande.status).toBe(400);
    expect(await sansDemande.text()).toContain('a expiré ou a déjà été utilisée');
    // A pending login but a wrong state.
    const nav = new Navigateur();
    const f = formulaire(await (await nav.requete(`${app.url}/connexion`)).text(), 'fr-connect');
    await nav.requete(new URL(f.action, app.url).toString(), { form: f.champs });
    const mauvaisState = await nav.requete(`${app.url}/connexion/retour?code=abc&state=faux&iss=${encodeURIComponent(app.fc.issuer)}`);
    expect(mauvaisState.status).toBe(400);
    expect(await mauvaisState.text()).toContain('n’a pas pu être vérifiée');
  });

  test('logout ends our session and FranceConnect’s, then the old cookie no longer works', async () => {
    const nav = await app.connecter('lucas-petit', { fournisseur: 'laposte' });
    const cookie = (nav as unknown as { cookies: Map<string, string> }).cookies;
    const ancien = `portail=${cookie.get('portail')}; portail.sig=${cookie.get('portail.sig')}`;
    const espace = await (await nav.requete(`${app.url}/espace`)).text();
    const f = formulaire(espace, 'Se déconnecter');
    const r = await nav.requete(`${app.url}/deconnexion`, { form: f.champs });
    expect(r.status).toBe(302);
    const versFc = new URL(r.headers.get('location')!);
    expect(versFc.href.startsWith(app.fc.issuer)).toBe(true);
    expect(versFc.searchParams.get('id_token_hint')).toBeTruthy();
    expect(versFc.searchParams.get('post_logout_redirect_uri')).toBe(`${app.url}/deconnexion/retour`);
    let retour = await nav.suivre(versFc.href, app.fc.url);
    if (retour.page) {
      // FranceConnect's logout page submits itself (a button without JavaScript).
      const confirmation = formulaire(retour.page, 'logout');
      retour = await nav.suivre(new URL(confirmation.action, retour.url).toString(), app.fc.url, { form: { ...confirmation.champs, logout: 'yes' } });
    }
    expect(retour.url.startsWith(`${app.url}/deconnexion/retour?`)).toBe(true);
    const fin = await nav.requete(retour.url);
    expect(fin.status).toBe(200);
    expect(await fin.text()).toContain('Vous êtes déconnecté');
    const apres = await fetch(`${app.url}/espace`, { headers: { cookie: ancien }, redirect: 'manual' });
    expect(apres.headers.get('location')).toBe('/connexion');
  });
});

describe('idle timeout', () => {
  test('logged-in pages carry the idle warning and renewing the session works; anonymous pages do not', async () => {
    const nav = await app.connecter('josiane-robert', { fournisseur: 'ameli' });
    const page = await (await nav.requete(`${app.url}/espace`)).text();
    expect(page).toContain('data-session-duree="1800"');
    expect(page).toContain('Votre session va bientôt expirer');
    expect(page).toContain('/static/portail/session.js');
    const jeton = /data-csrf="([^"]+)"/.exec(page)![1]!;
    const cookies = (nav as unknown as { cookies: Map<string, string> }).cookies;
    const r = await fetch(`${app.url}/espace/session`, { method: 'POST', headers: { 'x-csrf-token': jeton, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(r.status).toBe(204);
    expect((await fetch(`${app.url}/static/portail/session.js`)).status).toBe(200);
    expect(await (await fetch(`${app.url}/`)).text()).not.toContain('data-session-duree');
  });
});

describe('another OpenID provider with the FranceConnect v2 contract', () => {
  test('an ES256 provider at another issuer path works through FC_ISSUER alone', async () => {
    const autre = await demarrerApplication({}, { algorithme: 'ES256', chemin: '/oidc' });
    try {
      expect(autre.fc.issuer).toMatch(/\/oidc$/);
      const meta = (await (await fetch(`${autre.fc.issuer}/.well-known/openid-configuration`)).json()) as { id_token_signing_alg_values_supported: string[] };
      expect(meta.id_token_signing_alg_values_supported).toContain('ES256');
      const nav = await autre.connecter('marie-helene-lefevre', { fournisseur: 'ameli' });
      const espace = await (await nav.requete(`${autre.url}/espace`)).text();
      expect(espace).toContain('Bonjour Marie-Hélène');
    } finally {
      await autre.arreter();
    }
  });
});

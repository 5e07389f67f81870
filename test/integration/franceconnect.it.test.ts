// The FranceConnect stand-in driven the way a browser and the portal drive it: plain HTTP with
// manual redirects and a cookie jar on the browser side, openid-client 6 on the portal side.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as client from 'openid-client';
import {
  COMPTES_AGENTS,
  IDENTITES_TEST,
  demarrerFournisseurOidc,
  sujetPairwise,
  type ClientOidc,
  type FournisseurOidc,
} from '../../dev/franceconnect.js';
import { portLibre } from '../../dev/ports.js';
import { Navigateur, formulaire } from '../aides/navigateur.js';

// The relying parties are never contacted: the flow stops at their redirect URI.
const PORTAIL = 'http://127.0.0.1:3999';
const AUTRE_SERVICE = 'http://localhost:4999';

const CLIENTS: ClientOidc[] = [
  {
    client_id: 'portail-citoyen',
    client_secret: 'secret-citoyen-0123456789abcdef0123456789',
    client_name: 'Portail du justiciable',
    redirect_uris: [`${PORTAIL}/connexion/retour`],
    post_logout_redirect_uris: [`${PORTAIL}/deconnexion/retour`],
    espace: 'citoyen',
  },
  {
    client_id: 'autre-service',
    client_secret: 'secret-autre-0123456789abcdef0123456789ab',
    redirect_uris: [`${AUTRE_SERVICE}/retour`],
    post_logout_redirect_uris: [],
    espace: 'citoyen',
  },
  {
    client_id: 'portail-agent',
    client_secret: 'secret-agent-0123456789abcdef0123456789ab',
    redirect_uris: [`${PORTAIL}/agent/connexion/retour`],
    post_logout_redirect_uris: [`${PORTAIL}/agent/deconnexion/retour`],
    espace: 'agent',
  },
];
const SECRET_COOKIES = 'cookies-0123456789abcdef0123456789abcdef';

let fc: FournisseurOidc;
let dossierCles: string;

async function configuration(clientId: string): Promise<client.Configuration> {
  const c = CLIENTS.find((x) => x.client_id === clientId)!;
  return client.discovery(
    new URL(fc.issuer),
    c.client_id,
    { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
    client.ClientSecretPost(c.client_secret),
    { execute: [client.allowInsecureRequests] },
  );
}

interface Demande {
  url: URL;
  verificateur: string;
  state: string;
  nonce: string;
}

async function demande(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<Demande> {
  const verificateur = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid identite_pivot email',
    acr_values: 'eidas1',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verificateur),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verificateur, state, nonce };
}

/** Citizen login: provider choice page, then the identity page; returns the callback URL. */
async function connexionCitoyen(nav: Navigateur, d: Demande, fournisseur: string, identite: string): Promise<string> {
  const choix = await nav.suivre(d.url.toString(), fc.url);
  expect(choix.statut).toBe(200);
  expect(choix.page).toContain('impots.gouv.fr');
  expect(choix.page).toContain('ameli.fr');
  expect(choix.page).toContain("L&#39;Identité Numérique La Poste");
  expect(choix.page).toContain('<html lang="fr">');
  const f1 = formulaire(choix.page!, `value="${fournisseur}"`);
  expect(f1.methode).toBe('get');
  const pageIdentites = await nav.suivre(new URL(`${f1.action}?fournisseur=${fournisseur}`, fc.url).toString(), fc.url);
  expect(pageIdentites.statut).toBe(200);
  expect(pageIdentites.page).toMatch(new RegExp(`<label for="compte-${identite}">`));
  const f2 = formulaire(pageIdentites.page!, `value="${identite}"`);
  expect(f2.methode).toBe('post');
  const retour = await nav.suivre(new URL(f2.action, fc.url).toString(), fc.url, { form: { ...f2.champs, identite } });
  expect(retour.page).toBeUndefined();
  return retour.url;
}

beforeAll(async () => {
  dossierCles = await mkdtemp(path.join(os.tmpdir(), 'fc-cles-'));
  fc = await demarrerFournisseurOidc({
    port: await portLibre(0),
    secretCookies: SECRET_COOKIES,
    clients: CLIENTS,
    fichierCles: path.join(dossierCles, 'jwks.json'),
  });
});

afterAll(async () => {
  await fc?.arreter();
  await rm(dossierCles, { recursive: true, force: true });
});

describe('FranceConnect local (oidc-provider) avec openid-client', () => {
  test('découverte et JWKS ressemblent à FranceConnect v2', async () => {
    expect(fc.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    const config = await configuration('portail-citoyen');
    const m = config.serverMetadata();
    expect(m.issuer).toBe(fc.issuer);
    expect(m.end_session_endpoint).toBe(`${fc.issuer}/session/end`);
    expect(m.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(m.userinfo_signing_alg_values_supported).toEqual(['RS256']);
    expect(m.acr_values_supported).toEqual(['eidas1', 'eidas2', 'eidas3']);
    expect(m.subject_types_supported).toEqual(['pairwise']);
    expect(m.scopes_supported).toEqual(expect.arrayContaining(['openid', 'identite_pivot', 'email', 'given_name', 'birthplace']));
    const jwks = (await (await fetch(m.jwks_uri!)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  test('flux complet usager : impots.gouv.fr, identité pivot, userinfo signé, déconnexion', async () => {
    const config = await configuration('portail-citoyen');
    const nav = new Navigateur();
    // amr is released on request only, as FranceConnect's own demo service asks for it
    const d = await demande(config, `${PORTAIL}/connexion/retour`, { claims: JSON.stringify({ id_token: { amr: { essential: true } } }) });
    expect(d.nonce.length).toBeGreaterThanOrEqual(22);
    const retour = await connexionCitoyen(nav, d, 'impots-gouv', 'angela-dubois');
    expect(retour.startsWith(`${PORTAIL}/connexion/retour?`)).toBe(true);
    expect(new URL(retour).searchParams.get('iss')).toBe(fc.issuer);

    const jetons = await client.authorizationCodeGrant(config, new URL(retour), {
      pkceCodeVerifier: d.verificateur,
      expectedState: d.state,
      expectedNonce: d.nonce,
      idTokenExpected: true,
    });
    const entete = JSON.parse(Buffer.from(jetons.id_token!.split('.')[0]!, 'base64url').toString()) as { alg: string };
    expect(entete.alg).toBe('RS256');
    const claims = jetons.claims()!;
    expect(claims.acr).toBe('eidas1');
    expect(claims.nonce).toBe(d.nonce);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.aud).toBe('portail-citoyen');
    expect(claims.sub).toBe(sujetPairwise('portail-citoyen', 'angela-dubois'));
    expect(claims.sub).toMatch(/^[0-9a-f]{64}$/);
    // like FranceConnect, the ID token carries no identity: it comes from userinfo
    expect(claims.given_name).toBeUndefined();

    const brut = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${jetons.access_token}` } });
    expect(brut.headers.get('content-type')).toMatch(/^application\/jwt/);
    await brut.body?.cancel();
    const info = await client.fetchUserInfo(config, jetons.access_token, claims.sub);
    const angela = IDENTITES_TEST.find((i) => i.id === 'angela-dubois')!.claims;
    expect(info).toMatchObject({
      sub: claims.sub,
      given_name: 'Angela Claire Louise',
      family_name: 'DUBOIS',
      birthdate: '1962-08-24',
      gender: 'female',
      birthplace: '75107',
      birthcountry: '99100',
      email: angela.email,
      iss: fc.issuer,
      aud: 'portail-citoyen',
    });

    // RP-initiated logout: no confirmation question, straight back to the portal with the state
    const etat = client.randomState();
    const fin = client.buildEndSessionUrl(config, {
      id_token_hint: jetons.id_token!,
      post_logout_redirect_uri: `${PORTAIL}/deconnexion/retour`,
      state: etat,
    });
    const pageFin = await nav.suivre(fin.toString(), fc.url);
    expect(pageFin.statut).toBe(200);
    expect(pageFin.page).toContain('<noscript>');
    const f = formulaire(pageFin.page!, 'op.logoutForm');
    expect(f.champs.logout).toBe('yes');
    // the page's script submits the form; a browser without JavaScript shows the button
    const apres = await nav.suivre(new URL(f.action, fc.url).toString(), fc.url, { form: f.champs });
    expect(apres.statut).toBe(303);
    const u = new URL(apres.url);
    expect(`${u.origin}${u.pathname}`).toBe(`${PORTAIL}/deconnexion/retour`);
    expect(u.searchParams.get('state')).toBe(etat);

    // the FranceConnect session is gone: a new request asks to choose an account again
    const encore = await nav.suivre((await demande(config, `${PORTAIL}/connexion/retour`)).url.toString(), fc.url);
    expect(encore.statut).toBe(200);
    expect(encore.page).toContain('Je choisis un compte');
  });

  test('déconnexion quand la session FranceConnect a déjà expiré : retour direct au portail', async () => {
    const config = await configuration('portail-citoyen');
    const etat = client.randomState();
    const fin = client.buildEndSessionUrl(config, { post_logout_redirect_uri: `${PORTAIL}/deconnexion/retour`, state: etat });
    const nav = new Navigateur();
    const page = await nav.suivre(fin.toString(), fc.url);
    expect(page.statut).toBe(200);
    expect(page.page).toContain('<html lang="fr">');
    expect(page.page).toContain('Continuer');
    const f = formulaire(page.page!, 'name="xsrf"');
    const apres = await nav.suivre(f.action, fc.url, { form: f.champs });
    const u = new URL(apres.url);
    expect(`${u.origin}${u.pathname}`).toBe(`${PORTAIL}/deconnexion/retour`);
    expect(u.searchParams.get('state')).toBe(etat);
  });

  test('sub pairwise : stable pour un même service, différent pour un autre', async () => {
    const portail = await configuration('portail-citoyen');
    const subs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const d = await demande(portail, `${PORTAIL}/connexion/retour`);
      const retour = await connexionCitoyen(new Navigateur(), d, 'ameli', 'marie-helene-lefevre');
      const j = await client.authorizationCodeGrant(portail, new URL(retour), { pkceCodeVerifier: d.verificateur, expectedState: d.state, expectedNonce: d.nonce });
      subs.push(j.claims()!.sub);
      expect(j.claims()!.amr).toBeUndefined();
      if (i === 0) {
        // the usage name is released only on request (it is not part of identite_pivot)
        const info = await client.fetchUserInfo(portail, j.access_token, j.claims()!.sub);
        expect(info.preferred_username).toBeUndefined();
        expect(info.family_name).toBe('LEFEVRE');
      }
    }
    expect(subs[0]).toBe(subs[1]);

    const autre = await configuration('autre-service');
    const d = await demande(autre, `${AUTRE_SERVICE}/retour`, { scope: 'openid identite_pivot preferred_username' });
    const retour = await connexionCitoyen(new Navigateur(), d, 'ameli', 'marie-helene-lefevre');
    const j = await client.authorizationCodeGrant(autre, new URL(retour), { pkceCodeVerifier: d.verificateur, expectedState: d.state, expectedNonce: d.nonce });
    expect(j.claims()!.sub).not.toBe(subs[0]);
    const info = await client.fetchUserInfo(autre, j.access_token, j.claims()!.sub);
    expect(info.preferred_username).toBe('BERNARD');
    expect(info.email).toBeUndefined();

    // and a third one for the agent client
    expect(sujetPairwise('portail-agent', 'marie-helene-lefevre')).not.toBe(subs[0]);
    expect(sujetPairwise('portail-agent', 'marie-helene-lefevre')).not.toBe(j.claims()!.sub);
  });

  test('flux agent : liste des comptes agents, courriel et nom dans userinfo', async () => {
    const config = await configuration('portail-agent');
    const nav = new Navigateur();
    const d = await demande(config, `${PORTAIL}/agent/connexion/retour`, { scope: 'openid email given_name family_name' });
    const pageAgents = await nav.suivre(d.url.toString(), fc.url);
    expect(pageAgents.statut).toBe(200);
    expect(pageAgents.page).not.toContain('impots.gouv.fr');
    expect(pageAgents.page).toContain('greffe.paris@justice.fr');
    const compte = COMPTES_AGENTS.find((a) => a.courriel === 'greffe.paris@justice.fr')!;
    const f = formulaire(pageAgents.page!, `value="${compte.id}"`);
    const retour = await nav.suivre(new URL(f.action, fc.url).toString(), fc.url, { form: { ...f.champs, identite: compte.id } });
    expect(retour.url.startsWith(`${PORTAIL}/agent/connexion/retour?`)).toBe(true);
    const j = await client.authorizationCodeGrant(config, new URL(retour.url), { pkceCodeVerifier: d.verificateur, expectedState: d.state, expectedNonce: d.nonce });
    expect(j.claims()!.sub).toBe(sujetPairwise('portail-agent', compte.id));
    const info = await client.fetchUserInfo(config, j.access_token, j.claims()!.sub);
    expect(info).toMatchObject({ email: 'greffe.paris@justice.fr', given_name: 'Camille', family_name: 'Martin' });
  });

  test("une session usager n'ouvre pas l'espace agent, et un usager ne peut pas se faire passer pour un agent", async () => {
    const citoyen = await configuration('portail-citoyen');
    const nav = new Navigateur();
    const d = await demande(citoyen, `${PORTAIL}/connexion/retour`);
    await connexionCitoyen(nav, d, 'laposte', 'lucas-petit');

    const agent = await configuration('portail-agent');
    const da = await demande(agent, `${PORTAIL}/agent/connexion/retour`);
    const page = await nav.suivre(da.url.toString(), fc.url);
    expect(page.statut).toBe(200);
    expect(page.page).toContain('Connexion des agents');
    // posting a citizen identity on the agent page is refused
    const f = formulaire(page.page!, 'name="identite"');
    const refus = await nav.requete(new URL(f.action, fc.url).toString(), { form: { identite: 'lucas-petit' } });
    expect(refus.status).toBe(400);
    await refus.body?.cancel();
  });

  test('erreurs renvoyées au service : nonce trop court, annulation par l’usager', async () => {
    const config = await configuration('portail-citoyen');
    const nav = new Navigateur();
    const court = await demande(config, `${PORTAIL}/connexion/retour`, { nonce: 'trop-court' });
    const r1 = await nav.suivre(court.url.toString(), fc.url);
    const e1 = new URL(r1.url).searchParams;
    expect(e1.get('error')).toBe('invalid_request');
    expect(e1.get('error_description')).toMatch(/nonce/);
    expect(e1.get('state')).toBe(court.state);

    const d = await demande(config, `${PORTAIL}/connexion/retour`);
    const choix = await nav.suivre(d.url.toString(), fc.url);
    const annuler = formulaire(choix.page!, 'Annuler');
    const r2 = await nav.suivre(new URL(annuler.action, fc.url).toString(), fc.url, { form: annuler.champs });
    const e2 = new URL(r2.url).searchParams;
    expect(e2.get('error')).toBe('access_denied');
    expect(e2.get('state')).toBe(d.state);
    await expect(
      client.authorizationCodeGrant(config, new URL(r2.url), { pkceCodeVerifier: d.verificateur, expectedState: d.state, expectedNonce: d.nonce }),
    ).rejects.toThrow();
  });

  test('après redémarrage : même sub et même clé de signature (fichierCles)', async () => {
    const avant = (await (await fetch(`${fc.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    await fc.arreter();
    fc = await demarrerFournisseurOidc({
      port: await portLibre(0),
      secretCookies: SECRET_COOKIES,
      clients: CLIENTS,
      fichierCles: path.join(dossierCles, 'jwks.json'),
    });
    const apres = (await (await fetch(`${fc.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(apres.keys[0]!.kid).toBe(avant.keys[0]!.kid);
    const config = await configuration('portail-citoyen');
    const d = await demande(config, `${PORTAIL}/connexion/retour`);
    const retour = await connexionCitoyen(new Navigateur(), d, 'impots-gouv', 'angela-dubois');
    const j = await client.authorizationCodeGrant(config, new URL(retour), { pkceCodeVerifier: d.verificateur, expectedState: d.state, expectedNonce: d.nonce });
    expect(j.claims()!.sub).toBe(sujetPairwise('portail-citoyen', 'angela-dubois'));
  });
});

// Agents' login through the ministry's OpenID stand-in (issue 8 item 1): known by the e-mail
// claim, roles read from our database at every request, a refusal page (403, journaled) for an
// account without a role in force, agent and citizen sessions never mixed, logout on both sides.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { demarrerApplication, JURIDICTION_VALIDE, JETON_LYON, type Application } from '../aides/application.js';
import { attribuerRole, connecterAgent, lignesJournal } from '../aides/agent.js';
import { formulaire } from '../aides/navigateur.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon' }, { jeton: JETON_LYON })).status).toBeLessThan(300);
  await attribuerRole(app, { courriel: 'GREFFE.paris@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS' });
});
afterAll(async () => {
  await app?.arreter();
});

describe('agent login', () => {
  test('an agent with a role logs in by the e-mail claim (any case), lands on /agent and sees what the role allows', async () => {
    const { nav, retour } = await connecterAgent(app, 'greffe.paris@justice.fr');
    expect(retour.status).toBe(302);
    expect(retour.headers.get('location')).toBe('/agent');
    const accueil = await nav.requete(`${app.url}/agent`);
    expect(accueil.status).toBe(200);
    const page = await accueil.text();
    expect(page).toContain('Bonjour Camille Martin');
    expect(page).toContain('Agent de greffe — TJ-PARIS');
    expect(page).toContain('href="/agent/dossiers"');
    expect(page).not.toContain('href="/agent/accueil"');
    expect(page).not.toContain('/agent/agents');
    const connexions = await lignesJournal(app, { action: 'agent.connecter' });
    expect(connexions.at(-1)).toMatchObject({ acteur_type: 'agent', resultat: 'succes' });
  });

  test('an account without any role gets a clear French 403, journaled, and no agent session', async () => {
    const { nav, retour } = await connecterAgent(app, 'nouvel.agent@justice.fr');
    expect(retour.status).toBe(403);
    const texte = await retour.text();
    expect(texte).toContain('aucun rôle en vigueur');
    expect(texte).toContain('directeur ou directrice de greffe');
    const r = await nav.requete(`${app.url}/agent`);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/agent/connexion');
    const refus = (await lignesJournal(app, { action: 'agent.connecter' })).filter((l) => l.resultat === 'refus');
    expect(refus.at(-1)!.details).toMatchObject({ motif: 'agent_inconnu', courriel: 'nouvel.agent@justice.fr' });
    // Nothing is stored about an account the portal does not know.
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM agent WHERE courriel = 'nouvel.agent@justice.fr'`)).toBe(false);
  });

  test('roles are read at every request: a withdrawal ends access at the next click (403, journaled)', async () => {
    await attribuerRole(app, { courriel: 'greffe.lyon@justice.fr', role: 'agent_greffe', juridiction: 'TJ-LYON' });
    const { nav } = await connecterAgent(app, 'greffe.lyon@justice.fr');
    expect((await nav.requete(`${app.url}/agent`)).status).toBe(200);
    await app.pool.query(sql.unsafe`UPDATE agent_role SET revoked_at = now() WHERE juridiction = 'TJ-LYON'`);
    const r = await nav.requete(`${app.url}/agent`);
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('aucun rôle en vigueur');
    expect((await lignesJournal(app, { action: 'agent.acces' })).at(-1)).toMatchObject({ resultat: 'refus' });
  });

  test('an expired magistrate is refused at login', async () => {
    await attribuerRole(app, { courriel: 'magistrat.paris@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS', debut: '2020-01-01', fin: '2020-12-31' });
    const { retour } = await connecterAgent(app, 'magistrat.paris@justice.fr');
    expect(retour.status).toBe(403);
  });

  test('agent and citizen sessions never mix: logging in as one ends the other', async () => {
    const citoyen = await app.connecter('angela-dubois');
    expect((await citoyen.requete(`${app.url}/espace`)).status).toBe(200);
    // Same browser: the agent logs in over the citizen's session. (The stand-in's own session
    // is dropped: switching accounts there goes through a JavaScript logout form.)
    const jar = (citoyen as unknown as { cookies: Map<string, string> }).cookies;
    for (const nom of [...jar.keys()]) if (nom.startsWith('fc_')) jar.delete(nom);
    const page = await (await citoyen.requete(`${app.url}/agent/connexion`)).text();
    const f = formulaire(page, 'action="/agent/connexion"');
    let r = await citoyen.suivre(`${app.url}/agent/connexion`, app.fc.url, { form: f.champs });
    const f2 = formulaire(r.page!, 'value="agent-greffe-paris"');
    r = await citoyen.suivre(new URL(f2.action, app.fc.url).toString(), app.fc.url, { form: { ...f2.champs, identite: 'agent-greffe-paris' } });
    expect((await citoyen.requete(r.url)).status).toBe(302);
    expect((await citoyen.requete(`${app.url}/agent`)).status).toBe(200);
    const espace = await citoyen.requete(`${app.url}/espace`);
    expect(espace.status).toBe(302);
    expect(espace.headers.get('location')).toBe('/connexion');
    const sessions = await app.pool.anyFirst(sql.unsafe`SELECT donnees FROM session`);
    for (const d of sessions as unknown as Record<string, unknown>[]) expect(d.agentId !== undefined && d.compteId !== undefined).toBe(false);
  });

  test('logout ends the agent session and the provider’s', async () => {
    const { nav } = await connecterAgent(app, 'greffe.paris@justice.fr');
    const page = await (await nav.requete(`${app.url}/agent`)).text();
    const f = formulaire(page, 'action="/agent/deconnexion"');
    const r = await nav.suivre(`${app.url}/agent/deconnexion`, app.fc.url, { form: f.champs });
    // The stand-in's logout page posts its own form; without JavaScript here, the portal's
    // session is already gone whatever happens next.
    expect(r.statut).toBeLessThan(500);
    expect((await nav.requete(`${app.url}/agent`)).status).toBe(302);
  });

  test('searches are limited per agent (429 with Retry-After, in French)', async () => {
    const { nav } = await connecterAgent(app, 'greffe.paris@justice.fr');
    for (let i = 0; i < 60; i++) expect((await nav.requete(`${app.url}/agent/dossiers?numero=X${i}`)).status).toBe(200);
    const r = await nav.requete(`${app.url}/agent/dossiers?numero=X60`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('60');
    expect(await r.text()).toContain('Patientez une minute');
  });

  test('pages under /agent without a session send to the agents’ login', async () => {
    const r = await fetch(`${app.url}/agent/dossiers`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/agent/connexion');
    const login = await fetch(`${app.url}/agent/connexion`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Se connecter avec mon compte Justice');
  });
});

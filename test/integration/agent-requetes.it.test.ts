// The juridiction's requête inbox on the whole portal (issue 8 item 4, issue 7 "registration
// through the agent page"): requêtes begun, filled and sent through the citizen's services and
// the real requete workflow, then read and registered by agents logged in through the OIDC
// stand-in. A clerk sees only their juridiction's sent requêtes (another's, a draft: 404), views
// attachments inline, registers one (enregistree, the citizen e-mailed, journaled with agent and
// role); a magistrate registers only while habilitated; the reception desk has no access.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { attribuerRole, connecterAgent, lignesJournal } from '../aides/agent.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { attendre, requeteEnvoyee, type RequeteDeTest } from '../aides/requete.js';
import { jourParis } from '../../domain/agents.js';
import { idWorkflowRequete } from '../../workflows/ids.js';

let app: Application;
const jour = (j: number) => jourParis(new Date(Date.now() + j * 86400000));

const ligne = (id: string) =>
  app.pool.one(sql.type(z.object({ statut: z.string(), reference: z.string().nullable(), numero_dossier: z.string().nullable(), numero_portalis: z.string().nullable(), enregistree_par: z.string().nullable() }))`
    SELECT statut, reference, numero_dossier, numero_portalis, enregistree_par FROM requete WHERE id = ${id}`);
const idAgent = (courriel: string) => app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM agent WHERE courriel = ${courriel}`);
const texte = (h: string) => h.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');

/** The CSRF token of an agent's session (the logout form carries it on every page). */
async function csrf(nav: Navigateur): Promise<string> {
  return formulaire(await (await nav.requete(`${app.url}/agent`)).text(), 'action="/agent/deconnexion"').champs._csrf!;
}

async function enregistrer(nav: Navigateur, id: string, champs: Record<string, string>): Promise<Response> {
  return nav.requete(`${app.url}/agent/requetes/${id}/enregistrement`, { form: { _csrf: await csrf(nav), ...champs } });
}

let greffe: Navigateur;
const r: Record<'paris1' | 'paris2' | 'paris3' | 'lyon' | 'brouillon', RequeteDeTest> = {} as never;

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon' }, { jeton: JETON_LYON })).status).toBeLessThan(300);
  await attribuerRole(app, { courriel: 'greffe.paris@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS' });
  await attribuerRole(app, { courriel: 'magistrat.paris@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-10), fin: jour(10) });
  // A second magistrate, whose habilitation will end during the test.
  await attribuerRole(app, { courriel: 'greffe.lyon@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-10), fin: jour(10) });
  await attribuerRole(app, { courriel: 'accueil.paris@justice.fr', role: 'agent_accueil', juridiction: 'TJ-PARIS' });
  // Sent one after the other: the inbox lists the oldest first.
  r.paris1 = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'DUBOIS', lieu: 'Paris 17e' });
  r.paris2 = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'LEROY', lieu: 'Paris 18e' });
  r.lyon = await requeteEnvoyee(app, { juridiction: 'TJ-LYON', nom: 'LYONNAISE', lieu: 'Lyon 3e' });
  r.paris3 = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'PETIT', lieu: 'Paris 19e' });
  r.brouillon = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'BROUILLON', lieu: 'Paris 20e', brouillon: true });
  greffe = (await connecterAgent(app, 'greffe.paris@justice.fr')).nav;
}, 180_000);
afterAll(async () => {
  await app?.arreter();
});

describe('clerk (agent_greffe)', () => {
  test('the inbox lists the own juridiction’s sent requêtes, oldest first, never another’s nor a draft; journaled', async () => {
    const res = await greffe.requete(`${app.url}/agent/requetes`);
    expect(res.status).toBe(200);
    const h = await res.text();
    const refs = [r.paris1, r.paris2, r.paris3].map((x) => x.reference!);
    const positions = refs.map((ref) => h.indexOf(ref));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(h).not.toContain(r.lyon.reference!);
    expect(h).not.toContain('LYONNAISE');
    expect(h).not.toContain('BROUILLON');
    expect(texte(h)).toContain('Angela LEROY');
    expect(texte(h)).toContain('3 requêtes à enregistrer');
    // Filter by kind: all three are "constitution de partie civile", none of the JAF kind.
    expect(texte(await (await greffe.requete(`${app.url}/agent/requetes?type=partie_civile`)).text())).toContain('3 requêtes à enregistrer (Constitution de partie civile)');
    expect(texte(await (await greffe.requete(`${app.url}/agent/requetes?type=jaf`)).text())).toContain('0 requête à enregistrer');
    expect((await greffe.requete(`${app.url}/agent/requetes?type=divorce`)).status).toBe(400);
    // Another juridiction's inbox does not exist for this clerk; a bad filter is a French 400.
    expect((await greffe.requete(`${app.url}/agent/requetes?juridiction=TJ-LYON`)).status).toBe(404);
    const mauvais = await greffe.requete(`${app.url}/agent/requetes?statut=brouillon`);
    expect(mauvais.status).toBe(400);
    expect(await mauvais.text()).toContain('Statut : « envoyee » ou « enregistree » attendu.');
    const idGreffe = await idAgent('greffe.paris@justice.fr');
    expect((await lignesJournal(app, { action: 'requetes.lister', acteurId: idGreffe })).at(0)).toMatchObject({
      acteur_type: 'agent', role: 'agent_greffe', juridiction: 'TJ-PARIS', objet_id: 'TJ-PARIS', resultat: 'succes', details: { statut: 'envoyee', resultats: 3 },
    });
  });

  test('the detail shows every field with its label, the requérant, third parties and the attachment inline; journaled', async () => {
    const res = await greffe.requete(`${app.url}/agent/requetes/${r.paris1.id}`);
    expect(res.status).toBe(200);
    const h = await res.text();
    const t = texte(h);
    expect(t).toContain(`Requête n° ${r.paris1.reference}`);
    expect(t).toContain('Constitution de partie civile');
    expect(t).toContain('Faits dénoncés Vol de scooter');
    expect(t).toContain('Lieu des faits Paris 17e');
    expect(t).toContain('Montant demandé en réparation (en euros) 1500 €');
    expect(h).toContain('Scooter volé,<br>frais de transport');
    expect(t).toContain('Angela DUBOIS');
    expect(t).toContain(r.paris1.courriel);
    expect(t).toContain('M. Paul MARTIN');
    expect(h).toContain('action="/agent/requetes/' + r.paris1.id + '/enregistrement"');
    const idGreffe = await idAgent('greffe.paris@justice.fr');
    expect((await lignesJournal(app, { action: 'requete.consulter', objetId: r.paris1.id })).at(-1)).toMatchObject({ acteur_id: idGreffe, role: 'agent_greffe', juridiction: 'TJ-PARIS', resultat: 'succes' });

    const pieceId = /href="\/agent\/requetes\/[0-9a-f-]{36}\/pieces\/([0-9a-f-]{36})"/.exec(h)![1]!;
    const pdf = await greffe.requete(`${app.url}/agent/requetes/${r.paris1.id}/pieces/${pieceId}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline; filename="plainte\.pdf"/);
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF_MINIMAL)).toBe(true);
    expect((await lignesJournal(app, { action: 'requete.piece.consulter', objetId: r.paris1.id })).at(-1)).toMatchObject({ acteur_id: idGreffe, resultat: 'succes', details: { piece: pieceId } });
    // The attachment through another requête's address: not found.
    expect((await greffe.requete(`${app.url}/agent/requetes/${r.paris2.id}/pieces/${pieceId}`)).status).toBe(404);
  });

  test('another juridiction’s requête, a draft and an unknown id answer 404 without data', async () => {
    for (const id of [r.lyon.id, r.brouillon.id, '00000000-0000-4000-8000-000000000000', 'pas-un-uuid']) {
      const res = await greffe.requete(`${app.url}/agent/requetes/${id}`);
      expect(`${id} ${res.status}`).toBe(`${id} 404`);
      const h = await res.text();
      expect(h).not.toContain('Vol de scooter');
    }
    const refus = await enregistrer(greffe, r.lyon.id, { numero_dossier: '26/00099', numero_portalis: 'LYON-99' });
    expect(refus.status).toBe(404);
    expect((await ligne(r.lyon.id)).statut).toBe('envoyee');
    expect((await lignesJournal(app, { objetId: r.lyon.id })).filter((l) => l.acteur_type === 'agent').map((l) => l.resultat)).toEqual(['refus', 'refus']);
  });

  test('registers a requête: errors tied to the fields, then enregistree, the citizen e-mailed, journaled with agent and role', async () => {
    const vide = await enregistrer(greffe, r.paris1.id, { numero_dossier: '', numero_portalis: 'pas valide !' });
    expect(vide.status).toBe(422);
    const h = await vide.text();
    expect(h).toContain('href="#enregistrement-numero-dossier"');
    expect(h).toContain('href="#enregistrement-numero-portalis"');
    expect(h).toMatch(/id="enregistrement-numero-dossier"[^>]*aria-describedby="enregistrement-numero-dossier-indice enregistrement-numero-dossier-erreur"[^>]*aria-invalid="true"/);
    expect(texte(h)).toContain('Numéro de dossier : ne doit pas être vide.');
    expect(texte(h)).toContain('Numéro Portalis : 1 à 64 caractères');
    expect(h).toContain('value="pas valide !"');
    expect((await ligne(r.paris1.id)).statut).toBe('envoyee');

    const ok = await enregistrer(greffe, r.paris1.id, { numero_dossier: '26/04321', numero_portalis: 'PARIS-REQ-1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/agent/requetes/${r.paris1.id}`);
    const idGreffe = await idAgent('greffe.paris@justice.fr');
    expect(await ligne(r.paris1.id)).toMatchObject({ statut: 'enregistree', numero_dossier: '26/04321', numero_portalis: 'PARIS-REQ-1', enregistree_par: `agent:${idGreffe}` });
    const j = (await lignesJournal(app, { action: 'requete.enregistrer', objetId: r.paris1.id })).filter((l) => l.resultat === 'succes');
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({ acteur_type: 'agent', acteur_id: idGreffe, role: 'agent_greffe', juridiction: 'TJ-PARIS' });
    const page = texte(await (await greffe.requete(`${app.url}/agent/requetes/${r.paris1.id}`)).text());
    expect(page).toContain('Requête enregistrée');
    expect(page).toMatch(/Enregistrée le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(dossier 26\/04321, numéro Portalis PARIS-REQ-1\)/);
    expect(page).not.toContain('Enregistrer la requête');
    const courriels = await attendre(() => app.courriels(r.paris1.courriel), (c) => c.some((m) => m.subject.includes('a été enregistrée')));
    expect(courriels.find((m) => m.subject.includes('a été enregistrée'))!.text).toContain('26/04321');
    // The workflow was told: its search attribute follows the status.
    await attendre(async () => (await app.temporal.workflow.getHandle(idWorkflowRequete(r.paris1.id)).describe()).searchAttributes.StatutRequete, (s) => JSON.stringify(s) === '["enregistree"]');
    // Registered requêtes have their own tab; the pending one is gone from the default list.
    expect(await (await greffe.requete(`${app.url}/agent/requetes?statut=enregistree`)).text()).toContain(r.paris1.reference!);
    expect(await (await greffe.requete(`${app.url}/agent/requetes`)).text()).not.toContain(r.paris1.reference!);
    // Again with other numbers: refused, nothing changed.
    const autre = await enregistrer(greffe, r.paris1.id, { numero_dossier: '26/09999', numero_portalis: 'AUTRE' });
    expect(autre.status).toBe(409);
    expect(texte(await autre.text())).toContain('déjà enregistrée avec d’autres numéros');
    expect((await ligne(r.paris1.id)).numero_dossier).toBe('26/04321');
  }, 60_000);
});

describe('magistrates', () => {
  test('a magistrate whose habilitation ended can neither read nor register (403)', async () => {
    const { nav } = await connecterAgent(app, 'greffe.lyon@justice.fr');
    const jeton = await csrf(nav);
    expect((await nav.requete(`${app.url}/agent/requetes/${r.paris2.id}`)).status).toBe(200);
    // The habilitation ends while logged in: the roles are read again at each request.
    await app.pool.query(sql.unsafe`
      UPDATE agent_role SET debut = ${jour(-30)}::date, fin = ${jour(-1)}::date
      WHERE agent_id = (SELECT id FROM agent WHERE courriel = 'greffe.lyon@justice.fr')`);
    expect((await nav.requete(`${app.url}/agent/requetes`)).status).toBe(403);
    const detail = await nav.requete(`${app.url}/agent/requetes/${r.paris2.id}`);
    expect(detail.status).toBe(403);
    expect(await detail.text()).not.toContain('Vol de scooter');
    const post = await nav.requete(`${app.url}/agent/requetes/${r.paris2.id}/enregistrement`, { form: { _csrf: jeton, numero_dossier: '26/1', numero_portalis: 'P1' } });
    expect(post.status).toBe(403);
    expect((await ligne(r.paris2.id)).statut).toBe('envoyee');
    // And a new login is refused outright.
    expect((await connecterAgent(app, 'greffe.lyon@justice.fr')).retour.status).toBe(403);
  });

  test('a habilitated magistrate registers one of the juridiction’s requêtes, journaled under the magistrate role', async () => {
    const { nav } = await connecterAgent(app, 'magistrat.paris@justice.fr');
    const liste = await (await nav.requete(`${app.url}/agent/requetes`)).text();
    expect(liste).toContain(r.paris2.reference!);
    expect(liste).not.toContain(r.lyon.reference!);
    expect((await nav.requete(`${app.url}/agent/requetes/${r.lyon.id}`)).status).toBe(404);
    const ok = await enregistrer(nav, r.paris2.id, { numero_dossier: '26/05555', numero_portalis: 'PARIS-REQ-2' });
    expect(ok.status).toBe(303);
    expect((await ligne(r.paris2.id)).statut).toBe('enregistree');
    const idMagistrat = await idAgent('magistrat.paris@justice.fr');
    expect((await lignesJournal(app, { action: 'requete.enregistrer', objetId: r.paris2.id })).filter((l) => l.resultat === 'succes')).toEqual([
      expect.objectContaining({ acteur_type: 'agent', acteur_id: idMagistrat, role: 'magistrat', juridiction: 'TJ-PARIS' }),
    ]);
    // The case pages stay closed to a magistrate.
    expect((await nav.requete(`${app.url}/agent/dossiers`)).status).toBe(403);
    // The habilitation ends: the next click is refused, without a new login.
    await app.pool.query(sql.unsafe`UPDATE agent_role SET fin = ${jour(-1)}::date, debut = ${jour(-5)}::date WHERE agent_id = ${idMagistrat}`);
    expect((await nav.requete(`${app.url}/agent/requetes/${r.paris3.id}`)).status).toBe(403);
  }, 60_000);
});

describe('reception desk (SAUJ)', () => {
  test('has no access to requêtes: 403 on the inbox, the detail, the attachment and the registration', async () => {
    const { nav } = await connecterAgent(app, 'accueil.paris@justice.fr');
    expect((await nav.requete(`${app.url}/agent/requetes`)).status).toBe(403);
    for (const id of [r.paris3.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await nav.requete(`${app.url}/agent/requetes/${id}`);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('Vol de scooter');
    }
    expect((await enregistrer(nav, r.paris3.id, { numero_dossier: '26/1', numero_portalis: 'P1' })).status).toBe(403);
    expect((await ligne(r.paris3.id)).statut).toBe('envoyee');
    const idAccueil = await idAgent('accueil.paris@justice.fr');
    expect((await lignesJournal(app, { acteurId: idAccueil })).filter((l) => l.resultat === 'refus').length).toBeGreaterThanOrEqual(4);
  });
});

// Court API v1 end to end, on the real database and Temporal server: a case pushed with a
// consent produces exactly one e-mail with the number; replays change nothing; a token never
// reaches another juridiction's data.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
});
afterAll(async () => {
  await app?.arreter();
});

const compter = (table: string) => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM ${sql.identifier([table])}`);

async function attendreCourriels(destinataire: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const c = await app.courriels(destinataire);
    if (c.length >= n) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pas de courriel pour ${destinataire}`);
}

describe('court API v1', () => {
  test('without a token, or with a wrong one: 401 in French, nothing read', async () => {
    const r = await app.api('GET', '/juridiction', undefined, { jeton: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await r.json()).toMatchObject({ erreur: expect.stringMatching(/Jeton/), details: [] });
    expect((await app.api('GET', '/juridiction', undefined, { jeton: 'faux'.repeat(10) })).status).toBe(401);
  });

  test('a juridiction describes itself, then reads its description back', async () => {
    expect((await app.api('GET', '/juridiction')).status).toBe(404);
    const r = await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ code: 'TJ-PARIS', nom: JURIDICTION_VALIDE.nom });
    expect(await (await app.api('GET', '/juridiction')).json()).toMatchObject({ code: 'TJ-PARIS', telephone: '01 44 32 51 51' });
  });

  test('a case with a consent gives exactly one e-mail with the number, and replays give the same answers', async () => {
    const put = () => app.api('PUT', '/affaires/N7X4-2026-00012', affaireValide());
    const r1 = await put();
    expect(r1.status).toBe(200);
    const corps1 = await r1.json();
    const r2 = await put();
    expect(r2.status).toBe(200);
    expect(await r2.json()).toEqual(corps1);

    const c1 = await app.api('POST', '/affaires/N7X4-2026-00012/consentements', { partie: 'P1' });
    expect(c1.status).toBe(201);
    const { consentement } = (await c1.json()) as { consentement: string };
    const c2 = await app.api('POST', '/affaires/N7X4-2026-00012/consentements', { partie: 'P1' });
    expect(c2.status).toBe(200);
    expect(await c2.json()).toEqual({ consentement });
    const courriels = await attendreCourriels('angela.dubois@example.fr', 1);
    const numero = courriels[0]!.text.match(/Numéro d'identification : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/)![1]!;
    // The number never travels through the API.
    expect(JSON.stringify(corps1) + consentement).not.toContain(numero);
    expect(JSON.stringify(corps1) + consentement).not.toContain(numero.replace(/-/g, ''));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await app.courriels('angela.dubois@example.fr')).toHaveLength(1);
  });

  test('events: 201, then 200 on a replay, 409 with another body; the document is stored once', async () => {
    const evenement = {
      id: 'E1', type: 'convocation', date: '2026-10-01T09:30:00+02:00', libelle: 'Convocation à l’audience',
      document: { type: 'convocation', titre: 'Convocation', destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64') },
    };
    const r1 = await app.api('POST', '/affaires/N7X4-2026-00012/evenements', evenement);
    expect(r1.status).toBe(201);
    const r2 = await app.api('POST', '/affaires/N7X4-2026-00012/evenements', evenement);
    expect(r2.status).toBe(200);
    expect(await r2.json()).toEqual(await r1.json());
    const r3 = await app.api('POST', '/affaires/N7X4-2026-00012/evenements', { ...evenement, libelle: 'Autre libellé' });
    expect(r3.status).toBe(409);
    expect(await compter('document')).toBe(1);
    expect(await compter('evenement')).toBe(1);
  });

  test('hearings: scheduled, moved, cancelled; closure and reopening', async () => {
    const audience = { debut: '2026-12-01T14:00:00+01:00', salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: 'Audience JAF' };
    expect((await app.api('PUT', '/affaires/N7X4-2026-00012/audiences/A1', audience)).status).toBe(200);
    const deplacee = await app.api('PUT', '/affaires/N7X4-2026-00012/audiences/A1', { ...audience, debut: '2026-12-08T10:00:00+01:00' });
    expect(await deplacee.json()).toEqual({ audience: 'A1', debut: '2026-12-08T09:00:00.000Z' });
    expect((await app.api('DELETE', '/affaires/N7X4-2026-00012/audiences/A1')).status).toBe(204);
    expect((await app.api('DELETE', '/affaires/N7X4-2026-00012/audiences/A1')).status).toBe(204);
    expect((await app.api('DELETE', '/affaires/N7X4-2026-00012/audiences/INCONNUE')).status).toBe(404);
    expect((await app.api('POST', '/affaires/N7X4-2026-00012/cloture', { date: '2026-12-20T12:00:00+01:00' })).status).toBe(204);
    expect(await app.pool.oneFirst(sql.type(z.object({ d: z.date().nullable() }))`SELECT date_cloture AS d FROM dossier`)).toEqual(new Date('2026-12-20T11:00:00Z'));
    expect((await app.api('DELETE', '/affaires/N7X4-2026-00012/cloture')).status).toBe(204);
    expect(await app.pool.oneFirst(sql.type(z.object({ d: z.date().nullable() }))`SELECT date_cloture AS d FROM dossier`)).toBeNull();
  });

  test("a token of juridiction A gets 404 on juridiction B's case, and changes nothing", async () => {
    await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon' }, { jeton: JETON_LYON });
    const avant = await compter('evenement');
    for (const [methode, chemin, corps] of [
      ['POST', '/affaires/N7X4-2026-00012/evenements', { id: 'X', type: 't', date: '2026-10-01T09:30:00+02:00', libelle: 'l' }],
      ['POST', '/affaires/N7X4-2026-00012/consentements', { partie: 'P1' }],
      ['PUT', '/affaires/N7X4-2026-00012/audiences/A9', { debut: '2026-12-01T14:00:00+01:00', adresse: 'a', libelle: 'l' }],
      ['DELETE', '/affaires/N7X4-2026-00012/audiences/A1', undefined],
      ['POST', '/affaires/N7X4-2026-00012/cloture', { date: '2026-12-20T12:00:00+01:00' }],
      ['DELETE', '/affaires/N7X4-2026-00012/cloture', undefined],
    ] as const) {
      const r = await app.api(methode, chemin, corps, { jeton: JETON_LYON });
      expect(`${methode} ${chemin} ${r.status}`).toBe(`${methode} ${chemin} 404`);
    }
    expect(await compter('evenement')).toBe(avant);
    // Lyon's own case with the same Portalis number is a different case.
    expect((await app.api('PUT', '/affaires/N7X4-2026-00012', affaireValide({ numeroDossier: '26/LYON' }), { jeton: JETON_LYON })).status).toBe(200);
    expect(await compter('dossier')).toBe(2);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.string() }))`SELECT numero_dossier AS n FROM dossier WHERE juridiction = 'TJ-PARIS'`)).toBe('26/01234');
  });

  test('the OpenAPI document is served without a token', async () => {
    const r = await app.api('GET', '/openapi.json', undefined, { jeton: null });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});

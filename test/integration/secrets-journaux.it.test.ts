// Secrets never logged (issue 10 item 3): a whole scenario at LOG_LEVEL=trace with every log
// stream of the portal captured (the web app's logger and the worker's Temporal runtime logger,
// which carries worker, workflow and activity lines), then every line is searched for the
// identification number (as e-mailed, without dashes, normalised), the SMS code, the court's
// token, the session and OpenID cookies' values, the FranceConnect id token and the configured
// secrets, in clear or inside the base64 payloads the SDK traces. None may appear.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_PARIS, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { normaliserNumero } from '../../domain/identifiants.js';
import { creerJournal } from '../../web/log.js';

const lignes: string[] = [];
const capture = { write: (s: string) => void lignes.push(s) };
let app: Application;

beforeAll(async () => {
  app = await demarrerApplication({ LOG_LEVEL: 'trace' }, {}, { journaux: { web: creerJournal('web', 'trace', capture), worker: creerJournal('worker', 'trace', capture) } });
});
afterAll(async () => {
  await app?.arreter();
});

async function attendre<T>(quoi: string, f: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`attendu : ${quoi}`);
}

/** The cookie jar's values: the test reads what a browser would hold. */
const valeursCookies = (nav: Navigateur) => [...(nav as unknown as { cookies: Map<string, string> }).cookies.values()];

describe('secrets in the logs', () => {
  test('consent, login, linking with the SMS code and court API calls log none of the secrets', async () => {
    const telephone = '+33698765432';
    const courriel = 'secret.journaux@example.fr';
    expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
    const parties = [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel, telephone }];
    const put = await app.api('PUT', '/affaires/SEC-2026-00001', affaireValide({ numeroDossier: '26/00001', parties }));
    expect(put.status).toBe(200);

    // Consent: the number is e-mailed by the case workflow's activity.
    expect((await app.api('POST', '/affaires/SEC-2026-00001/consentements', { partie: 'P1' })).status).toBe(201);
    const [mail] = await attendre('le courriel du numéro', async () => {
      const c = await app.courriels(courriel);
      return c.length ? c : null;
    });
    const numero = /Numéro d'identification : (\S+)/.exec(mail!.text)![1]!;

    // Login through the stand-in, then the two steps of linking.
    const nav = await app.connecter('karim-benali', { fournisseur: 'impots-gouv' });
    const page = await (await nav.requete(`${app.url}/espace/dossiers/ajouter`)).text();
    const csrf = formulaire(page, 'name="etape" value="numero"').champs._csrf!;
    const d = await nav.requete(`${app.url}/espace/dossiers/ajouter`, { form: { _csrf: csrf, etape: 'numero', numero } });
    expect(d.status).toBe(303);
    const tentative = new URL(d.headers.get('location')!, app.url).searchParams.get('tentative')!;
    const [sms] = await attendre('le SMS', async () => {
      const l = await app.sms(telephone);
      return l.length ? l : null;
    });
    const code = /est (\d{6})\. Il expire/.exec(sms!.body)![1]!;
    // A wrong code first (its refusal is logged), then the right one.
    const faux = code === '000000' ? '111111' : '000000';
    await nav.requete(`${app.url}/espace/dossiers/ajouter`, { form: { _csrf: csrf, etape: 'code', tentative, code: faux } });
    const r = await nav.requete(`${app.url}/espace/dossiers/ajouter`, { form: { _csrf: csrf, etape: 'code', tentative, code } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/espace');

    // More court API calls with the token, one refused for a bad token.
    expect((await app.api('GET', '/juridiction')).status).toBe(200);
    expect((await app.api('GET', '/juridiction', undefined, { jeton: 'x'.repeat(40) })).status).toBe(401);
    const maj = await app.api('PUT', '/affaires/SEC-2026-00001', affaireValide({ numeroDossier: '26/00001', parties, etat: 'Audience fixée' }));
    expect(maj.status).toBe(200);

    const sessions = await app.pool.anyFirst(sql.type(z.object({ d: z.string() }))`SELECT donnees::text AS d FROM session`);
    const idTokens = sessions.flatMap((s) => {
      const t = (JSON.parse(s) as { idToken?: unknown }).idToken;
      return typeof t === 'string' ? [t] : [];
    });
    expect(idTokens.length).toBeGreaterThan(0);
    // Let the worker finish what the scenario started (the e-mail of the update, activity ends).
    await new Promise((res) => setTimeout(res, 1500));

    const secrets: Record<string, string> = {
      numero,
      'numéro sans tirets': numero.replace(/-/g, ''),
      'numéro normalisé': normaliserNumero(numero)!,
      'code SMS': code,
      'jeton de la juridiction': JETON_PARIS,
      'secret de session': app.config.SESSION_SECRET,
      'clé de hachage': app.config.HASH_KEY,
      'secret client FranceConnect': app.config.FC_CLIENT_SECRET,
      ...Object.fromEntries(valeursCookies(nav).map((v, i) => [`cookie ${i}`, v])),
      ...Object.fromEntries(idTokens.map((t, i) => [`id token ${i}`, t])),
    };
    // The capture did see the scenario: web request lines and activity lines.
    const journal = lignes.join('');
    expect(journal).toContain('"route":"/espace/dossiers/ajouter"');
    expect(journal).toContain('notification envoyée');
    expect(lignes.length).toBeGreaterThan(30);
    if (process.env.JOURNAL_SECRETS) (await import('node:fs')).writeFileSync(process.env.JOURNAL_SECRETS, journal);
    // At trace level the SDK logs activation jobs with their payloads in base64: read them too.
    const lisibles = lignes.map((l) => l + [...l.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join(' '));
    expect(lisibles.some((l) => l.includes('"nature":"consentement"'))).toBe(true);
    const fuites = Object.entries(secrets)
      .filter(([, v]) => v.length >= 6)
      .flatMap(([nom, v]) => lisibles.filter((l) => l.includes(v)).map((l) => `${nom} : ${l.slice(0, 300)}`));
    expect(fuites).toEqual([]);
  });
});

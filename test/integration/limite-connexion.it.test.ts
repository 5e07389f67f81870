// The login buttons' limiter (web/middleware/limite-connexion.ts) on a real database: its limits
// per session and per address, counted in the table `limites` that every web instance shares
// (two instances here: two pools, two servers, one database), the end of the window, and the
// in-memory insurance when the database cannot be reached. The whole portal's login pages are
// checked with the real limits in securite.it.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import type pg from 'pg';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { portLibre } from '../../dev/ports.js';
import { creerJournal } from '../../web/log.js';
import { gestionErreurs } from '../../web/middleware/erreurs.js';
import { creerPoolLimites, limiterConnexions, type LimitesConnexion } from '../../web/middleware/limite-connexion.js';

const journal = creerJournal('test', 'silent');
let base: BaseDeTest;
const pools: pg.Pool[] = [];
const serveurs: Server[] = [];

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
});

afterAll(async () => {
  for (const s of serveurs) {
    s.closeAllConnections();
    s.close();
  }
  for (const p of pools) await p.end();
  await base?.supprimer();
});

let nettoyage: pg.Pool;
beforeEach(async () => {
  nettoyage ??= pool();
  await nettoyage.query('TRUNCATE limites');
});

/** A web instance's own pool on the database (or on `url`). */
function pool(url = base.url): pg.Pool {
  const p = creerPoolLimites(url, journal);
  pools.push(p);
  return p;
}

interface Reponse {
  statut: number;
  retryAfter: number | null;
  texte: string;
}

/** A web instance reduced to the limiter in front of a page that answers 204. */
async function instance(p: pg.Pool, limites: LimitesConnexion): Promise<(session?: string, chemin?: string) => Promise<Reponse>> {
  const k = new Koa();
  k.use(gestionErreurs(journal));
  k.use(limiterConnexions(['/connexion'], 'portail', limites, p));
  k.use(async (ctx) => {
    ctx.status = 204;
  });
  const s = k.listen(0, '127.0.0.1');
  serveurs.push(s);
  await new Promise((r) => s.once('listening', r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return async (session, chemin = '/connexion') => {
    const r = await fetch(`${url}${chemin}`, { method: 'POST', headers: session ? { cookie: `portail=${session}` } : {} });
    const retry = r.headers.get('retry-after');
    return { statut: r.status, retryAfter: retry === null ? null : Number(retry), texte: await r.text() };
  };
}

const statuts = async (presses: Promise<Reponse>[]) => (await Promise.all(presses)).map((r) => r.statut);
const empreinte = (cookie: string) => createHash('sha256').update(cookie).digest('base64url');

describe('login limiter', () => {
  test('per session, then per address whatever the session; a refused press is not counted; other paths pass', async () => {
    const poster = await instance(pool(), { fenetreMs: 60_000, parSession: 3, parIp: 5 });
    // Three per session...
    const a: number[] = [];
    for (let i = 0; i < 3; i++) a.push((await poster('a')).statut);
    expect(a).toEqual([204, 204, 204]);
    const refus = await poster('a');
    expect(refus.statut).toBe(429);
    expect(refus.retryAfter).toBeGreaterThan(0);
    expect(refus.retryAfter).toBeLessThanOrEqual(60);
    expect(refus.texte).toContain('Trop de tentatives de connexion depuis ce navigateur ou ce réseau. Patientez 1 minute avant de recommencer.');
    // ...five per address, whatever the session (a script dropping its cookie): the refused
    // press of `a` did not use the address's allowance.
    expect([(await poster('b')).statut, (await poster('c')).statut, (await poster('d')).statut, (await poster()).statut]).toEqual([204, 204, 429, 429]);
    expect((await poster('e', '/autre')).statut).toBe(204);

    // In the shared table: a hash of the session cookie, never the cookie; `d`, refused for its
    // address, was given its press back.
    const { rows } = await nettoyage.query<{ key: string; points: number }>('SELECT key, points FROM limites ORDER BY key');
    const session = (c: string) => `connexion_session:/connexion:${empreinte(c)}`;
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: session('a'), points: 4 },
        { key: session('b'), points: 1 },
        { key: session('c'), points: 1 },
        { key: session('d'), points: 0 },
      ]),
    );
    expect(rows.filter((l) => l.key.startsWith('connexion_ip:'))).toEqual([{ key: expect.stringMatching(/^connexion_ip:\/connexion:(::ffff:)?127\.0\.0\.1$/), points: 6 }]);
    expect(rows).toHaveLength(5);
    expect(rows.some((l) => /:(a|b|c|d)$/.test(l.key))).toBe(false);
  });

  test('two instances on one database count together, per session and per address', async () => {
    const limites = { fenetreMs: 60_000, parSession: 3, parIp: 5 };
    const a = await instance(pool(), limites);
    const b = await instance(pool(), limites);
    // One browser whose presses the load balancer spreads over both instances.
    expect(await statuts([a('x')])).toEqual([204]);
    expect(await statuts([b('x')])).toEqual([204]);
    expect(await statuts([a('x')])).toEqual([204]);
    const refus = [await b('x'), await a('x')];
    expect(refus.map((r) => r.statut)).toEqual([429, 429]);
    expect(refus.every((r) => r.texte.includes('Trop de tentatives de connexion'))).toBe(true);
    // The address: 3 presses so far, 5 allowed over both instances, concurrent presses included.
    expect((await statuts([b('y'), a('z')])).sort()).toEqual([204, 204]);
    expect(await statuts([b('w'), a('v'), a(), b()])).toEqual([429, 429, 429, 429]);
  });

  test('the limit lifts for every instance when the window ends', async () => {
    const limites = { fenetreMs: 2000, parSession: 2, parIp: 100 };
    const a = await instance(pool(), limites);
    const b = await instance(pool(), limites);
    expect([(await a('x')).statut, (await b('x')).statut]).toEqual([204, 204]);
    const refusA = await a('x');
    const refusB = await b('x');
    expect([refusA.statut, refusB.statut]).toEqual([429, 429]);
    expect(refusA.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refusA.retryAfter).toBeLessThanOrEqual(2);
    // Retry-After is rounded up: after it, the window is over on both instances (the one that
    // refused from memory too).
    await new Promise((r) => setTimeout(r, Math.max(refusA.retryAfter!, refusB.retryAfter!) * 1000 + 100));
    expect([(await a('x')).statut, (await b('x')).statut]).toEqual([204, 204]);
    expect((await a('x')).statut).toBe(429);
  });

  test('an unreachable database does not block logins: the in-memory insurance counts instead', async () => {
    const injoignable = pool(`postgres://absent@127.0.0.1:${await portLibre(0)}/absent`);
    const poster = await instance(injoignable, { fenetreMs: 60_000, parSession: 3, parIp: 5 });
    const debut = Date.now();
    const r: number[] = [];
    for (let i = 0; i < 4; i++) r.push((await poster('a')).statut);
    expect(r).toEqual([204, 204, 204, 429]);
    expect([(await poster('b')).statut, (await poster('c')).statut, (await poster('d')).statut]).toEqual([204, 204, 429]);
    // Refused connections fail at once: no press waited for the connection timeout.
    expect(Date.now() - debut).toBeLessThan(2000);
  });
});

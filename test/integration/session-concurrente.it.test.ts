// Two requests of the same browser at once (an htmx autosave in flight while a form is posted):
// the one that only read the session must not write its older copy over what the other one
// wrote. Real PostgreSQL store (web/middleware/session.ts), a small Koa app around it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import Koa from 'koa';
import { z } from 'zod';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool, sql, type DatabasePool } from '../../db/pool.js';
import { sessionsServeur, INACTIVITE_MS, type DonneesSession } from '../../web/middleware/session.js';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';

let base: BaseDeTest;
let pool: DatabasePool;
let serveur: http.Server;
let url: string;
let liberer: () => void = () => {};

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  pool = await creerPool(base.url);
  const app = new Koa();
  app.keys = ['cle-de-test-des-sessions-concurrentes'];
  app.use(sessionsServeur(app, pool, false));
  app.use(async (ctx) => {
    const s = ctx.session as DonneesSession;
    if (ctx.path === '/ouvrir') s.compteId = 'compte-1';
    else if (ctx.path === '/flash') s.flash = { type: 'succes', message: 'Brouillon enregistré.' };
    else if (ctx.path === '/lent') {
      // Reads the session (as every page does), then takes its time.
      void s.compteId;
      await new Promise<void>((r) => (liberer = r));
    } else if (ctx.path === '/lire') {
      ctx.body = { compteId: s.compteId ?? null, flash: s.flash ?? null };
      delete s.flash;
      return;
    }
    ctx.body = 'ok';
  });
  serveur = app.listen(0, '127.0.0.1');
  await new Promise((r) => serveur.once('listening', r));
  url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
});
afterAll(async () => {
  serveur.closeAllConnections();
  await new Promise((r) => serveur.close(r));
  await pool.end();
  await base.supprimer();
});

async function ouvrirSession(): Promise<string> {
  const r = await fetch(`${url}/ouvrir`);
  return r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
const get = (chemin: string, cookie: string) => fetch(`${url}${chemin}`, { headers: { cookie } });

/** The expiries stored for this cookie's session (rows are keyed by a hash of the cookie's key). */
async function expirations(cookie: string): Promise<{ koa: number; ligne: number }> {
  const cle = decodeURIComponent(/(?:^|; )portail=([^;]+)/.exec(cookie)![1]!);
  const id = createHash('sha256').update(cle).digest('hex');
  return pool.one(sql.type(z.object({ koa: z.number(), ligne: z.number() }))`
    SELECT (donnees->>'_expire')::bigint AS koa, (extract(epoch FROM expires_at) * 1000)::bigint AS ligne FROM session WHERE id = ${id}`);
}

describe('server-side sessions under concurrent requests', () => {
  test('a request that only read the session does not erase what another wrote meanwhile', async () => {
    const cookie = await ouvrirSession();
    const lente = get('/lent', cookie); // loads the session without the flash…
    await new Promise((r) => setTimeout(r, 200));
    expect((await get('/flash', cookie)).status).toBe(200); // …which is written now…
    liberer(); // …and the slow request ends with its older copy (a rolling save).
    expect((await lente).status).toBe(200);

    const apres = (await (await get('/lire', cookie)).json()) as { compteId: string | null; flash: unknown };
    expect(apres).toEqual({ compteId: 'compte-1', flash: { type: 'succes', message: 'Brouillon enregistré.' } });
    // Read once: the flash is consumed (a real change, written).
    expect(((await (await get('/lire', cookie)).json()) as { flash: unknown }).flash).toBeNull();
  });

  test('reading alone keeps the session alive: the idle timeout runs from the last request', async () => {
    const cookie = await ouvrirSession();
    const avant = await expirations(cookie);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get('/lire', cookie)).status).toBe(200);
    const apres = await expirations(cookie);
    // koa-session's own expiry (which it checks on reading) and the row's both moved forward.
    expect(apres.koa).toBeGreaterThanOrEqual(avant.koa + 1000);
    expect(apres.ligne).toBeGreaterThanOrEqual(avant.ligne + 1000);
    expect(apres.koa).toBeLessThanOrEqual(Date.now() + INACTIVITE_MS);
  });
});


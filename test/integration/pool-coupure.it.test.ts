// A connection cut while it goes back to the pool (a network cut or a database restart at the
// wrong instant) must cost one request, not a pool slot for ever. A TCP relay between the pool
// and PostgreSQL cuts the connection exactly when slonik sends its `DISCARD ALL` on release.
// Without db/pool.ts's `remettreAZero`, slonik 47 keeps the dead connection: a pool of one then
// never answers again and `pool.end()` fails (what stopped a CI run after pannes-postgres).
// A cut while a query runs is the other case: slonik 47 then never removes the connection
// either (fixed upstream in 49, backported by patches/@slonik+driver+47.3.2.patch).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import { z } from 'zod';
import { creerPool, sql, type DatabasePool } from '../../db/pool.js';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';

let base: BaseDeTest;
let relais: net.Server;
let couperAuProchainDiscard = false;
/** Cut the connection 100 ms after a query containing `pg_sleep` was forwarded. */
let couperPendantLaRequete = false;
let coupures = 0;

beforeAll(async () => {
  base = await creerBaseDeTest();
  const cible = new URL(base.url);
  relais = net.createServer((client) => {
    const serveur = net.connect(Number(cible.port || 5432), cible.hostname);
    client.on('data', (d) => {
      if (couperAuProchainDiscard && d.includes('DISCARD ALL')) {
        couperAuProchainDiscard = false;
        coupures++;
        client.destroy();
        serveur.destroy();
        return;
      }
      serveur.write(d);
      if (couperPendantLaRequete && d.includes('pg_sleep')) {
        couperPendantLaRequete = false;
        coupures++;
        setTimeout(() => {
          client.destroy();
          serveur.destroy();
        }, 100);
      }
    });
    serveur.on('data', (d) => client.write(d));
    for (const [a, b] of [[client, serveur], [serveur, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((r) => relais.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => relais.close(r));
  await base.supprimer();
});

const viaRelais = () => {
  const u = new URL(base.url);
  u.hostname = '127.0.0.1';
  u.port = String((relais.address() as net.AddressInfo).port);
  return u.toString();
};
const un = (pool: DatabasePool) => pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT 1 AS n`);
/** The answer, or 'sans réponse' after 5 s: a pool that lost its only slot waits for ever. */
const dansLesCinqSecondes = <T>(p: Promise<T>) =>
  Promise.race([p.then((v) => ({ v }), (e: unknown) => ({ erreur: String(e) })), new Promise<'sans réponse'>((r) => setTimeout(() => r('sans réponse'), 5000))]);

describe('a connection cut while it returns to the pool', () => {
  test('is dropped: the next request gets a new connection, and the pool ends cleanly', async () => {
    const pool = await creerPool(viaRelais(), { taille: 1 });
    try {
      expect(await un(pool)).toBe(1);
      couperAuProchainDiscard = true;
      // The work is done; the cut happens during the release that follows it.
      await pool.connect(async (c) => void (await c.query(sql.unsafe`SELECT 1`))).catch(() => undefined);
      expect(coupures).toBe(1);

      expect(await dansLesCinqSecondes(un(pool))).toEqual({ v: 1 });
      expect(pool.state()).toMatchObject({ pendingDestroyConnections: 0, pendingReleaseConnections: 0, waitingClients: 0 });
    } finally {
      expect(await dansLesCinqSecondes(pool.end())).toEqual({ v: undefined });
    }
  });

  test('again and again: ten cuts on a pool of two leave it whole', async () => {
    const pool = await creerPool(viaRelais(), { taille: 2 });
    try {
      const avant = coupures;
      for (let i = 0; i < 10; i++) {
        couperAuProchainDiscard = true;
        await Promise.all([un(pool).catch(() => 0), un(pool).catch(() => 0)]);
      }
      expect(coupures - avant).toBe(10);
      const reponses = await Promise.all(Array.from({ length: 6 }, () => dansLesCinqSecondes(un(pool))));
      expect(reponses).toEqual(Array.from({ length: 6 }, () => ({ v: 1 })));
    } finally {
      expect(await dansLesCinqSecondes(pool.end())).toEqual({ v: undefined });
    }
  });
});

describe('a connection cut while a query runs on it', () => {
  test('costs that query only: ten cuts on a pool of two leave it whole, and it ends cleanly', async () => {
    const pool = await creerPool(viaRelais(), { taille: 2 });
    try {
      const avant = coupures;
      for (let i = 0; i < 10; i++) {
        couperPendantLaRequete = true;
        const longue = await pool.query(sql.unsafe`SELECT pg_sleep(5)`).then(() => 'répondu', (e: unknown) => String(e));
        expect(longue).toMatch(/terminated unexpectedly/);
      }
      expect(coupures - avant).toBe(10);
      const reponses = await Promise.all(Array.from({ length: 6 }, () => dansLesCinqSecondes(un(pool))));
      expect(reponses).toEqual(Array.from({ length: 6 }, () => ({ v: 1 })));
      expect(pool.state()).toMatchObject({ pendingDestroyConnections: 0 });
    } finally {
      expect(await dansLesCinqSecondes(pool.end())).toEqual({ v: undefined });
    }
  });
});

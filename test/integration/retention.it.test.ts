// Decree art. 4: a case's data is kept for the whole procedure, then one year after its closure.
// Here with CASE_RETENTION injected in seconds on the real Temporal dev server: the case
// workflow purges the case when the deadline passes, leaves a tombstone, and a reopening before
// the deadline cancels the purge. (The legal one year runs on the time-skipping server in
// temps-accelere.it.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { idWorkflowDossier } from '../../workflows/ids.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication({ CASE_RETENTION: 'PT4S' });
  await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
});
afterAll(async () => {
  await app?.arreter();
});

const idDossier = (portalis: string) =>
  app.pool.maybeOneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${portalis}`);

async function attendre(ok: () => Promise<boolean>, delaiMs: number): Promise<void> {
  const fin = Date.now() + delaiMs;
  while (!(await ok())) {
    if (Date.now() > fin) throw new Error(`condition non atteinte en ${delaiMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('retention after closure', () => {
  test('the case is purged CASE_RETENTION after its closure, with a tombstone, and cannot come back', async () => {
    expect((await app.api('PUT', '/affaires/RET-1', affaireValide({ numeroDossier: '26/R0001' }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/RET-1/consentements', { partie: 'P1' })).status).toBe(201);
    const id = (await idDossier('RET-1'))!;
    expect((await app.api('POST', '/affaires/RET-1/cloture', { date: new Date().toISOString() })).status).toBe(204);
    // Still there right after the closure…
    expect(await idDossier('RET-1')).toBe(id);
    // …gone a few seconds later, with everything that belonged to it.
    await attendre(async () => (await idDossier('RET-1')) === null, 30000);
    // Every table that names a case by its id holds nothing of it any more, except the tombstone
    // (and the journal, which names it as an object, not a foreign key).
    const tables = await app.pool.anyFirst(sql.type(z.object({ t: z.string() }))`
      SELECT table_name AS t FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'dossier_id' ORDER BY 1`);
    expect(tables.length).toBeGreaterThanOrEqual(8);
    for (const table of tables) {
      const n = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM ${sql.identifier([table])} WHERE dossier_id = ${id}`);
      expect(`${table}: ${n}`).toBe(`${table}: 0`);
    }
    for (const table of ['partie', 'consentement', 'identifiant', 'notification']) {
      const n = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM ${sql.identifier([table])}`);
      expect(`${table}: ${n}`).toBe(`${table}: 0`);
    }
    const tombe = await app.pool.one(sql.type(z.object({ ancien_dossier_id: z.string().nullable(), motif: z.string().nullable(), juridiction: z.string(), date_cloture: z.date().nullable() }))`
      SELECT ancien_dossier_id, motif, juridiction, date_cloture FROM dossier_purge WHERE numero_portalis = 'RET-1'`);
    expect(tombe).toMatchObject({ ancien_dossier_id: id, motif: 'conservation_expiree', juridiction: 'TJ-PARIS' });
    expect(tombe.date_cloture).not.toBeNull();
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM journal WHERE action = 'affaire.purger' AND objet_id = ${id} AND acteur_type = 'systeme'`)).toBe(true);
    // The workflow completes (just after the purge's commit, which the wait above saw).
    const handle = app.temporal.workflow.getHandle(idWorkflowDossier(id));
    await attendre(async () => (await handle.describe()).status.name === 'COMPLETED', 15000);
    // A late court push cannot resurrect it.
    const tard = await app.api('PUT', '/affaires/RET-1', affaireValide({ numeroDossier: '26/R0001' }));
    expect(tard.status).toBe(409);
    expect(await idDossier('RET-1')).toBeNull();
  }, 60000);

  test('a reopening before the deadline cancels the purge', async () => {
    expect((await app.api('PUT', '/affaires/RET-2', affaireValide({ numeroDossier: '26/R0002' }))).status).toBe(200);
    const id = (await idDossier('RET-2'))!;
    expect((await app.api('POST', '/affaires/RET-2/cloture', { date: new Date().toISOString() })).status).toBe(204);
    expect((await app.api('DELETE', '/affaires/RET-2/cloture')).status).toBe(204);
    await new Promise((r) => setTimeout(r, 8000));
    expect(await idDossier('RET-2')).toBe(id);
    const description = await app.temporal.workflow.getHandle(idWorkflowDossier(id)).describe();
    expect(description.status.name).toBe('RUNNING');
  }, 60000);
});

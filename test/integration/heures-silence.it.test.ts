// Quiet hours on the real Temporal dev server (issue 6): no reminder SMS inside QUIET_HOURS; one
// that would fall inside is held until their end if the hearing allows, otherwise brought
// forward to one minute before they start, otherwise (hearing inside them) sent at once.
//
// The legal 20:00-08:00 cannot be crossed here without waiting hours: the server's timers run on
// the machine's clock, and the sender computes the instant from that same clock. So the window is
// set through QUIET_HOURS itself (same variable, same code path: services/tribunal.ts then
// domain/rappels.ts, then the workflow's timer), at the current Paris time. QUIET_HOURS takes
// whole minutes, so the window is one that is quiet all day except the minute [B, B + 1 min),
// B being the first minute boundary far enough ahead to start the portal: the end of one quiet
// period and one minute before the start of the next are both B, and both rules land there.
// The arithmetic with the legal window, daylight-saving changes included, is in
// test/unit/rappels.test.ts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DateTime } from 'luxon';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { etatDossierQuery } from '../../workflows/messages.js';

let app: Application;
/** The one minute outside quiet hours starts at B (epoch ms, a whole minute). */
let B: number;

const heureParis = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Paris' }).toFormat('HH:mm');

beforeAll(async () => {
  // 20 s: time to start the portal and push the cases before B.
  B = Math.ceil((Date.now() + 20000) / 60000) * 60000;
  app = await demarrerApplication({ REMINDER_LEAD: 'PT10S', QUIET_HOURS: `${heureParis(B + 60000)}-${heureParis(B)}` });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
}, 60000);
afterAll(async () => {
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean, jusqua: number): Promise<T> {
  for (;;) {
    const v = await quoi();
    if (ok(v)) return v;
    if (Date.now() > jusqua) throw new Error(`condition non atteinte à ${new Date(jusqua).toISOString()} : ${JSON.stringify(v)}`);
    await pause(200);
  }
}

/** A case with one consenting party (its own phone) and one hearing at `debut`. */
async function casAvecAudience(n: number, debut: number) {
  const portalis = `SIL-${n}`;
  const telephone = `+336000090${n}0`;
  const parties = [{ id: 'P1', role: 'Demandeur', type: 'physique', nom: 'DUBOIS', prenoms: 'Angela', courriel: `s${n}@example.fr`, telephone }];
  expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/S${n}`, parties }))).status).toBe(200);
  expect((await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' })).status).toBe(201);
  const r = await app.api('PUT', `/affaires/${portalis}/audiences/A1`, { debut: new Date(debut).toISOString(), adresse: '12 rue du Palais, 75001 Paris', libelle: 'Audience' });
  expect(r.status).toBe(200);
  const dossierId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${portalis}`);
  return { telephone, dossierId };
}

const rappels = async (tel: string) => (await app.sms(tel)).filter((m) => m.body.startsWith('Rappel'));

/** The instant the case's workflow sleeps until for its pending reminder (null when none pending). */
async function envoyerA(dossierId: string): Promise<string | null> {
  const e = await app.temporal.workflow.getHandle(idWorkflowDossier(dossierId)).query(etatDossierQuery);
  return e.rappels?.[0]?.envoyerA ?? null;
}

describe('quiet hours (QUIET_HOURS) on the real server', () => {
  test('held until their end, brought forward before their start, sent at once for a hearing inside them, untouched outside', async () => {
    const t0 = Date.now();
    expect(B - t0).toBeGreaterThan(10000);
    // REMINDER_LEAD PT10S. Held: due at B − 5 s (quiet), the period ends at B, before the hearing.
    const retenu = await casAvecAudience(1, B + 5000);
    // Brought forward: due at B + 60 s, the start of the next quiet period, which lasts past the
    // hearing; one minute before it starts is B.
    const avance = await casAvecAudience(2, B + 70000);
    // Inside quiet hours and before their end: at once rather than never.
    const immediat = await casAvecAudience(3, Date.now() + 8000);
    // Due at B + 5 s, inside the minute that is not quiet: untouched.
    const hors = await casAvecAudience(4, B + 15000);

    // What the sender computed and the workflow sleeps until.
    expect(await envoyerA(retenu.dossierId)).toBe(new Date(B).toISOString());
    expect(await envoyerA(avance.dossierId)).toBe(new Date(B).toISOString());
    expect(await envoyerA(hors.dossierId)).toBe(new Date(B + 5000).toISOString());

    const [m3] = await attendre(() => rappels(immediat.telephone), (l) => l.length >= 1, B - 1000);
    expect(Date.parse(m3!.date)).toBeLessThan(B);
    // Nothing else during the quiet period.
    await pause(Math.max(0, B - 1000 - Date.now()));
    expect(await rappels(retenu.telephone)).toHaveLength(0);
    expect(await rappels(avance.telephone)).toHaveLength(0);
    expect(await rappels(hors.telephone)).toHaveLength(0);

    const [m1] = await attendre(() => rappels(retenu.telephone), (l) => l.length >= 1, B + 15000);
    const [m2] = await attendre(() => rappels(avance.telephone), (l) => l.length >= 1, B + 15000);
    const [m4] = await attendre(() => rappels(hors.telephone), (l) => l.length >= 1, B + 20000);
    for (const [m, au] of [[m1!, B], [m2!, B], [m4!, B + 5000]] as const) {
      expect(Date.parse(m.date)).toBeGreaterThanOrEqual(au);
      expect(Date.parse(m.date)).toBeLessThan(au + 10000);
    }
    // The brought-forward reminder left a minute before the quiet period holding its due time.
    expect(Date.parse(m2!.date)).toBeLessThan(B + 60000);
    await pause(2000);
    for (const c of [retenu, avance, immediat, hors]) expect(await rappels(c.telephone)).toHaveLength(1);
    console.log(`heures de silence : fenêtre ${heureParis(B + 60000)}-${heureParis(B)} (Europe/Paris), test ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 150000);
});

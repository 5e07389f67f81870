// An SMTP server that refuses for a while (issue 10 item 2): 200 update alerts (20 cases × 10
// attached accounts) fall due while the mail server first is down (connection refused), then
// answers every message with a temporary 451. The alerts are queued in the outbox anyway, the
// attempts are recorded as passing failures, and once the server is back every alert arrives,
// exactly once: one per recipient, 200 distinct Message-IDs, every outbox row `envoye`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { creerRattachement } from '../../db/rattachements.js';
import { demarrerBoites } from '../../dev/boites.js';

const CAS = 20;
const COMPTES_PAR_CAS = 10;

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication({ ALERT_DEBOUNCE: 'PT2S', QUIET_HOURS: '' });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean, delaiMs: number, libelle: string): Promise<T> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const v = await quoi();
    if (ok(v)) return v;
    if (Date.now() > fin) throw new Error(`${libelle} : non atteint en ${delaiMs} ms : ${JSON.stringify(v).slice(0, 2000)}`);
    await pause(250);
  }
}

async function api(methode: string, chemin: string, corps?: unknown): Promise<void> {
  const r = await app.api(methode, chemin, corps);
  if (r.status >= 300) throw new Error(`${methode} ${chemin} : ${r.status} ${await r.text()}`);
}

const Ligne = z.object({ destinataire: z.string(), statut: z.string(), tentatives: z.number(), cle_idempotence: z.string() });
const alertes = () => app.pool.any(sql.type(Ligne)`SELECT destinataire, statut, tentatives, cle_idempotence FROM notification WHERE type = 'alerte'`);
const enCours = () => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE statut <> 'envoye'`);

/** An SMTP server that takes the connection and answers every message "try again later". */
async function smtpRefusant(port: number): Promise<{ refus: () => number; arreter: () => Promise<void> }> {
  let refus = 0;
  const serveur = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_adresse, _session, cb) {
      refus++;
      cb(Object.assign(new Error('Service temporairement indisponible, réessayez plus tard'), { responseCode: 451 }));
    },
  });
  await new Promise<void>((resolve, reject) => {
    serveur.once('error', reject);
    serveur.listen(port, '127.0.0.1', () => resolve());
  });
  return { refus: () => refus, arreter: () => new Promise<void>((r) => serveur.close(() => r())) };
}

describe('SMTP refusing for a while', () => {
  test('200 alerts due during the outage all arrive once it is over, each exactly once', async () => {
    // 20 cases, one party each with its consent; 10 accounts attached to each case.
    const destinataires: string[] = [];
    for (let n = 1; n <= CAS; n++) {
      const portalis = `SMTP-${n}`;
      await api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/S${n}`, parties: [{ id: 'P1', role: 'Demandeur', type: 'physique', nom: 'DUBOIS', prenoms: 'Angela', courriel: `partie${n}@example.fr` }] }));
      await api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' });
      const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
        SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id
        FROM identifiant i JOIN consentement c ON c.id = i.consentement_id JOIN dossier d ON d.id = c.dossier_id
        WHERE d.numero_portalis = ${portalis}`);
      for (let k = 1; k <= COMPTES_PAR_CAS; k++) {
        const email = `compte-${n}-${k}@example.org`;
        const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
          INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('test', ${randomUUID()}, 'Angela', 'DUBOIS', ${email}) RETURNING id`);
        await creerRattachement(app.pool, { compteId: id, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: new Date() });
        destinataires.push(email);
      }
    }
    // The setup's own e-mails (identification numbers, the alert of each case's creation) are
    // sent before the outage: the outbox is quiet for longer than ALERT_DEBOUNCE.
    let empreinte = '';
    let depuis = Date.now();
    await attendre(async () => {
      const l = await app.pool.anyFirst(sql.type(z.object({ e: z.string() }))`SELECT cle_idempotence || statut AS e FROM notification ORDER BY 1`);
      const e = l.join(',');
      if (e !== empreinte || (await enCours()) > 0) depuis = Date.now();
      empreinte = e;
      return Date.now() - depuis;
    }, (ms) => ms >= 3000, 45000, 'envoi des courriels de la mise en place');
    const deLaMiseEnPlace = new Set((await alertes()).map((x) => x.cle_idempotence));
    const alertesDeLaPanne = async () => (await alertes()).filter((x) => !deLaMiseEnPlace.has(x.cle_idempotence));

    // The outage: the mail server is gone, its port refuses connections.
    const smtp = new URL(app.boites.smtpUrl);
    const page = new URL(app.boites.urlPage);
    await app.boites.arreter();
    const debutPanne = Date.now();
    for (let n = 1; n <= CAS; n++) {
      await api('POST', `/affaires/SMTP-${n}/evenements`, { id: 'E1', type: 'mention', date: '2026-10-01T09:30:00+02:00', libelle: 'Mention' });
    }
    // Every case's alert falls due (ALERT_DEBOUNCE 2 s): its 10 rows are queued, and the first
    // attempt of each case fails as a passing failure.
    await attendre(alertesDeLaPanne, (l) => l.length === CAS * COMPTES_PAR_CAS && l.filter((x) => x.statut === 'echec_temporaire').length === CAS, 30000, 'alertes en file pendant la panne');
    // Then the server is back but refuses every message with a 451, until each case has seen
    // such a refusal too (its first retry comes 5 s after its first failure).
    const refusant = await smtpRefusant(Number(smtp.port));
    await attendre(async () => refusant.refus(), (n) => n >= CAS, 30000, 'refus 451');
    const pendant = await alertesDeLaPanne();
    expect(pendant.every((x) => x.statut !== 'envoye')).toBe(true);
    expect(pendant.every((x) => x.statut !== 'echec_definitif')).toBe(true);
    await refusant.arreter();
    // Recovery: the sinks again, on the same ports.
    app.boites = await demarrerBoites({ portSmtp: Number(smtp.port), portHttp: Number(page.port) });
    const dureePanne = Date.now() - debutPanne;

    await attendre(alertesDeLaPanne, (l) => l.every((x) => x.statut === 'envoye'), 60000, 'alertes envoyées après la panne');
    // Quiet for longer than a retry could take to show up.
    await pause(3000);
    const lignes = await alertesDeLaPanne();
    expect(lignes).toHaveLength(CAS * COMPTES_PAR_CAS);
    expect(lignes.every((x) => x.statut === 'envoye')).toBe(true);
    expect(new Set(lignes.map((x) => x.cle_idempotence)).size).toBe(CAS * COMPTES_PAR_CAS);
    // The refused attempts were counted on the rows they hit: at least two per case.
    expect(lignes.reduce((s, x) => s + x.tentatives, 0)).toBeGreaterThanOrEqual(CAS * COMPTES_PAR_CAS + 2 * CAS);

    const recus = (await app.courriels()).filter((m) => m.subject.startsWith('Mise à jour de votre dossier')) as { to: string[]; messageId?: string }[];
    const parDestinataire = new Map<string, number>();
    for (const m of recus) for (const a of m.to) parDestinataire.set(a, (parDestinataire.get(a) ?? 0) + 1);
    expect([...parDestinataire.keys()].sort()).toEqual([...destinataires].sort());
    expect([...parDestinataire.values()].every((n) => n === 1)).toBe(true);
    expect(recus).toHaveLength(CAS * COMPTES_PAR_CAS);
    // Nothing sent before the outage was sent again (the restarted sink holds only what came after).
    expect(await app.courriels()).toHaveLength(CAS * COMPTES_PAR_CAS);
    expect(new Set(recus.map((m) => m.messageId)).size).toBe(CAS * COMPTES_PAR_CAS);
    console.log(`panne SMTP : ${(dureePanne / 1000).toFixed(1)} s, ${refusant.refus()} refus 451, ${recus.length} alertes reçues après le retour`);
  }, 90000);
});

// Requêtes are transmitted, and update alerts sent, exactly once even when the worker is killed
// with SIGKILL, repeatedly, while a hundred requêtes are being sent and two hundred alerts fall
// due (issue 7 "when the worker is killed during transmission", issue 10 fault injection). The
// worker runs as a separate OS process (test/aides/worker-processus.ts): no graceful shutdown,
// running activities lost. Afterwards each requête is `envoyee` with one reference, one journal
// row of its transmission and one acknowledgment message; each account got one alert message per
// case it follows (see below for the one window where the SMTP server may see a message twice).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { creerRattachement } from '../../db/rattachements.js';
import { workerProcessus, type WorkerProcessus } from '../aides/worker-processus.js';
import * as comptes from '../../db/comptes.js';
import * as services from '../../services/requetes.js';

const NOMBRE = 100;
/** 20 cases × 10 accounts following each: 200 alert e-mails. */
const CAS = 20;
const COMPTES_PAR_CAS = 10;
let app: Application;
let worker: WorkerProcessus;

beforeAll(async () => {
  app = await demarrerApplication({ ALERT_DEBOUNCE: 'PT1S' });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  await app.arreterWorker();
  worker = workerProcessus(app.config);
  await worker.demarrer();
}, 90000);
afterAll(async () => {
  await worker?.arreter();
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `f` over `elements`, `n` at a time. */
async function parLots<T, R>(elements: T[], n: number, f: (e: T) => Promise<R>): Promise<R[]> {
  const resultats: R[] = [];
  for (let i = 0; i < elements.length; i += n) resultats.push(...(await Promise.all(elements.slice(i, i + n).map(f))));
  return resultats;
}

describe('kill -9 during transmissions', () => {
  test(`${NOMBRE} requêtes sent and ${CAS * COMPTES_PAR_CAS} alerts due while the worker is killed three times: each effect once`, async () => {
    const ctx = { pool: app.pool, temporal: app.temporal, config: app.config };
    const { compte } = await comptes.connecter(app.pool, { iss: 'https://fc.test', sub: 'kill9', given_name: 'Angela', family_name: 'DUBOIS', email: 'kill9@example.fr' });
    const ids = await parLots([...Array(NOMBRE).keys()], 10, async (i) => {
      const id = await services.commencer(ctx, compte.id, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
      await services.enregistrerChamps(ctx, compte.id, id, { infraction: `Vol n° ${i}`, dateFaits: '2026-03-02', lieuFaits: 'Paris', prejudice: 'Matériel' });
      await services.ajouterPiece(ctx, compte.id, id, { nom: 'plainte.pdf', octets: PDF_MINIMAL });
      return id;
    });

    // 20 cases, each followed by 10 accounts (alerts on), for 200 alerts.
    const suiveurs: string[] = [];
    for (let c = 1; c <= CAS; c++) {
      const portalis = `K9-ALERTE-${c}`;
      expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/A${c}`, parties: [{ id: 'P1', role: 'Demandeur', type: 'physique', nom: 'SUIVI', prenoms: 'Test', courriel: `p${c}@example.fr` }] }))).status).toBe(200);
      expect((await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' })).status).toBe(201);
    }
    // The case's own creation and consent alert nobody (no account yet) once their debounce
    // window (1 s) has passed; only then do the followers attach, so each gets the event's alert.
    await pause(3000);
    for (let c = 1; c <= CAS; c++) {
      const portalis = `K9-ALERTE-${c}`;
      const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
        SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id FROM identifiant i JOIN consentement c ON c.id = i.consentement_id
        JOIN dossier d ON d.id = c.dossier_id WHERE d.numero_portalis = ${portalis}`);
      for (let k = 0; k < COMPTES_PAR_CAS; k++) {
        const email = `suiveur-${c}-${k}@example.org`;
        const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
          INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('test', ${randomUUID()}, 'Test', 'SUIVEUR', ${email}) RETURNING id`);
        await creerRattachement(app.pool, { compteId: id, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: new Date() });
        suiveurs.push(email);
      }
    }

    // Sends go out in batches, and one event lands on each followed case, while a killer takes
    // the worker down three times.
    let tues = 0;
    const tueur = (async () => {
      for (let k = 0; k < 3; k++) {
        await pause(400 + Math.floor(Math.random() * 1200));
        await worker.tuer();
        tues++;
        await worker.demarrer();
      }
    })();
    const evenements = parLots([...Array(CAS).keys()], 5, (c) =>
      app.api('POST', `/affaires/K9-ALERTE-${c + 1}/evenements`, { id: `E-${c}`, type: 'information', date: '2026-11-23T10:00:00+01:00', libelle: 'Mise à jour' }));
    const reponses = await parLots(ids, 10, (id) => services.envoyer(ctx, compte.id, id));
    expect((await evenements).map((r) => r.status)).toEqual(Array(CAS).fill(201));
    await tueur;
    expect(tues).toBe(3);
    expect(reponses.filter((r) => !r.acceptee)).toEqual([]);

    const Etat = z.object({ envoyees: z.number(), references: z.number(), accuses: z.number(), journal: z.number() });
    const etat = () =>
      app.pool.one(sql.type(Etat)`
        SELECT (SELECT count(*)::int FROM requete WHERE statut = 'envoyee') AS envoyees,
               (SELECT count(DISTINCT reference)::int FROM requete WHERE statut = 'envoyee') AS "references",
               (SELECT count(*)::int FROM notification WHERE type = 'accuse_reception' AND statut = 'envoye') AS accuses,
               (SELECT count(*)::int FROM journal WHERE action = 'requete.transmettre' AND resultat = 'succes') AS journal`);
    const fin = Date.now() + 150000;
    let e = await etat();
    while ((e.envoyees < NOMBRE || e.accuses < NOMBRE) && Date.now() < fin) {
      await pause(500);
      e = await etat();
    }
    expect(e).toEqual({ envoyees: NOMBRE, references: NOMBRE, accuses: NOMBRE, journal: NOMBRE });
    // One acknowledgment row per requête, keyed by it.
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(DISTINCT cle_idempotence)::int AS n FROM notification WHERE type = 'accuse_reception'`)).toBe(NOMBRE);

    // And in the mailbox: each reference acknowledged by one message (one Message-ID, derived
    // from the outbox row's key). The one window left is a worker killed between the SMTP
    // server's acceptance and the commit marking the row sent (one round trip): the retry then
    // hands the SAME message (same Message-ID) to the server again, which mail clients show
    // once. Such re-deliveries are counted and printed, never a second message.
    const recus = ((await app.courriels('kill9@example.fr')) as { subject: string; messageId?: string }[]).filter((m) => m.subject.startsWith('Accusé de réception'));
    const references = await app.pool.anyFirst(sql.type(z.object({ reference: z.string() }))`SELECT reference FROM requete WHERE statut = 'envoyee'`);
    expect(new Set(recus.map((m) => m.subject))).toEqual(new Set(references.map((r) => `Accusé de réception de votre requête ${r}`)));
    const sujetsParId = new Map<string | undefined, Set<string>>();
    for (const m of recus) sujetsParId.set(m.messageId, (sujetsParId.get(m.messageId) ?? new Set()).add(m.subject));
    expect(sujetsParId.size).toBe(NOMBRE);
    expect([...sujetsParId.values()].every((sujets) => sujets.size === 1)).toBe(true);
    if (recus.length > NOMBRE) console.log(`kill -9 : ${recus.length - NOMBRE} accusé(s) remis deux fois au serveur SMTP avec le même Message-ID`);

    // Each follower got exactly one alert e-mail (the outbox row sent, one Message-ID).
    // (A slow worker may still alert a follower of the case's creation: only the event's alert,
    // which names its kind, is counted.)
    const alertes = async () =>
      ((await app.courriels()) as { subject: string; text: string; to: string[]; messageId?: string }[]).filter(
        (m) => m.subject.startsWith('Mise à jour de votre dossier') && m.text.includes('nouvel événement ou nouveau document'),
      );
    let recues = await alertes();
    while (new Set(recues.map((m) => m.messageId)).size < CAS * COMPTES_PAR_CAS && Date.now() < fin) {
      await pause(500);
      recues = await alertes();
    }
    // One message (one Message-ID) per follower; a re-delivery of the same one as above.
    const parDestinataire = new Map<string, Set<string | undefined>>();
    for (const m of recues) for (const a of m.to) parDestinataire.set(a, (parDestinataire.get(a) ?? new Set()).add(m.messageId));
    expect([...parDestinataire.keys()].sort()).toEqual([...suiveurs].sort());
    expect([...parDestinataire.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(new Set(recues.map((m) => m.messageId)).size).toBe(CAS * COMPTES_PAR_CAS);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE type = 'alerte' AND statut <> 'envoye'`)).toBe(0);
  }, 240000);
});

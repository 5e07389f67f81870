// PostgreSQL restarted under the court API's writes (issue 10 item 2). This file runs its own
// embedded PostgreSQL (the run's one is shared with the other files), starts the portal on it,
// and while a stream of concurrent writes goes on (cases with several parties, events carrying
// a PDF, consents that queue an e-mail) stops the server (fast shutdown: transactions in flight
// are cut) and starts it again. Then, for every request:
//   - answered 2xx: its whole effect is there (the case and all its parties; the event and its
//     document; the consent, its identification number and its outbox row);
//   - answered with an error: the JSON error (a 5xx carries a support reference, never a stack
//     trace), and either nothing of it is there or all of it (a commit whose answer was lost);
// nothing is ever half-written, the portal answers 2xx again once the server is back, and a
// court that replays its failed requests (the API is idempotent) ends with every e-mail sent.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { demarrerPostgres, type PostgresEmbarque } from '../../dev/postgres.js';
import { portLibre } from '../../dev/ports.js';
import { idWorkflowDossier } from '../../workflows/ids.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const DOSSIER_PG = path.resolve('.data', `test-pg-pannes-${process.pid}`);
const MOT_DE_PASSE = randomBytes(12).toString('hex');
let port: number;
let pg: PostgresEmbarque | null = null;
let app: Application;

/** Persistent, so that a stop keeps the data (an ephemeral cluster is deleted on stop). */
const demarrerPg = async () => (pg = await demarrerPostgres({ dossier: DOSSIER_PG, base: 'postgres', port, motDePasse: MOT_DE_PASSE }));

/** Parties of the case the consents go to: one per consent request, each with its e-mail. */
const PARTIES_CONSENTEMENT = 400;
const CAS_EVENEMENTS = ['PGBASE-1', 'PGBASE-2', 'PGBASE-3'];

beforeAll(async () => {
  port = await portLibre(0);
  await demarrerPg();
  app = await demarrerApplication({}, {}, { pgAdmin: pg!.urlAdmin });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  for (const [i, portalis] of CAS_EVENEMENTS.entries()) {
    expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/PG${i}` }))).status).toBe(200);
  }
  const parties = Array.from({ length: PARTIES_CONSENTEMENT }, (_, i) => ({ id: `P${i + 1}`, role: 'Intervenant', type: 'physique', nom: `PARTIE${i + 1}`, courriel: `partie${i + 1}@example.fr` }));
  expect((await app.api('PUT', '/affaires/PGCONS', affaireValide({ numeroDossier: '26/PGCONS', parties }))).status).toBe(200);
}, 90000);
afterAll(async () => {
  try {
    await app?.arreter();
  } finally {
    // This file's own server is stopped whatever happened above: left running, it keeps jest alive.
    await pg?.arreter();
    await rm(DOSSIER_PG, { recursive: true, force: true });
    await rm(`${DOSSIER_PG}.port`, { force: true });
  }
});

// ------------------------------------------------------------------------------------------------
// The writes

type Requete =
  | { type: 'affaire'; portalis: string; parties: number }
  | { type: 'evenement'; portalis: string; id: string; taille: number }
  | { type: 'consentement'; partie: string };

interface Resultat {
  requete: Requete;
  statut: number;
  corps: string;
  /** Milliseconds since the stream started. */
  t: number;
}

function envoi(r: Requete): { methode: string; chemin: string; corps: unknown } {
  switch (r.type) {
    case 'affaire': {
      const parties = Array.from({ length: r.parties }, (_, i) => ({ id: `P${i + 1}`, role: i ? 'Défendeur' : 'Demandeur', type: 'physique', nom: `NOM${i + 1}`, courriel: `${r.portalis.toLowerCase()}-p${i + 1}@example.fr` }));
      return { methode: 'PUT', chemin: `/affaires/${r.portalis}`, corps: affaireValide({ numeroDossier: `26/${r.portalis}`, parties }) };
    }
    case 'evenement': {
      // A PDF of its own size, so that the stored document is recognisably this request's.
      const pdf = Buffer.concat([PDF_MINIMAL, Buffer.alloc(r.taille - PDF_MINIMAL.length, 0x20)]);
      return {
        methode: 'POST', chemin: `/affaires/${r.portalis}/evenements`,
        corps: { id: r.id, type: 'avis', date: '2026-10-01T09:30:00+02:00', libelle: 'Avis', document: { type: 'avis', titre: `Avis ${r.id}`, destinataires: ['P1', 'P2'], pdf: pdf.toString('base64') } },
      };
    }
    case 'consentement':
      return { methode: 'POST', chemin: '/affaires/PGCONS/consentements', corps: { partie: r.partie } };
  }
}

async function executer(r: Requete, debut: number): Promise<Resultat> {
  const e = envoi(r);
  const reponse = await app.api(e.methode, e.chemin, e.corps);
  return { requete: r, statut: reponse.status, corps: await reponse.text(), t: Date.now() - debut };
}

// ------------------------------------------------------------------------------------------------
// What is in the database for one request

type Effet = 'absent' | 'complet' | 'partiel';

async function effet(r: Requete): Promise<{ effet: Effet; detail: string }> {
  const p = app.pool;
  if (r.type === 'affaire') {
    const d = await p.maybeOne(sql.type(z.object({ id: z.string(), parties: z.number(), journal: z.number() }))`
      SELECT d.id, (SELECT count(*)::int FROM partie WHERE dossier_id = d.id) AS parties,
        (SELECT count(*)::int FROM journal WHERE objet_id = d.id::text AND action = 'affaire.creer') AS journal
      FROM dossier d WHERE d.numero_portalis = ${r.portalis}`);
    if (!d) return { effet: 'absent', detail: '' };
    const complet = d.parties === r.parties && d.journal === 1;
    return { effet: complet ? 'complet' : 'partiel', detail: `${d.parties}/${r.parties} parties, ${d.journal} ligne(s) de journal` };
  }
  if (r.type === 'evenement') {
    const e = await p.maybeOne(sql.type(z.object({ taille: z.number().nullable(), destinataires: z.number() }))`
      SELECT doc.taille, (SELECT count(*)::int FROM document_destinataire dd WHERE dd.document_id = doc.id) AS destinataires
      FROM evenement e JOIN dossier d ON d.id = e.dossier_id LEFT JOIN document doc ON doc.evenement_id = e.id
      WHERE d.numero_portalis = ${r.portalis} AND e.id_tribunal = ${r.id}`);
    if (!e) return { effet: 'absent', detail: '' };
    return { effet: e.taille === r.taille && e.destinataires === 2 ? 'complet' : 'partiel', detail: `document ${e.taille ?? 'absent'} octets, ${e.destinataires} destinataire(s)` };
  }
  const c = await p.maybeOne(sql.type(z.object({ identifiants: z.number(), notifications: z.number() }))`
    SELECT (SELECT count(*)::int FROM identifiant i WHERE i.consentement_id = c.id) AS identifiants,
      (SELECT count(*)::int FROM notification n WHERE n.cle_idempotence = 'consentement:' || c.id) AS notifications
    FROM consentement c JOIN partie pa ON pa.id = c.partie_id JOIN dossier d ON d.id = c.dossier_id
    WHERE d.numero_portalis = 'PGCONS' AND pa.id_tribunal = ${r.partie}`);
  if (!c) return { effet: 'absent', detail: '' };
  return { effet: c.identifiants === 1 && c.notifications === 1 ? 'complet' : 'partiel', detail: `${c.identifiants} identifiant(s), ${c.notifications} courriel(s) en file` };
}

/** A stack frame, file name or SQL that must never reach a client. */
const FUITE = /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d+|node_modules|sqlstate|ECONNREFUSED|terminating connection|\w+Error\b/i;

function verifierCorpsErreur(r: Resultat): void {
  const contexte = `${r.statut} pour ${JSON.stringify(r.requete)} : ${r.corps.slice(0, 500)}`;
  const e = JSON.parse(r.corps) as { erreur?: unknown; code?: unknown; details?: unknown; reference?: unknown };
  expect({ contexte, erreur: typeof e.erreur, code: typeof e.code, details: Array.isArray(e.details) }).toEqual({ contexte, erreur: 'string', code: 'string', details: true });
  if (r.statut >= 500) {
    expect({ contexte, reference: e.reference }).toEqual({ contexte, reference: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect({ contexte, dansLeMessage: (e.erreur as string).includes(e.reference as string) }).toEqual({ contexte, dansLeMessage: true });
  }
  expect({ contexte, fuite: FUITE.test(r.corps) }).toEqual({ contexte, fuite: false });
}

describe('PostgreSQL restarted during court API writes', () => {
  test('every request fully applied or answered with an error, none half-written; the portal recovers', async () => {
    const debut = Date.now();
    let compteur = 0;
    let consentements = 0;
    let fini = false;
    const resultats: Resultat[] = [];
    const prochaine = (): Requete | null => {
      const n = ++compteur;
      const choix = n % 5;
      if (choix <= 1) return { type: 'affaire', portalis: `PG-${n}`, parties: 1 + (n % 6) };
      if (choix <= 3) return { type: 'evenement', portalis: CAS_EVENEMENTS[n % CAS_EVENEMENTS.length]!, id: `EV-${n}`, taille: 2000 + n };
      if (consentements >= PARTIES_CONSENTEMENT) return null;
      return { type: 'consentement', partie: `P${++consentements}` };
    };
    // Six courts pushing at once, each waiting 20 ms between two requests.
    const flux = Array.from({ length: 6 }, async () => {
      while (!fini) {
        const r = prochaine();
        if (r) resultats.push(await executer(r, debut));
        await pause(20);
      }
    });

    // The restart: fast shutdown after 3 s of writes, 2 s down, then the same cluster again.
    await pause(3000);
    const arret = Date.now() - debut;
    await pg!.arreter();
    await pause(2000);
    await demarrerPg();
    const redemarrage = Date.now() - debut;
    // The stream goes on until the portal has answered 2xx for a while after the restart.
    const fin = Date.now() + 25000;
    while (Date.now() < fin && resultats.filter((r) => r.t > redemarrage && r.statut < 300).length < 60) await pause(200);
    fini = true;
    await Promise.all(flux);

    const parStatut = resultats.reduce<Record<number, number>>((a, r) => ((a[r.statut] = (a[r.statut] ?? 0) + 1), a), {});
    console.log(`redémarrage de PostgreSQL : arrêt à ${arret} ms, reparti à ${redemarrage} ms ; ${resultats.length} requêtes, statuts ${JSON.stringify(parStatut)}`);
    expect(resultats.some((r) => r.statut >= 500)).toBe(true);
    expect(resultats.filter((r) => r.t < arret && r.statut < 300).length).toBeGreaterThan(10);

    // The portal recovered: after the restart, 2xx answers, and the last requests all succeeded.
    const apres = resultats.filter((r) => r.t > redemarrage);
    expect(apres.filter((r) => r.statut < 300).length).toBeGreaterThanOrEqual(60);
    const dernieres = [...resultats].sort((a, b) => a.t - b.t).slice(-20);
    expect(dernieres.map((r) => r.statut).filter((s) => s >= 300)).toEqual([]);

    // Request by request.
    const bilan: Record<string, number> = {};
    for (const r of resultats) {
      const e = await effet(r.requete);
      const contexte = `${JSON.stringify(r.requete)} → ${r.statut} ${r.statut >= 300 ? r.corps.slice(0, 200) : ''} ; en base : ${e.effet} ${e.detail}`;
      if (r.statut < 300) expect({ contexte, effet: e.effet }).toEqual({ contexte, effet: 'complet' });
      else {
        verifierCorpsErreur(r);
        expect({ contexte, partiel: e.effet === 'partiel' }).toEqual({ contexte, partiel: false });
      }
      const cle = `${r.requete.type} ${r.statut < 300 ? '2xx' : r.statut} ${e.effet}`;
      bilan[cle] = (bilan[cle] ?? 0) + 1;
    }
    console.log(`bilan par requête : ${JSON.stringify(bilan)}`);
    // A case answered 2xx has its workflow too (signalled before the answer).
    for (const r of resultats.filter((x) => x.requete.type === 'affaire' && x.statut < 300)) {
      const portalis = (r.requete as { portalis: string }).portalis;
      const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${portalis}`);
      expect((await app.temporal.workflow.getHandle(idWorkflowDossier(id)).describe()).type).toBe('dossier');
    }

    // Over the whole database: no case without parties, no event of this test without its
    // document, no identification e-mail queued without its consent and number.
    expect(await app.pool.anyFirst(sql.type(z.object({ n: z.string() }))`
      SELECT d.numero_portalis AS n FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM partie p WHERE p.dossier_id = d.id)`)).toEqual([]);
    expect(await app.pool.anyFirst(sql.type(z.object({ n: z.string() }))`
      SELECT e.id_tribunal AS n FROM evenement e WHERE e.id_tribunal LIKE 'EV-%' AND NOT EXISTS (SELECT 1 FROM document d WHERE d.evenement_id = e.id)`)).toEqual([]);
    expect(await app.pool.anyFirst(sql.type(z.object({ n: z.string() }))`
      SELECT n.cle_idempotence AS n FROM notification n WHERE n.type = 'identifiant' AND NOT EXISTS (
        SELECT 1 FROM consentement c JOIN identifiant i ON i.consentement_id = c.id WHERE n.cle_idempotence = 'consentement:' || c.id)`)).toEqual([]);

    // The court replays what failed (the API is idempotent): all accepted now, and then every
    // queued e-mail goes out, including those whose first answer was lost with the connection.
    for (const r of resultats.filter((x) => x.statut >= 300)) {
      const rejoue = await executer(r.requete, debut);
      expect({ requete: r.requete, statut: rejoue.statut, corps: rejoue.statut < 300 ? '' : rejoue.corps }).toEqual({ requete: r.requete, statut: expect.any(Number), corps: '' });
      expect((await effet(r.requete)).effet).toBe('complet');
    }
    const nonEnvoyes = () => app.pool.anyFirst(sql.type(z.object({ n: z.string() }))`SELECT cle_idempotence || ' ' || statut AS n FROM notification WHERE statut <> 'envoye'`);
    const limite = Date.now() + 30000;
    while ((await nonEnvoyes()).length > 0 && Date.now() < limite) await pause(500);
    expect(await nonEnvoyes()).toEqual([]);
  }, 90000);
});

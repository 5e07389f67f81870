// The court commands drive the real case workflow on the real Temporal server: a consent
// produces exactly one e-mail with a working identification number, received by a real SMTP
// server; replays change nothing; a case not followed online has no workflow.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from 'slonik';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { configDeTest } from '../aides/config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import { bundleWorkflows, creerWorker } from '../../worker.js';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOSSIER_HISTORIQUES } from '../aides/historiques.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';
import * as tribunal from '../../services/tribunal.js';
import { empreinte, normaliserNumero } from '../../domain/identifiants.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { etatDossierQuery } from '../../workflows/messages.js';
import type { Config } from '../../domain/config.js';
import type { AffaireEntree } from '../../domain/schemas/tribunal.js';

let base: BaseDeTest;
let pool: DatabasePool;
let connection: Connection;
let boites: Boites;
let config: Config;
let ctx: tribunal.ContexteTribunal;
let worker: Awaited<ReturnType<typeof creerWorker>>;
let enCours: Promise<void>;

const PARIS = { juridiction: 'TJ-PARIS', numeroPortalis: 'N7X4-2026-00012' };

function affaire(o: Partial<AffaireEntree> = {}): AffaireEntree {
  return {
    numeroDossier: '26/01234', nature: 'Divorce', etat: 'En cours', dateSaisine: '2026-09-01', suiviEnLigne: true,
    parties: [
      { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', nomUsage: null, prenoms: 'Angela', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: 'angela.dubois@example.fr', telephone: '+33612345678', avocat: null },
      { id: 'P2', role: 'Défendeur', type: 'physique', civilite: 'M.', nom: 'DUBOIS', nomUsage: null, prenoms: 'Paul', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: null, telephone: null, avocat: null },
    ],
    ...o,
  };
}

interface Courriel { subject: string; text: string; to: string[] }

async function courriels(destinataire: string): Promise<Courriel[]> {
  const r = await fetch(`${boites.urlPage.replace(/\/$/, '')}/api/courriels?destinataire=${encodeURIComponent(destinataire)}`);
  return (await r.json()) as Courriel[];
}

async function attendreCourriels(destinataire: string, nombre: number): Promise<Courriel[]> {
  for (let i = 0; i < 100; i++) {
    const c = await courriels(destinataire);
    if (c.length >= nombre) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${nombre} courriel(s) attendu(s) pour ${destinataire}, reçu(s) : ${(await courriels(destinataire)).length}`);
}

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0) });
  config = configDeTest({ DATABASE_URL: base.url, SMTP_URL: boites.smtpUrl, TWILIO_API_URL: boites.twilioApiUrl });
  pool = await creerPool(base.url);
  connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  ctx = { pool, config, temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }) };
  worker = await creerWorker(config);
  enCours = worker.worker.run();
  await tribunal.enregistrerJuridiction(ctx, 'TJ-PARIS', { nom: 'Tribunal judiciaire de Paris', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', telephone: null, courriel: null, latitude: null, longitude: null, horaires: null });
});

afterAll(async () => {
  worker?.worker.shutdown();
  await enCours;
  await worker?.fermer();
  await connection?.close();
  await pool?.end();
  await boites?.arreter();
  await base?.supprimer();
});

describe('case workflow', () => {
  test('a consent e-mails one identification number, exactly once, that matches its stored hash only', async () => {
    const { dossierId, cree } = await tribunal.enregistrerAffaire(ctx, PARIS, affaire());
    expect(cree).toBe(true);
    const c1 = await tribunal.enregistrerConsentement(ctx, PARIS, { partie: 'P1' });
    expect(c1.cree).toBe(true);

    const [courriel] = await attendreCourriels('angela.dubois@example.fr', 1);
    expect(courriel!.subject).toContain('26/01234');
    const numero = courriel!.text.match(/Numéro d'identification : (\S+)/)![1]!;
    expect(numero).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // Only the keyed hash is stored, and it is the number's.
    const hashes = await pool.anyFirst(sql.type(z.object({ hash: z.instanceof(Buffer) }))`SELECT hash FROM identifiant`);
    expect(hashes).toHaveLength(1);
    expect(hashes[0]!.equals(empreinte(config.HASH_KEY, 'identifiant', normaliserNumero(numero)!))).toBe(true);
    // Once sent, the outbox keeps no clear number either.
    const corps = await pool.oneFirst(sql.type(z.object({ corps: z.string() }))`SELECT corps FROM notification WHERE type = 'identifiant'`);
    expect(corps).not.toContain(numero);
    expect(corps).toContain('[masqué après envoi]');

    // The same requests again: same answers, nothing more sent.
    expect(await tribunal.enregistrerAffaire(ctx, PARIS, affaire())).toEqual({ dossierId, cree: false });
    expect(await tribunal.enregistrerConsentement(ctx, PARIS, { partie: 'P1' })).toEqual({ consentementId: c1.consentementId, cree: false });
    const handle = ctx.temporal.workflow.getHandle(idWorkflowDossier(dossierId));
    // Wait until the workflow has handled the replayed signal before counting.
    for (let i = 0; i < 50 && (await handle.query(etatDossierQuery)).notificationsEnvoyees < 1; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await courriels('angela.dubois@example.fr')).toHaveLength(1);
    expect(await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM identifiant`)).toBe(1);
  });

  test('the workflow is findable by NumeroDossier and tracks the état', async () => {
    const { dossierId } = await tribunal.enregistrerAffaire(ctx, PARIS, affaire({ etat: 'Audience fixée' }));
    const handle = ctx.temporal.workflow.getHandle(idWorkflowDossier(dossierId));
    let etat = await handle.query(etatDossierQuery);
    for (let i = 0; i < 50 && etat.etat !== 'Audience fixée'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      etat = await handle.query(etatDossierQuery);
    }
    expect(etat.etat).toBe('Audience fixée');
    const trouves: string[] = [];
    for (let i = 0; i < 50 && trouves.length === 0; i++) {
      for await (const w of ctx.temporal.workflow.list({ query: `NumeroDossier = '26/01234' AND Juridiction = 'TJ-PARIS' AND EtatDossier = 'Audience fixée'` })) trouves.push(w.workflowId);
      if (!trouves.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(trouves).toEqual([idWorkflowDossier(dossierId)]);
    // The id carries no personal data: the opaque uuid only.
    expect(idWorkflowDossier(dossierId)).toMatch(/^dossier-[0-9a-f-]{36}$/);
  });

  test('a representative receives the number for the party they represent', async () => {
    await tribunal.enregistrerConsentement(ctx, PARIS, { partie: 'P2', representant: { civilite: 'Mme', nom: 'BERNARD', prenoms: 'Sophie', courriel: 'sophie.bernard@example.fr', telephone: null } });
    const [c] = await attendreCourriels('sophie.bernard@example.fr', 1);
    expect(c!.text).toContain('pour M. Paul DUBOIS');
  });

  test('an event replayed with another body is a conflict and changes nothing', async () => {
    const e = { id: 'E1', type: 'saisine', date: new Date('2026-09-01T10:00:00+02:00'), libelle: 'Réception de la requête' };
    expect((await tribunal.ajouterEvenement(ctx, PARIS, e)).cree).toBe(true);
    expect((await tribunal.ajouterEvenement(ctx, PARIS, e)).cree).toBe(false);
    await expect(tribunal.ajouterEvenement(ctx, PARIS, { ...e, libelle: 'Autre chose' })).rejects.toMatchObject({ httpStatus: 409 });
    const libelles = await pool.anyFirst(sql.type(z.object({ libelle: z.string() }))`SELECT libelle FROM evenement`);
    expect(libelles).toEqual(['Réception de la requête']);
  });

  test('a document that is not a PDF is refused and nothing is written', async () => {
    const avant = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM evenement`);
    await expect(
      tribunal.ajouterEvenement(ctx, PARIS, { id: 'E2', type: 'avis', date: new Date(), libelle: 'Avis', document: { type: 'avis', titre: 'Avis', destinataires: ['P1'], pdf: Buffer.from('<html>pas un pdf</html>').toString('base64') } }),
    ).rejects.toMatchObject({ httpStatus: 415 });
    await expect(
      tribunal.ajouterEvenement(ctx, PARIS, { id: 'E2', type: 'avis', date: new Date(), libelle: 'Avis', document: { type: 'avis', titre: 'Avis', destinataires: ['P9'], pdf: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') } }),
    ).rejects.toBeInstanceOf(ErreurPortail);
    expect(await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM evenement`)).toBe(avant);
  });

  test('a case not followed online gets no workflow and accepts no consent', async () => {
    const cible = { juridiction: 'TJ-PARIS', numeroPortalis: 'N7X4-2026-00099' };
    const { dossierId } = await tribunal.enregistrerAffaire(ctx, cible, affaire({ numeroDossier: '26/00099', suiviEnLigne: false }));
    await expect(tribunal.enregistrerConsentement(ctx, cible, { partie: 'P1' })).rejects.toMatchObject({ httpStatus: 409, code: 'suivi_impossible' });
    await expect(ctx.temporal.workflow.getHandle(idWorkflowDossier(dossierId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test("the case workflow's history replays deterministically on the current code", async () => {
    const { dossierId } = await tribunal.enregistrerAffaire(ctx, PARIS, affaire());
    const handle = ctx.temporal.workflow.getHandle(idWorkflowDossier(dossierId));
    const historique = await handle.fetchHistory();
    expect(historique.events!.length).toBeGreaterThan(5);
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, historique, handle.workflowId);
    // `ENREGISTRER_HISTORIQUES=1 npm test` refreshes the committed fixture that test/integration/
    // replay.it.test.ts replays, so a change that needs patched() fails CI.
    if (process.env.ENREGISTRER_HISTORIQUES) {
      await writeFile(path.join(DOSSIER_HISTORIQUES, 'dossier-consentements.json'), historyToJSON(historique));
    }
  });

  test('a case of an unknown juridiction is refused', async () => {
    await expect(tribunal.enregistrerAffaire(ctx, { juridiction: 'TJ-NULLEPART', numeroPortalis: 'X-1' }, affaire())).rejects.toMatchObject({ httpStatus: 409, code: 'juridiction_inconnue' });
  });
});

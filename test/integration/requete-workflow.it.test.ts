// The requete workflow on the real Temporal dev server, durations in seconds through the
// configuration: a draft expires counted from its first day (not its last edit) after the two
// warnings; "Envoyer" refuses an incomplete requête naming what is missing; a flaky court intake
// still gets the requête once; a refusal shows `echec` and a resend works without a duplicate;
// the court registers it through the API; closure + REQUETE_RETENTION purges it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { depotPortail, type DepotJuridiction } from '../../activities/requetes.js';
import * as comptes from '../../db/comptes.js';
import * as services from '../../services/requetes.js';
import { idWorkflowRequete } from '../../workflows/ids.js';
import { etatRequeteQuery } from '../../workflows/messages.js';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflows } from '../../worker.js';
import { DOSSIER_HISTORIQUES } from '../aides/historiques.js';
import { attendre } from '../aides/attente.js';

let app: Application;
/** What the court intake saw: one entry per call, with the reference presented. */
const appels: { id: string; reference: string }[] = [];
/** Per requête: how many calls fail as "unavailable" first, or a definitive refusal. */
const pannes = new Map<string, { indisponible?: number; refus?: string }>();

beforeAll(async () => {
  let reel: DepotJuridiction | null = null;
  const depot: DepotJuridiction = {
    async deposer(r) {
      appels.push({ id: r.id, reference: r.reference });
      const p = pannes.get(r.id);
      if (p?.refus) throw ApplicationFailure.nonRetryable(p.refus, 'depot_refuse');
      if (p?.indisponible) {
        p.indisponible--;
        throw new Error('tribunal indisponible (test)');
      }
      await reel!.deposer(r);
    },
  };
  app = await demarrerApplication({ DRAFT_TTL: 'PT14S', DRAFT_WARNINGS: 'PT9S,PT4S', REQUETE_RETENTION: 'PT3S' }, {}, { depot });
  reel = depotPortail(app.pool);
  await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
}, 120000);
afterAll(async () => {
  await app?.arreter();
});

let n = 0;
async function nouveauCompte(): Promise<string> {
  n++;
  const { compte } = await comptes.connecter(app.pool, { iss: 'https://fc.test', sub: `requerant-${n}-${Date.now()}`, given_name: 'Angela', family_name: 'DUBOIS', email: `requerant${n}@example.fr` });
  return compte.id;
}

const ctx = () => ({ pool: app.pool, temporal: app.temporal, config: app.config });


const ligne = (id: string) =>
  app.pool.one(sql.type(z.object({ statut: z.string(), reference: z.string().nullable(), echec_raison: z.string().nullable(), created_at: z.date(), purged_at: z.date().nullable(), purge_motif: z.string().nullable(), expire_le: z.date().nullable(), donnees: z.record(z.unknown()) }))`
    SELECT statut, reference, echec_raison, created_at, purged_at, purge_motif, expire_le, donnees FROM requete WHERE id = ${id}`);

/** A complete "constitution de partie civile" with one attachment. */
async function requeteComplete(compteId: string): Promise<string> {
  const id = await services.commencer(ctx(), compteId, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
  const r = await services.enregistrerChamps(ctx(), compteId, id, { infraction: 'Vol de scooter', dateFaits: '2026-03-02', lieuFaits: 'Paris 17e', prejudice: 'Scooter volé, frais de transport', montant: '1500' });
  expect(r).toEqual({ ok: true });
  expect(await services.ajouterPiece(ctx(), compteId, id, { nom: 'plainte.pdf', octets: PDF_MINIMAL })).toEqual({ ok: true, nom: 'plainte.pdf' });
  return id;
}

const courrielsDe = async (a: string) => (await app.courriels(a)).map((m) => m.subject);

describe('draft expiry (DRAFT_TTL from the first day, warnings before)', () => {
  test('a draft edited later still expires counted from its beginning, after two warnings, leaving a tombstone', async () => {
    const compteId = await nouveauCompte();
    const id = await services.commencer(ctx(), compteId, { juridiction: 'TJ-PARIS', type: 'jaf' });
    const debut = await ligne(id);
    // Seconds-scale TTL: counted from the instant (a calendar TTL runs from the first day's midnight).
    expect(debut.expire_le!.getTime() - debut.created_at.getTime()).toBe(14000);
    await new Promise((r) => setTimeout(r, 6000));
    expect(await services.enregistrerChamps(ctx(), compteId, id, { objet: 'residence', motifs: 'modifié plus tard' })).toEqual({ ok: true });
    await services.ajouterTiers(ctx(), compteId, id, { type: 'physique', nom: 'MARTIN', prenoms: 'Paul' });
    const fin = await attendre(() => ligne(id), (l) => l.statut === 'supprimee', 30000);
    expect(fin.purge_motif).toBe('brouillon_expire');
    // Purged at the expiry fixed at its first moment, not 14 s after the last edit (≥ 20 s).
    expect(fin.purged_at!.getTime()).toBeGreaterThanOrEqual(debut.expire_le!.getTime());
    expect(fin.purged_at!.getTime() - debut.created_at.getTime()).toBeLessThan(19000);
    expect(fin.donnees).toEqual({});
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM tiers WHERE requete_id = ${id}`)).toBe(0);
    const sujets = await courrielsDe(`requerant${n}@example.fr`);
    expect(sujets.filter((s) => s.startsWith('Votre brouillon de requête sera supprimé'))).toHaveLength(2);
    const h = app.temporal.workflow.getHandle(idWorkflowRequete(id));
    // The purge's commit comes before the workflow's end: wait for the end.
    await attendre(async () => (await h.describe()).status.name, (s) => s === 'COMPLETED', 15000);
  }, 60000);
});

describe('sending', () => {
  test('an incomplete requête is refused by the update, each missing field named, and stays a draft', async () => {
    const compteId = await nouveauCompte();
    const id = await services.commencer(ctx(), compteId, { juridiction: 'TJ-PARIS', type: 'protection' });
    await services.enregistrerChamps(ctx(), compteId, id, { mesure: 'curatelle', personneNom: 'DUBOIS' });
    const r = await services.envoyer(ctx(), compteId, id);
    expect(r.acceptee).toBe(false);
    const champs = r.erreurs.map((e) => e.champ);
    expect(champs).toEqual(expect.arrayContaining(['personnePrenoms', 'personneNaissance', 'personneAdresse', 'lien', 'motifs', 'pieces']));
    expect(champs).not.toContain('mesure');
    expect(r.erreurs.find((e) => e.champ === 'pieces')!.message).toMatch(/certificat médical/);
    expect((await ligne(id)).statut).toBe('brouillon');
    // Still editable: the refusal locked nothing.
    expect(await services.enregistrerChamps(ctx(), compteId, id, { mesure: 'tutelle' })).toEqual({ ok: true });
  }, 30000);

  test('a court intake failing twice then accepting gets the requête once; envoyee, acknowledgment e-mailed once', async () => {
    const compteId = await nouveauCompte();
    const id = await requeteComplete(compteId);
    pannes.set(id, { indisponible: 2 });
    const r = await services.envoyer(ctx(), compteId, id);
    expect(r).toEqual({ acceptee: true, erreurs: [] });
    // Read-only as soon as the send is accepted.
    await expect(services.enregistrerChamps(ctx(), compteId, id, { lieuFaits: 'ailleurs' })).rejects.toMatchObject({ httpStatus: 409 });
    const l = await attendre(() => ligne(id), (x) => x.statut === 'envoyee', 40000);
    expect(l.reference).toMatch(/^RQ-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const vus = appels.filter((a) => a.id === id);
    expect(vus).toHaveLength(3);
    expect(new Set(vus.map((v) => v.reference))).toEqual(new Set([l.reference]));
    const accuses = await attendre(() => courrielsDe(`requerant${n}@example.fr`), (s) => s.some((x) => x.startsWith('Accusé de réception')));
    expect(accuses.filter((s) => s.startsWith('Accusé de réception'))).toEqual([`Accusé de réception de votre requête ${l.reference}`]);
    const d = await app.temporal.workflow.getHandle(idWorkflowRequete(id)).describe();
    expect(d.searchAttributes.StatutRequete).toEqual(['envoyee']);
    // Sending again is refused (already transmitted), and nothing more reaches the court.
    expect((await services.envoyer(ctx(), compteId, id)).acceptee).toBe(false);
    expect(appels.filter((a) => a.id === id)).toHaveLength(3);
  }, 60000);

  test('a definitive refusal shows echec with its reason; a resend works, the court sees one requête', async () => {
    const compteId = await nouveauCompte();
    const id = await requeteComplete(compteId);
    pannes.set(id, { refus: 'Le greffe ne reçoit pas ce type de requête en ligne ce jour (test).' });
    expect((await services.envoyer(ctx(), compteId, id)).acceptee).toBe(true);
    const e = await attendre(() => ligne(id), (x) => x.statut === 'echec', 30000);
    expect(e.echec_raison).toBe('Le greffe ne reçoit pas ce type de requête en ligne ce jour (test).');
    await attendre(() => courrielsDe(`requerant${n}@example.fr`), (s) => s.includes('Votre requête n’a pas pu être transmise'));
    // Échec: still the citizen's to change, then to send again.
    expect(await services.enregistrerChamps(ctx(), compteId, id, { infraction: 'Vol de scooter', dateFaits: '2026-03-02', lieuFaits: 'Paris 17e, rue X', prejudice: 'Scooter volé' })).toEqual({ ok: true });
    pannes.delete(id);
    expect((await services.envoyer(ctx(), compteId, id)).acceptee).toBe(true);
    const l = await attendre(() => ligne(id), (x) => x.statut === 'envoyee', 30000);
    expect(l.echec_raison).toBeNull();
    expect(new Set(appels.filter((a) => a.id === id).map((a) => a.reference))).toEqual(new Set([l.reference]));
    const liste = (await (await app.api('GET', '/requetes?statut=envoyee')).json()) as { requetes: { id: string }[] };
    expect(liste.requetes.filter((x) => x.id === id)).toHaveLength(1);
  }, 60000);
});

describe('court side: registration, then retention after the case closes', () => {
  test('the court lists it, registers it through the API (citizen e-mailed), and closure + REQUETE_RETENTION purges it', async () => {
    const compteId = await nouveauCompte();
    const id = await requeteComplete(compteId);
    expect((await services.envoyer(ctx(), compteId, id)).acceptee).toBe(true);
    await attendre(() => ligne(id), (x) => x.statut === 'envoyee', 30000);

    const liste = (await (await app.api('GET', '/requetes')).json()) as { requetes: { id: string; requerant: { nom: string }; pieces: { url: string; sha256: string }[]; donnees: Record<string, string> }[] };
    const vue = liste.requetes.find((x) => x.id === id)!;
    expect(vue.requerant.nom).toBe('DUBOIS');
    expect(vue.donnees.infraction).toBe('Vol de scooter');
    const piece = await app.api('GET', vue.pieces[0]!.url.replace('/api/v1', ''));
    expect(piece.status).toBe(200);
    expect(Buffer.from(await piece.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // Another juridiction's token sees none of it and cannot register it.
    const lyon = (await (await app.api('GET', '/requetes', undefined, { jeton: JETON_LYON })).json()) as { requetes: unknown[] };
    expect(lyon.requetes).toEqual([]);
    expect((await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00777', numeroPortalis: 'RQ-PORT-1' }, { jeton: JETON_LYON })).status).toBe(404);
    expect((await app.api('GET', vue.pieces[0]!.url.replace('/api/v1', ''), undefined, { jeton: JETON_LYON })).status).toBe(404);

    const enr = await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00777', numeroPortalis: 'RQ-PORT-1' });
    expect(enr.status).toBe(200);
    expect(await enr.json()).toEqual({ requete: id, statut: 'enregistree', numeroDossier: '26/00777', numeroPortalis: 'RQ-PORT-1' });
    // Idempotent with the same numbers; other numbers are a conflict.
    expect((await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00777', numeroPortalis: 'RQ-PORT-1' })).status).toBe(200);
    expect((await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00999', numeroPortalis: 'RQ-PORT-9' })).status).toBe(409);
    expect((await ligne(id)).statut).toBe('enregistree');
    const sujets = await attendre(() => courrielsDe(`requerant${n}@example.fr`), (s) => s.some((x) => / a été enregistrée$/.test(x)));
    expect(sujets.filter((x) => / a été enregistrée$/.test(x))).toHaveLength(1);
    const h = app.temporal.workflow.getHandle(idWorkflowRequete(id));
    await attendre(async () => (await h.describe()).searchAttributes.StatutRequete, (v) => JSON.stringify(v) === '["enregistree"]');

    // The case the requête became: pushed, then closed; 3 s later (REQUETE_RETENTION) it is purged.
    expect((await app.api('PUT', '/affaires/RQ-PORT-1', affaireValide({ numeroDossier: '26/00777' }))).status).toBe(200);
    expect((await h.query(etatRequeteQuery)).purgeLe).toBeNull();
    expect((await app.api('POST', '/affaires/RQ-PORT-1/cloture', { date: new Date().toISOString() })).status).toBe(204);
    const fin = await attendre(() => ligne(id), (x) => x.statut === 'supprimee', 30000);
    expect(fin.purge_motif).toBe('conservation_expiree');
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM piece_jointe WHERE requete_id = ${id}`)).toBe(0);
    await attendre(async () => (await h.describe()).status.name, (s) => s === 'COMPLETED', 15000);

    // The whole lifecycle (draft, update, transmission, registration, closure, retention, purge)
    // replays on the current code; `ENREGISTRER_HISTORIQUES=1` refreshes the committed fixture
    // that test/integration/replay.it.test.ts replays, so a change that needs patched() fails CI.
    const historique = await h.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, historique, h.workflowId);
    if (process.env.ENREGISTRER_HISTORIQUES) await writeFile(path.join(DOSSIER_HISTORIQUES, 'requete-cycle-complet.json'), historyToJSON(historique));
  }, 90000);

  test('a reopening before the retention ends cancels the purge', async () => {
    const compteId = await nouveauCompte();
    const id = await requeteComplete(compteId);
    await services.envoyer(ctx(), compteId, id);
    await attendre(() => ligne(id), (x) => x.statut === 'envoyee', 30000);
    expect((await app.api('PUT', '/affaires/RQ-PORT-2', affaireValide({ numeroDossier: '26/00778' }))).status).toBe(200);
    expect((await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00778', numeroPortalis: 'RQ-PORT-2' })).status).toBe(200);
    expect((await app.api('POST', '/affaires/RQ-PORT-2/cloture', { date: new Date().toISOString() })).status).toBe(204);
    expect((await app.api('DELETE', '/affaires/RQ-PORT-2/cloture')).status).toBe(204);
    await new Promise((r) => setTimeout(r, 5000));
    expect((await ligne(id)).statut).toBe('enregistree');
    expect((await app.temporal.workflow.getHandle(idWorkflowRequete(id)).query(etatRequeteQuery)).purgeLe).toBeNull();
  }, 60000);
});

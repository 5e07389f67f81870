// Agents' statistics (issue 8 item 5) on a real database: a small, fully known history of two
// juridictions (accounts, logins in the journal, attachments, alert e-mails and SMS reminders,
// requêtes) is written with explicit instants, some of them at a month boundary where UTC and
// Europe/Paris disagree; the SQL counts per juridiction and month must be exactly the ones derived
// below by hand, one juridiction's figures must never include another's, and the pages must show
// the same numbers (table, SVG, CSV) only to the agents allowed to see them.
//
// Cases, parties, consents, numbers and links go through the db/ functions; accounts, journal
// rows, notifications and requêtes are plain SQL because their writers stamp `now()` and the
// test needs chosen instants.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool, sql } from '../../db/pool.js';
import * as juridictions from '../../db/juridictions.js';
import * as dossiers from '../../db/dossiers.js';
import * as consentements from '../../db/consentements.js';
import * as rattachements from '../../db/rattachements.js';
import { INDICATEURS, statistiquesNationales, statistiquesParJuridiction, type LigneStatistiques } from '../../db/statistiques.js';
import type { AgentConnecte } from '../../domain/agents.js';
import type { JuridictionEntree, PartieEntree } from '../../domain/schemas/tribunal.js';
import { gestionErreurs } from '../../web/middleware/erreurs.js';
import { creerJournal } from '../../web/log.js';
import { pagesStatistiques, routesStatistiques } from '../../web/agent/statistiques.js';

let base: BaseDeTest;
let pool: DatabasePool;
let serveur: Server;
let url: string;
/** The agent the minimal app puts in ctx.state.agent for the next request. */
let agentCourant: AgentConnecte | undefined;

const PARIS = 'TJ-PARIS';
const LYON = 'TJ-LYON';
const NOM_PARIS = 'Tribunal judiciaire de Paris';
const NOM_LYON = 'Tribunal judiciaire de Lyon';
/** Personal data written in the rows: none of it may reach a page or the CSV. */
const PRENOM = 'Angélique';
const COURRIEL = 'angelique.temoin@example.fr';

const MAINTENANT = new Date('2026-03-15T12:00:00Z');

function juridiction(nom: string): JuridictionEntree {
  return { nom, adresse: '1 rue du Palais', telephone: null, courriel: null, latitude: null, longitude: null, horaires: null };
}

function partie(id: string): PartieEntree {
  return {
    id, role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'TEMOIN', nomUsage: null, prenoms: PRENOM, raisonSociale: null,
    formeJuridique: null, titre: null, majeurProtege: false, courriel: COURRIEL, telephone: '+33612345678', avocat: null,
  };
}

async function dossier(code: string): Promise<{ id: string; parties: Map<string, string> }> {
  const r = await dossiers.enregistrerDossier(pool, code, `N-${randomBytes(4).toString('hex')}`, {
    numeroDossier: `26/${randomBytes(2).toString('hex')}`, nature: 'Divorce', etat: 'En cours', dateSaisine: '2026-01-02', suiviEnLigne: true,
  });
  if (r.purge) throw new Error('inattendu');
  await dossiers.remplacerParties(pool, r.dossier.id, [partie('P1'), partie('P2')]);
  const ps = await dossiers.listerParties(pool, r.dossier.id);
  return { id: r.dossier.id, parties: new Map(ps.map((p) => [p.id_tribunal, p.id])) };
}

async function compte(creeLe: string): Promise<string> {
  return pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email, created_at)
    VALUES ('https://fc.test', ${randomBytes(8).toString('hex')}, ${PRENOM}, 'TEMOIN', ${COURRIEL}, ${creeLe}::timestamptz)
    RETURNING id`);
}

/** A link as the add flow makes it: consent → identification number → attachment. */
async function lien(compteId: string, d: { id: string; parties: Map<string, string> }, partieTribunal: string, creeLe: string, detacheLe?: string): Promise<string> {
  const partieId = d.parties.get(partieTribunal)!;
  const { consentement } = await consentements.enregistrerConsentement(pool, d.id, partieId, undefined);
  const identifiantId = await consentements.creerIdentifiant(pool, consentement.id, randomBytes(32), COURRIEL);
  const id = await rattachements.creerRattachement(pool, { compteId, dossierId: d.id, partieId, identifiantId, creeLe: new Date(creeLe) });
  if (detacheLe) await pool.query(sql.unsafe`UPDATE rattachement SET detached_at = ${detacheLe}::timestamptz WHERE id = ${id}`);
  return id!;
}

async function connexion(compteId: string, at: string, action = 'compte.connecter', resultat = 'succes'): Promise<void> {
  await pool.query(sql.unsafe`
    INSERT INTO journal (at, acteur_type, acteur_id, action, objet_type, objet_id, resultat)
    VALUES (${at}::timestamptz, 'citoyen', ${compteId}, ${action}, 'compte', ${compteId}, ${resultat})`);
}

async function notification(o: { type: string; canal?: string; statut: string; dossierId: string | null; creeLe: string; envoyeLe?: string }): Promise<void> {
  await pool.query(sql.unsafe`
    INSERT INTO notification (cle_idempotence, canal, destinataire, dossier_id, type, corps, statut, created_at, sent_at)
    VALUES (${randomBytes(8).toString('hex')}, ${o.canal ?? 'courriel'}, ${COURRIEL}, ${o.dossierId}, ${o.type}, 'corps', ${o.statut},
            ${o.creeLe}::timestamptz, ${o.envoyeLe ?? null}::timestamptz)`);
}

async function requete(o: { compteId: string; juridiction: string; statut: string; creeLe: string; modifieLe?: string; envoyeLe?: string; enregistreLe?: string; purgeLe?: string; motif?: string }): Promise<void> {
  await pool.query(sql.unsafe`
    INSERT INTO requete (compte_id, juridiction, type, statut, created_at, updated_at, sent_at, registered_at, purged_at, purge_motif)
    VALUES (${o.compteId}, ${o.juridiction}, 'divorce', ${o.statut}, ${o.creeLe}::timestamptz, ${o.modifieLe ?? o.creeLe}::timestamptz,
            ${o.envoyeLe ?? null}::timestamptz, ${o.enregistreLe ?? null}::timestamptz, ${o.purgeLe ?? null}::timestamptz, ${o.motif ?? null})`);
}

// ------------------------------------------------------------------------------------------------
// The expected figures, derived by hand from the history written in beforeAll (see comments).

type Attendu = Partial<Record<(typeof INDICATEURS)[number] | 'delai_median_s' | 'delai_p90_s', number | null>>;
const ATTENDU: Record<string, Record<string, Attendu>> = {
  [PARIS]: {
    // A created and first attached to Paris; A's login of the 20th (Paris link live); two alerts
    // sent (one without a case counts only nationally); requêtes R1–R4, three registered after
    // 48 h, 24 h and 96 h: median 48 h, p90 48 + 0.8 × 48 = 86.4 h.
    '2026-01': { comptes_crees: 1, connexions: 1, rattaches: 1, alertes_envoyees: 1, requetes_commencees: 4, requetes_envoyees: 3, requetes_enregistrees: 3, delai_median_s: 48 * 3600, delai_p90_s: 86.4 * 3600 },
    // B's Paris link; A's login of the 10th and B's of the 21st; one definitive alert failure.
    '2026-02': { connexions: 2, rattaches: 1, alertes_echec: 1 },
    // Both Paris links detached (one at 23:30 UTC on 28 Feb = 1 March in Paris); a reminder failed.
    '2026-03': { detaches: 2, rappels_echec: 1 },
  },
  [LYON]: {
    '2026-01': {},
    // B created at 23:30 UTC on 31 January (February in Paris), first attached to Lyon; A's and
    // B's Lyon links; logins of A (10th) and B (21st); R5–R8 begun, R5 failed, R7 sent.
    '2026-02': { comptes_crees: 1, connexions: 2, rattaches: 2, alertes_envoyees: 1, requetes_commencees: 4, requetes_echec: 1, requetes_envoyees: 1 },
    // A's login of the 10th (Paris link gone); a reminder sent; R6's draft expired (R8, deleted
    // by its citizen the same month, is not an expiry).
    '2026-03': { connexions: 1, rappels_envoyes: 1, requetes_expirees: 1 },
  },
  NATIONAL: {
    // A and C (never attached); A's creation login and A's login of the 20th; both alerts.
    '2026-01': { comptes_crees: 2, connexions: 2, rattaches: 1, alertes_envoyees: 2, requetes_commencees: 4, requetes_envoyees: 3, requetes_enregistrees: 3, delai_median_s: 48 * 3600, delai_p90_s: 86.4 * 3600 },
    // B; logins: A (10th, counted once though it counts for both courts), B's creation, B (21st).
    '2026-02': { comptes_crees: 1, connexions: 3, rattaches: 3, alertes_envoyees: 1, alertes_echec: 1, requetes_commencees: 4, requetes_echec: 1, requetes_envoyees: 1 },
    '2026-03': { connexions: 1, detaches: 2, rappels_envoyes: 1, rappels_echec: 1, requetes_expirees: 1 },
  },
};

function ligneAttendue(juridictionCode: string | null, mois: string): Record<string, number | null> {
  const a = ATTENDU[juridictionCode ?? 'NATIONAL']![mois] ?? {};
  const r: Record<string, number | null> = {};
  for (const i of INDICATEURS) r[i] = a[i] ?? 0;
  r.delai_median_s = a.delai_median_s ?? null;
  r.delai_p90_s = a.delai_p90_s ?? null;
  return r;
}

function chiffres(l: LigneStatistiques): Record<string, number | null> {
  const r: Record<string, number | null> = {};
  for (const i of INDICATEURS) r[i] = l[i];
  r.delai_median_s = l.delai_median_s === null ? null : Math.round(l.delai_median_s);
  r.delai_p90_s = l.delai_p90_s === null ? null : Math.round(l.delai_p90_s);
  return r;
}

// ------------------------------------------------------------------------------------------------

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  pool = await creerPool(base.url, { taille: 2 });
  await juridictions.enregistrerJuridiction(pool, PARIS, juridiction(NOM_PARIS));
  await juridictions.enregistrerJuridiction(pool, LYON, juridiction(NOM_LYON));
  const d1 = await dossier(PARIS);
  const d2 = await dossier(PARIS);
  const d3 = await dossier(LYON);

  const a = await compte('2026-01-10T08:00:00Z');
  const b = await compte('2026-01-31T23:30:00Z'); // 1 February 00:30 in Paris
  const c = await compte('2026-01-15T09:00:00Z'); // never attached: national only
  void c;

  await lien(a, d1, 'P1', '2026-01-10T12:00:00Z', '2026-03-02T09:00:00Z');
  await lien(a, d3, 'P1', '2026-02-05T12:00:00Z');
  await lien(b, d3, 'P2', '2026-02-01T10:00:00Z');
  await lien(b, d2, 'P1', '2026-02-20T10:00:00Z', '2026-02-28T23:30:00Z'); // 1 March 00:30 in Paris

  await connexion(a, '2026-01-10T08:00:00Z', 'compte.creer'); // no link yet: national only
  await connexion(a, '2026-01-20T10:00:00Z'); // Paris
  await connexion(a, '2026-02-10T10:00:00Z'); // Paris and Lyon
  await connexion(a, '2026-03-10T10:00:00Z'); // Lyon only
  await connexion(b, '2026-01-31T23:30:00Z', 'compte.creer'); // February, national only
  await connexion(b, '2026-02-21T10:00:00Z'); // Lyon and Paris
  await connexion(b, '2026-02-22T10:00:00Z', 'alertes.activer'); // not a login
  await connexion(b, '2026-02-23T10:00:00Z', 'compte.connecter', 'refus'); // not a success

  await notification({ type: 'alerte', statut: 'envoye', dossierId: d1.id, creeLe: '2026-01-25T09:00:00Z', envoyeLe: '2026-01-25T09:05:00Z' });
  await notification({ type: 'alerte', statut: 'envoye', dossierId: null, creeLe: '2026-01-26T09:00:00Z', envoyeLe: '2026-01-26T09:05:00Z' });
  await notification({ type: 'alerte', statut: 'echec_definitif', dossierId: d1.id, creeLe: '2026-02-03T09:00:00Z' });
  await notification({ type: 'alerte', statut: 'envoye', dossierId: d3.id, creeLe: '2026-02-15T09:00:00Z', envoyeLe: '2026-02-15T09:05:00Z' });
  await notification({ type: 'alerte', statut: 'en_attente', dossierId: d3.id, creeLe: '2026-02-16T09:00:00Z' });
  await notification({ type: 'alerte', statut: 'echec_temporaire', dossierId: d3.id, creeLe: '2026-02-17T09:00:00Z' });
  await notification({ type: 'rappel', canal: 'sms', statut: 'envoye', dossierId: d3.id, creeLe: '2026-03-05T07:00:00Z', envoyeLe: '2026-03-05T07:01:00Z' });
  await notification({ type: 'rappel', canal: 'sms', statut: 'echec_definitif', dossierId: d2.id, creeLe: '2026-03-06T07:00:00Z' });
  await notification({ type: 'code_sms', canal: 'sms', statut: 'envoye', dossierId: d1.id, creeLe: '2026-01-10T11:00:00Z', envoyeLe: '2026-01-10T11:00:01Z' });

  await requete({ compteId: a, juridiction: PARIS, statut: 'brouillon', creeLe: '2026-01-05T10:00:00Z' });
  await requete({ compteId: a, juridiction: PARIS, statut: 'enregistree', creeLe: '2026-01-06T10:00:00Z', envoyeLe: '2026-01-07T10:00:00Z', enregistreLe: '2026-01-09T10:00:00Z' });
  await requete({ compteId: a, juridiction: PARIS, statut: 'enregistree', creeLe: '2026-01-10T10:00:00Z', envoyeLe: '2026-01-10T10:00:00Z', enregistreLe: '2026-01-11T10:00:00Z' });
  await requete({ compteId: a, juridiction: PARIS, statut: 'enregistree', creeLe: '2026-01-20T09:00:00Z', envoyeLe: '2026-01-20T10:00:00Z', enregistreLe: '2026-01-24T10:00:00Z' });
  await requete({ compteId: b, juridiction: LYON, statut: 'echec', creeLe: '2026-02-01T10:00:00Z', modifieLe: '2026-02-02T10:00:00Z' });
  await requete({ compteId: b, juridiction: LYON, statut: 'supprimee', creeLe: '2026-02-05T10:00:00Z', purgeLe: '2026-03-08T02:00:00Z', motif: 'brouillon_expire' });
  await requete({ compteId: b, juridiction: LYON, statut: 'envoyee', creeLe: '2026-02-10T10:00:00Z', envoyeLe: '2026-02-11T10:00:00Z' });
  // R8: a draft its citizen deleted, purged in March like R6 but not an expiry.
  await requete({ compteId: b, juridiction: LYON, statut: 'supprimee', creeLe: '2026-02-12T10:00:00Z', purgeLe: '2026-03-09T10:00:00Z', motif: 'supprimee_par_le_demandeur' });

  // The minimal app: the real agent middleware (OIDC session → AgentConnecte) is covered by the
  // agent authorization-matrix test; here the agent is set directly, before the handlers.
  const app = new Koa();
  app.use(gestionErreurs(creerJournal('test', 'silent')));
  app.use(async (ctx, next) => {
    ctx.state.agent = agentCourant;
    await next();
  });
  const router = new Router();
  const h = pagesStatistiques({ pool, maintenant: () => MAINTENANT });
  router.get('/agent/statistiques', h.page);
  router.get('/agent/statistiques.csv', h.csv);
  app.use(router.routes());
  serveur = app.listen(0, '127.0.0.1');
  await new Promise((r) => serveur.once('listening', r));
  url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => serveur?.close(r));
  await pool?.end();
  await base?.supprimer();
});

const PERIODE = { du: '2026-01', au: '2026-03' };

describe('SQL statistics', () => {
  test('per juridiction and month, every figure is the one derived from the history', async () => {
    const lignes = await statistiquesParJuridiction(pool, PERIODE, null);
    expect(lignes.map((l) => `${l.juridiction} ${l.mois}`)).toEqual([
      `${LYON} 2026-01`, `${LYON} 2026-02`, `${LYON} 2026-03`, `${PARIS} 2026-01`, `${PARIS} 2026-02`, `${PARIS} 2026-03`,
    ]);
    for (const l of lignes) expect({ ou: `${l.juridiction} ${l.mois}`, ...chiffres(l) }).toEqual({ ou: `${l.juridiction} ${l.mois}`, ...ligneAttendue(l.juridiction, l.mois) });
  });

  test('national figures count every account and each login once', async () => {
    const lignes = await statistiquesNationales(pool, PERIODE);
    expect(lignes.map((l) => l.mois)).toEqual(['2026-01', '2026-02', '2026-03']);
    for (const l of lignes) {
      expect(l.juridiction).toBeNull();
      expect({ mois: l.mois, ...chiffres(l) }).toEqual({ mois: l.mois, ...ligneAttendue(null, l.mois) });
    }
  });

  test('asking for one juridiction gives exactly its rows, unchanged by the others', async () => {
    const toutes = await statistiquesParJuridiction(pool, PERIODE, null);
    const lyon = await statistiquesParJuridiction(pool, PERIODE, [LYON]);
    expect(lyon.every((l) => l.juridiction === LYON)).toBe(true);
    expect(lyon).toEqual(toutes.filter((l) => l.juridiction === LYON));
    const paris = await statistiquesParJuridiction(pool, PERIODE, [PARIS]);
    expect(paris).toEqual(toutes.filter((l) => l.juridiction === PARIS));
  });

  test('months outside the period and an empty period give zeros, not other months', async () => {
    const lignes = await statistiquesParJuridiction(pool, { du: '2026-02', au: '2026-02' }, [PARIS]);
    expect(lignes).toHaveLength(1);
    expect(chiffres(lignes[0]!)).toEqual(ligneAttendue(PARIS, '2026-02'));
    const vide = await statistiquesNationales(pool, { du: '2025-06', au: '2025-07' });
    expect(vide.map(chiffres)).toEqual([ligneAttendue('NATIONAL', '2025-06'), ligneAttendue('NATIONAL', '2025-07')]);
  });

  test('the rows carry only juridiction, month and figures', async () => {
    const [l] = await statistiquesParJuridiction(pool, PERIODE, [PARIS]);
    expect(Object.keys(l!).sort()).toEqual(['delai_median_s', 'delai_p90_s', 'juridiction', 'mois', 'nom', ...INDICATEURS].sort());
  });
});

// ------------------------------------------------------------------------------------------------
// Pages

const role = (r: AgentConnecte['roles'][number]['role'], juridiction: string | null) => ({ role: r, juridiction, debut: null, fin: null });
const agent = (roles: AgentConnecte['roles']): AgentConnecte => ({ id: randomBytes(8).toString('hex'), courriel: 'agent@justice.fr', nom: 'AGENT', prenom: 'Test', roles });
const DIRECTEUR_LYON = agent([role('directeur_greffe', LYON)]);
const NATIONAL = agent([role('statistiques_national', null)]);
const GREFFE_PARIS = agent([role('agent_greffe', PARIS)]);

async function obtenir(qui: AgentConnecte | undefined, chemin: string): Promise<{ statut: number; corps: string; entetes: Headers }> {
  agentCourant = qui;
  const r = await fetch(`${url}${chemin}`);
  return { statut: r.status, corps: await r.text(), entetes: r.headers };
}

/** The number in the cell of `indicateur` on the row of `mois` (or 'total') of a monthly table. */
function cellule(fragment: string, mois: string, indicateur: string): number {
  const ligne = fragment.match(new RegExp(`<tr data-mois="${mois}">([\\s\\S]*?)</tr>`))?.[1];
  if (!ligne) throw new Error(`ligne ${mois} absente`);
  const v = ligne.match(new RegExp(`<td data-indicateur="${indicateur}">([^<]*)</td>`))?.[1];
  if (v === undefined) throw new Error(`colonne ${indicateur} absente`);
  return Number(v.replace(/\s/g, ''));
}

describe('statistics page', () => {
  test("a head of registry sees their juridiction's figures in the table and the charts, nothing of another", async () => {
    const r = await obtenir(DIRECTEUR_LYON, '/agent/statistiques?du=2026-01&au=2026-03');
    expect(r.statut).toBe(200);
    expect(r.corps).toContain(NOM_LYON);
    expect(r.corps).not.toContain(NOM_PARIS);
    expect(r.corps).not.toContain(PARIS);
    for (const mois of ['2026-01', '2026-02', '2026-03']) {
      for (const i of INDICATEURS) expect({ mois, i, v: cellule(r.corps, mois, i) }).toEqual({ mois, i, v: ligneAttendue(LYON, mois)[i] });
    }
    expect(cellule(r.corps, 'total', 'connexions')).toBe(3);
    // Charts: accessible SVG, no inline style the CSP would block, bars titled with their value.
    const svgs = r.corps.match(/<svg[^>]*role="img"[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(4);
    for (const s of svgs) {
      expect(s).toMatch(/^<svg[^>]*role="img"[^>]*aria-labelledby="([^" ]+) ([^"]+)"/);
      const [, t, d] = s.match(/aria-labelledby="([^" ]+) ([^"]+)"/)!;
      expect(s).toContain(`<title id="${t}">`);
      expect(s).toContain(`<desc id="${d}">`);
    }
    expect(svgs[0]).toContain('<title id="juridiction-1-graphique-1-titre">Comptes créés et connexions');
    expect(svgs[0]).toContain('Connexions, février 2026 : 2</title>');
    expect(r.corps).not.toMatch(/\sstyle=/);
    expect(r.corps).not.toMatch(/<script(?![^>]*\ssrc=)/);
    // The table is described and its headers scoped.
    expect(r.corps).toContain('<caption>Tribunal judiciaire de Lyon (TJ-LYON) : indicateurs par mois, de janvier 2026 à mars 2026</caption>');
    expect(r.corps).toContain('<th scope="row">février 2026</th>');
    expect(r.corps).toContain('<th scope="col">Connexions</th>');
    expect(r.corps).not.toContain(PRENOM);
    expect(r.corps).not.toContain(COURRIEL);
  });

  test('the national role sees the national view and the breakdown, and can narrow to one juridiction', async () => {
    const r = await obtenir(NATIONAL, '/agent/statistiques?du=2026-01&au=2026-03');
    expect(r.statut).toBe(200);
    const national = r.corps.slice(r.corps.indexOf('id="national"'), r.corps.indexOf('id="repartition"'));
    for (const mois of ['2026-01', '2026-02', '2026-03']) {
      for (const i of INDICATEURS) expect({ mois, i, v: cellule(national, mois, i) }).toEqual({ mois, i, v: ligneAttendue(null, mois)[i] });
    }
    expect(national).toContain('<td>2,0 j</td><td>3,6 j</td>'); // January's median and p90 delays
    const repartition = r.corps.slice(r.corps.indexOf('id="repartition"'));
    const total = (code: string, i: string) => Number(repartition.match(new RegExp(`<tr data-juridiction="${code}">[\\s\\S]*?<td data-indicateur="${i}">([^<]*)</td>`))![1]!.replace(/\s/g, ''));
    expect(total(PARIS, 'connexions')).toBe(3);
    expect(total(LYON, 'connexions')).toBe(3);
    expect(total(PARIS, 'detaches')).toBe(2);
    expect(total(LYON, 'detaches')).toBe(0);
    expect(total(PARIS, 'requetes_enregistrees')).toBe(3);
    expect(r.corps).not.toContain(PRENOM);

    const p = await obtenir(NATIONAL, `/agent/statistiques?juridiction=${PARIS}&du=2026-01&au=2026-03`);
    expect(p.statut).toBe(200);
    expect(p.corps).not.toContain('id="national"');
    expect(cellule(p.corps, '2026-03', 'detaches')).toBe(2);
    expect(p.corps).toContain('<option value="TJ-PARIS" selected>');
  });

  test('without a period the last twelve months up to the current one (Paris) are shown', async () => {
    const r = await obtenir(DIRECTEUR_LYON, '/agent/statistiques');
    expect(r.statut).toBe(200);
    expect(r.corps).toContain('d’avril 2025 à mars 2026');
    expect(r.corps.match(/<tr data-mois="\d{4}-\d{2}">/g)).toHaveLength(12);
    expect(cellule(r.corps, '2026-02', 'rattaches')).toBe(2);
  });

  test("a head of registry of Lyon cannot see Paris (403, no figures); a clerk sees no statistics; no agent is 401", async () => {
    const r = await obtenir(DIRECTEUR_LYON, `/agent/statistiques?juridiction=${PARIS}`);
    expect(r.statut).toBe(403);
    expect(r.corps).toContain('Accès refusé');
    expect(r.corps).not.toContain(NOM_PARIS);
    expect(r.corps).not.toContain('data-indicateur');
    expect((await obtenir(DIRECTEUR_LYON, `/agent/statistiques.csv?juridiction=${PARIS}`)).statut).toBe(403);
    expect((await obtenir(DIRECTEUR_LYON, '/agent/statistiques?juridiction=TJ-INCONNU')).statut).toBe(403);
    expect((await obtenir(GREFFE_PARIS, '/agent/statistiques')).statut).toBe(403);
    expect((await obtenir(GREFFE_PARIS, '/agent/statistiques.csv')).statut).toBe(403);
    expect((await obtenir(undefined, '/agent/statistiques')).statut).toBe(401);
    // A national agent asking for a code that does not exist: 404, not an empty table.
    expect((await obtenir(NATIONAL, '/agent/statistiques?juridiction=TJ-INCONNU')).statut).toBe(404);
  });

  test('bad query parameters answer 400 with French messages', async () => {
    const a = await obtenir(DIRECTEUR_LYON, '/agent/statistiques?du=2026-13');
    expect(a.statut).toBe(400);
    expect(a.corps).toContain('Premier mois : mois au format AAAA-MM attendu');
    const b = await obtenir(DIRECTEUR_LYON, '/agent/statistiques?du=2026-03&au=2026-01');
    expect(b.statut).toBe(400);
    expect(b.corps).toContain('Dernier mois : le dernier mois précède le premier');
    const c = await obtenir(NATIONAL, '/agent/statistiques?du=2020-01&au=2026-01');
    expect(c.statut).toBe(400);
    expect(c.corps).toContain('36 mois au plus');
    const d = await obtenir(NATIONAL, '/agent/statistiques.csv?juridiction=paris%20!');
    expect(d.statut).toBe(400);
    expect(d.corps).toContain('Juridiction : code de juridiction');
  });

  test('every consultation is written to the journal with the role and the scope', async () => {
    const avant = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM journal WHERE action LIKE 'statistiques.%'`);
    await obtenir(DIRECTEUR_LYON, '/agent/statistiques?du=2026-01&au=2026-03');
    const l = await pool.one(sql.type(z.object({ acteur_id: z.string(), role: z.string(), juridiction: z.string().nullable(), action: z.string() }))`
      SELECT acteur_id, role, juridiction, action FROM journal WHERE action LIKE 'statistiques.%' ORDER BY id DESC LIMIT 1`);
    expect(l).toEqual({ acteur_id: DIRECTEUR_LYON.id, role: 'directeur_greffe', juridiction: LYON, action: 'statistiques.consulter' });
    expect(await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM journal WHERE action LIKE 'statistiques.%'`)).toBe(avant + 1);
  });
});

describe('CSV export', () => {
  test('a UTF-8 file with BOM, a French header row, ";" separators, as an attachment', async () => {
    const r = await obtenir(DIRECTEUR_LYON, '/agent/statistiques.csv?du=2026-01&au=2026-03');
    expect(r.statut).toBe(200);
    expect(r.entetes.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.entetes.get('content-disposition')).toBe('attachment; filename="statistiques-2026-01-2026-03.csv"');
    // fetch's text() strips a leading BOM; read the bytes.
    agentCourant = DIRECTEUR_LYON;
    const octets = Buffer.from(await (await fetch(`${url}/agent/statistiques.csv?du=2026-01&au=2026-03`)).arrayBuffer());
    expect([...octets.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lignes = octets.subarray(3).toString('utf8').trimEnd().split('\r\n').map((l) => l.split(';'));
    expect(lignes[0]!.slice(0, 5)).toEqual(['Code juridiction', 'Juridiction', 'Mois', 'Comptes créés', 'Connexions']);
    expect(lignes[0]).toHaveLength(3 + INDICATEURS.length + 2);
    expect(lignes).toHaveLength(4);
    const fevrier = lignes.find((l) => l[2] === '2026-02')!;
    expect(fevrier.slice(0, 3)).toEqual([LYON, NOM_LYON, '2026-02']);
    INDICATEURS.forEach((i, k) => expect({ i, v: Number(fevrier[3 + k]) }).toEqual({ i, v: ligneAttendue(LYON, '2026-02')[i] }));
    expect(lignes.some((l) => l[0] === PARIS)).toBe(false);
  });

  test('the national export has national rows then one row per juridiction and month, delays in hours', async () => {
    agentCourant = NATIONAL;
    const octets = Buffer.from(await (await fetch(`${url}/agent/statistiques.csv?du=2026-01&au=2026-03`)).arrayBuffer());
    const texte = octets.subarray(3).toString('utf8');
    expect(texte).not.toContain(PRENOM);
    expect(texte).not.toContain(COURRIEL);
    const lignes = texte.trimEnd().split('\r\n').map((l) => l.split(';'));
    expect(lignes.map((l) => `${l[0]}|${l[2]}`).slice(1)).toEqual([
      '|2026-01', '|2026-02', '|2026-03',
      `${LYON}|2026-01`, `${LYON}|2026-02`, `${LYON}|2026-03`, `${PARIS}|2026-01`, `${PARIS}|2026-02`, `${PARIS}|2026-03`,
    ]);
    expect(lignes[1]![1]).toBe('Ensemble des juridictions');
    expect(lignes[1]!.slice(-2)).toEqual(['48,00', '86,40']);
    expect(lignes[2]!.slice(-2)).toEqual(['', '']);
  });
});

describe('routes', () => {
  test('both pages are declared for the agent access level, with the statistics action', () => {
    const routes = routesStatistiques({ pool });
    expect(routes.map((r) => [r.methode, r.chemin, r.acces, r.action])).toEqual([
      ['GET', '/agent/statistiques', 'agent', 'statistiques'],
      ['GET', '/agent/statistiques.csv', 'agent', 'statistiques'],
    ]);
  });
});

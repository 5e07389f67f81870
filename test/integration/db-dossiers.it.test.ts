// The query modules for juridictions and cases on a real database: every court write is
// idempotent, a replayed event with another body is a conflict, a purged case stays purged, and
// rows come back with JS types (Date, number, 'YYYY-MM-DD').
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { NotNullIntegrityConstraintViolationError, SchemaValidationError, UniqueIntegrityConstraintViolationError, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool, sql } from '../../db/pool.js';
import * as juridictions from '../../db/juridictions.js';
import * as dossiers from '../../db/dossiers.js';
import type { AffaireEntree, JuridictionEntree, PartieEntree } from '../../domain/schemas/tribunal.js';

let base: BaseDeTest;
let pool: DatabasePool;

beforeAll(async () => {
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  pool = await creerPool(base.url, { taille: 2 });
});

afterAll(async () => {
  await pool?.end();
  await base?.supprimer();
});

const PARIS: JuridictionEntree = {
  nom: 'Tribunal judiciaire de Paris', adresse: 'Parvis du Tribunal de Paris, 75859 Paris Cedex 17', telephone: '01 44 32 51 51',
  courriel: 'sauj.tj-paris@justice.fr', latitude: 48.8951, longitude: 2.3146, horaires: null,
};

function partie(id: string, surcharges: Partial<PartieEntree> = {}): PartieEntree {
  return {
    id, role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', nomUsage: null, prenoms: 'Angela', raisonSociale: null,
    formeJuridique: null, titre: null, majeurProtege: false, courriel: 'angela.dubois@example.fr', telephone: '+33612345678', avocat: null,
    ...surcharges,
  };
}

const AFFAIRE: Omit<AffaireEntree, 'parties'> = {
  numeroDossier: '26/01234', nature: 'Divorce par consentement mutuel judiciaire', etat: 'En cours', dateSaisine: '2026-03-29', suiviEnLigne: true,
};

async function nouvelleJuridiction(): Promise<string> {
  const code = `TJ-${randomBytes(3).toString('hex').toUpperCase()}`;
  await juridictions.enregistrerJuridiction(pool, code, PARIS);
  return code;
}

async function nouveauDossier(): Promise<dossiers.Dossier> {
  const r = await dossiers.enregistrerDossier(pool, await nouvelleJuridiction(), `N7X4-${randomBytes(4).toString('hex')}`, AFFAIRE);
  if (r.purge) throw new Error('inattendu');
  return r.dossier;
}

describe('juridictions', () => {
  test('upsert is idempotent and reports what changed', async () => {
    const code = `TJ-${randomBytes(3).toString('hex').toUpperCase()}`;
    const a = await juridictions.enregistrerJuridiction(pool, code, PARIS);
    expect(a).toMatchObject({ cree: true, modifie: true, juridiction: { code, nom: PARIS.nom, latitude: 48.8951, horaires: null } });
    expect(a.juridiction.created_at).toBeInstanceOf(Date);

    const b = await juridictions.enregistrerJuridiction(pool, code, PARIS);
    expect(b).toMatchObject({ cree: false, modifie: false });
    expect(b.juridiction).toEqual(a.juridiction);

    const c = await juridictions.enregistrerJuridiction(pool, code, { ...PARIS, horaires: 'Du lundi au vendredi, de 9 h à 17 h' });
    expect(c).toMatchObject({ cree: false, modifie: true, juridiction: { horaires: 'Du lundi au vendredi, de 9 h à 17 h' } });
    expect(c.juridiction.updated_at.getTime()).toBeGreaterThanOrEqual(a.juridiction.updated_at.getTime());

    expect(await juridictions.obtenirJuridiction(pool, code)).toEqual(c.juridiction);
    expect(await juridictions.obtenirJuridiction(pool, 'TJ-ABSENT')).toBeNull();
  });

  test('the list is sorted by name ignoring accents', async () => {
    await juridictions.enregistrerJuridiction(pool, 'ZZ-EVRY', { ...PARIS, nom: 'Évry-Courcouronnes (tribunal judiciaire)' });
    await juridictions.enregistrerJuridiction(pool, 'ZZ-FONTAINEBLEAU', { ...PARIS, nom: 'Fontainebleau (tribunal judiciaire)' });
    const noms = (await juridictions.listerJuridictions(pool)).map((j) => j.nom).filter((n) => /Évry|Fontainebleau/.test(n));
    expect(noms).toEqual(['Évry-Courcouronnes (tribunal judiciaire)', 'Fontainebleau (tribunal judiciaire)']);
  });
});

describe('dossiers', () => {
  test('upsert by (juridiction, Portalis number) is idempotent, and a change bumps the version', async () => {
    const code = await nouvelleJuridiction();
    const a = await dossiers.enregistrerDossier(pool, code, 'N7X4-2026-00012', AFFAIRE);
    if (a.purge) throw new Error('inattendu');
    expect(a).toMatchObject({ cree: true, modifie: true, dossier: { juridiction: code, numero_portalis: 'N7X4-2026-00012', version: 1 } });

    const b = await dossiers.enregistrerDossier(pool, code, 'N7X4-2026-00012', AFFAIRE);
    expect(b).toEqual({ purge: false, cree: false, modifie: false, dossier: a.dossier });

    const c = await dossiers.enregistrerDossier(pool, code, 'N7X4-2026-00012', { ...AFFAIRE, etat: 'Audience fixée' });
    if (c.purge) throw new Error('inattendu');
    expect(c).toMatchObject({ cree: false, modifie: true, dossier: { id: a.dossier.id, etat: 'Audience fixée', version: 2 } });
    expect(await dossiers.compterDossiers(pool, { juridiction: code })).toBe(1);
  });

  test('the same Portalis number in two juridictions is two cases', async () => {
    const r1 = await dossiers.enregistrerDossier(pool, await nouvelleJuridiction(), 'MEME-NUMERO', AFFAIRE);
    const r2 = await dossiers.enregistrerDossier(pool, await nouvelleJuridiction(), 'MEME-NUMERO', AFFAIRE);
    if (r1.purge || r2.purge) throw new Error('inattendu');
    expect(r1.dossier.id).not.toBe(r2.dossier.id);
    expect(r2.cree).toBe(true);
  });

  test('rows come back with JS types: Date for instants, number for counts, YYYY-MM-DD for days', async () => {
    const d = await nouveauDossier();
    expect(d.created_at).toBeInstanceOf(Date);
    expect(d.updated_at).toBeInstanceOf(Date);
    expect(Math.abs(d.created_at.getTime() - Date.now())).toBeLessThan(60_000);
    // 2026-03-29 is a DST change in Paris: a Date would risk landing on the 28th.
    expect(d.date_saisine).toBe('2026-03-29');
    expect(d.date_cloture).toBeNull();
    const n = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM dossier`);
    expect(typeof n).toBe('number');
    const brut = await pool.one(sql.unsafe`SELECT now() AS maintenant, now()::timestamp AS sans_fuseau, 2::int8 AS grand, 1.5::numeric AS decimal, '2026-10-25'::date AS jour`);
    expect(brut.maintenant).toBeInstanceOf(Date);
    expect(brut.sans_fuseau).toBeInstanceOf(Date);
    expect(brut.grand).toBe(2);
    expect(brut.decimal).toBe(1.5);
    expect(brut.jour).toBe('2026-10-25');
  });

  test('a row that does not match its schema is refused (sql.type validates)', async () => {
    await expect(pool.one(sql.type(z.object({ n: z.string() }))`SELECT 1 AS n`)).rejects.toBeInstanceOf(SchemaValidationError);
  });

  test("database errors reach the caller as slonik's own classes", async () => {
    const d = await nouveauDossier();
    await expect(pool.query(sql.unsafe`
      INSERT INTO dossier (juridiction, numero_portalis, numero_dossier, nature, etat, date_saisine, suivi_en_ligne)
      VALUES (${d.juridiction}, ${d.numero_portalis}, 'x', 'x', 'x', '2026-01-01', true)`)).rejects.toBeInstanceOf(UniqueIntegrityConstraintViolationError);
    await expect(pool.query(sql.unsafe`UPDATE dossier SET date_saisine = NULL WHERE id = ${d.id}`)).rejects.toBeInstanceOf(NotNullIntegrityConstraintViolationError);
  });

  test('closing and reopening are idempotent', async () => {
    const d = await nouveauDossier();
    const date = new Date('2026-10-25T01:30:00.123Z');
    expect(await dossiers.cloturerDossier(pool, d.id, date)).toBe(true);
    expect(await dossiers.cloturerDossier(pool, d.id, date)).toBe(false);
    const clos = await dossiers.obtenirDossier(pool, d.id);
    expect(clos?.date_cloture).toEqual(date);
    expect(clos?.version).toBe(2);
    expect(await dossiers.rouvrirDossier(pool, d.id)).toBe(true);
    expect(await dossiers.rouvrirDossier(pool, d.id)).toBe(false);
    expect((await dossiers.obtenirDossier(pool, d.id))?.date_cloture).toBeNull();
  });

  test('a purged case leaves a tombstone, takes its notifications along, and is never recreated', async () => {
    const d = await nouveauDossier();
    await dossiers.remplacerParties(pool, d.id, [partie('P1')]);
    await pool.query(sql.unsafe`
      INSERT INTO notification (cle_idempotence, canal, destinataire, dossier_id, type, corps)
      VALUES (${`alerte-${d.id}`}, 'courriel', 'angela.dubois@example.fr', ${d.id}, 'alerte', 'Votre dossier a été mis à jour')`);
    await dossiers.cloturerDossier(pool, d.id, new Date('2025-01-01T10:00:00Z'));

    expect(await dossiers.purgerDossier(pool, d.id)).toBe(true);
    expect(await dossiers.purgerDossier(pool, d.id)).toBe(false);
    expect(await dossiers.obtenirDossier(pool, d.id)).toBeNull();
    expect(await pool.exists(sql.unsafe`SELECT 1 FROM notification WHERE cle_idempotence = ${`alerte-${d.id}`}`)).toBe(false);
    expect(await dossiers.estPurge(pool, d.juridiction, d.numero_portalis)).toBe(true);

    expect(await dossiers.enregistrerDossier(pool, d.juridiction, d.numero_portalis, AFFAIRE)).toEqual({ purge: true });
    expect(await dossiers.trouverDossier(pool, d.juridiction, d.numero_portalis)).toBeNull();
  });
});

describe('parties', () => {
  test('replacing with the same list changes nothing', async () => {
    const d = await nouveauDossier();
    const liste = [partie('P1'), partie('P2', { role: 'Défendeur', civilite: 'M.', prenoms: 'Paul', courriel: null })];
    expect(await dossiers.remplacerParties(pool, d.id, liste)).toEqual({ creees: 2, modifiees: 0, supprimees: 0, retirees: 0, modifie: true });
    expect(await dossiers.remplacerParties(pool, d.id, liste)).toEqual({ creees: 0, modifiees: 0, supprimees: 0, retirees: 0, modifie: false });
    const parties = await dossiers.listerParties(pool, d.id);
    expect(parties.map((p) => [p.id_tribunal, p.role, p.courriel, p.majeur_protege])).toEqual([
      ['P1', 'Demandeur', 'angela.dubois@example.fr', false],
      ['P2', 'Défendeur', null, false],
    ]);
  });

  test('a change is an update in place: the party keeps its id', async () => {
    const d = await nouveauDossier();
    await dossiers.remplacerParties(pool, d.id, [partie('P1')]);
    const [avant] = await dossiers.listerParties(pool, d.id);
    const r = await dossiers.remplacerParties(pool, d.id, [partie('P1', { avocat: 'Maître Jeanne Lefèvre', majeurProtege: true })]);
    expect(r).toMatchObject({ creees: 0, modifiees: 1, modifie: true });
    const [apres] = await dossiers.listerParties(pool, d.id);
    expect(apres).toMatchObject({ id: avant!.id, avocat: 'Maître Jeanne Lefèvre', majeur_protege: true });
  });

  test('a party no longer listed is deleted, unless it has a consent: then it is only marked withdrawn', async () => {
    const d = await nouveauDossier();
    await dossiers.remplacerParties(pool, d.id, [partie('P1'), partie('P2'), partie('P3')]);
    const p2 = (await dossiers.listerParties(pool, d.id)).find((p) => p.id_tribunal === 'P2')!;
    await pool.query(sql.unsafe`INSERT INTO consentement (dossier_id, partie_id) VALUES (${d.id}, ${p2.id})`);

    const r = await dossiers.remplacerParties(pool, d.id, [partie('P1')]);
    expect(r).toEqual({ creees: 0, modifiees: 0, supprimees: 1, retirees: 1, modifie: true });
    const restantes = await dossiers.listerParties(pool, d.id);
    expect(restantes.map((p) => [p.id_tribunal, p.retiree_at instanceof Date])).toEqual([['P1', false], ['P2', true]]);
    expect(await pool.exists(sql.unsafe`SELECT 1 FROM consentement WHERE partie_id = ${p2.id}`)).toBe(true);

    // Listed again: back, same row, consent intact.
    const retour = await dossiers.remplacerParties(pool, d.id, [partie('P1'), partie('P2')]);
    expect(retour).toMatchObject({ creees: 0, modifiees: 1, modifie: true });
    const p2bis = (await dossiers.listerParties(pool, d.id)).find((p) => p.id_tribunal === 'P2')!;
    expect(p2bis).toMatchObject({ id: p2.id, retiree_at: null });
  });
});

describe('evenements', () => {
  const corps = { id: 'E1', type: 'convocation', date: '2026-11-01T09:30:00+01:00', libelle: 'Convocation à l’audience' };

  test('the canonical fingerprint ignores key order and nothing else', () => {
    expect(dossiers.empreinteCanonique({ b: 1, a: { d: [1, 2], c: null } })).toBe(dossiers.empreinteCanonique({ a: { c: null, d: [1, 2] }, b: 1 }));
    expect(dossiers.empreinteCanonique({ a: [1, 2] })).not.toBe(dossiers.empreinteCanonique({ a: [2, 1] }));
    expect(dossiers.empreinteCanonique(corps)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a replay with the same body adds nothing; with a different body it is a conflict and the first version stays', async () => {
    const d = await nouveauDossier();
    const e = { idTribunal: 'E1', type: corps.type, date: new Date(corps.date), libelle: corps.libelle, empreinte: dossiers.empreinteCanonique(corps) };

    const premier = await dossiers.ajouterEvenement(pool, d.id, e);
    expect(premier).toEqual({ id: expect.any(String), cree: true, conflit: false });

    const rejeu = await dossiers.ajouterEvenement(pool, d.id, { ...e, empreinte: dossiers.empreinteCanonique({ libelle: corps.libelle, date: corps.date, type: corps.type, id: 'E1' }) });
    expect(rejeu).toEqual({ id: premier.id, cree: false, conflit: false });

    const autre = { ...corps, libelle: 'Convocation modifiée' };
    const conflit = await dossiers.ajouterEvenement(pool, d.id, { ...e, libelle: autre.libelle, empreinte: dossiers.empreinteCanonique(autre) });
    expect(conflit).toEqual({ id: premier.id, cree: false, conflit: true });

    const evenements = await dossiers.listerEvenements(pool, d.id);
    expect(evenements).toHaveLength(1);
    expect(evenements[0]).toMatchObject({ libelle: corps.libelle, date: new Date('2026-11-01T08:30:00Z') });
    expect(evenements[0]!.date).toBeInstanceOf(Date);
    expect((await dossiers.obtenirDossier(pool, d.id))?.version).toBe(2);
  });

  test('the same court id in another case is another event', async () => {
    const a = await nouveauDossier();
    const b = await nouveauDossier();
    const e = { idTribunal: 'E1', type: 'saisine', date: new Date(), libelle: 'Saisine', empreinte: 'c'.repeat(64) };
    expect((await dossiers.ajouterEvenement(pool, a.id, e)).cree).toBe(true);
    expect((await dossiers.ajouterEvenement(pool, b.id, e)).cree).toBe(true);
  });

  test('a document is stored with its size, sha256 and recipients; unknown recipients are reported', async () => {
    const d = await nouveauDossier();
    await dossiers.remplacerParties(pool, d.id, [partie('P1'), partie('P2')]);
    const e = await dossiers.ajouterEvenement(pool, d.id, { idTribunal: 'E1', type: 'convocation', date: new Date(), libelle: 'Convocation', empreinte: 'd'.repeat(64) });
    const pdf = Buffer.from('%PDF-1.4\n% convocation\n%%EOF\n');
    const r = await dossiers.ajouterDocument(pool, { dossierId: d.id, evenementId: e.id, type: 'convocation', titre: 'Convocation', contenu: pdf, destinataires: ['P1', 'P9'] });
    expect(r.destinatairesInconnus).toEqual(['P9']);
    const doc = await pool.one(sql.type(z.object({ taille: z.number(), sha256: z.string(), contenu: z.instanceof(Buffer), destinataires: z.array(z.string()) }))`
      SELECT taille, sha256, contenu,
             ARRAY(SELECT p.id_tribunal FROM document_destinataire dd JOIN partie p ON p.id = dd.partie_id WHERE dd.document_id = document.id) AS destinataires
      FROM document WHERE id = ${r.id}`);
    expect(doc).toEqual({ taille: pdf.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), contenu: pdf, destinataires: ['P1'] });
    // One document per event: a replay cannot attach a second copy.
    await expect(dossiers.ajouterDocument(pool, { dossierId: d.id, evenementId: e.id, type: 'convocation', titre: 'Convocation', contenu: pdf, destinataires: ['P1'] }))
      .rejects.toBeInstanceOf(UniqueIntegrityConstraintViolationError);
    expect(await dossiers.compterContenu(pool, d.id)).toEqual({ parties: 2, evenements: 1, documents: 1, audiences: 0, consentements: 0, rattachements: 0 });
  });
});

describe('audiences', () => {
  const audience = { debut: new Date('2026-12-01T14:00:00+01:00'), salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris', libelle: 'Audience JAF' };

  test('scheduling is idempotent; moving reports the previous start; cancelling and rescheduling work', async () => {
    const d = await nouveauDossier();
    const a = await dossiers.planifierAudience(pool, d.id, 'A1', audience);
    expect(a).toMatchObject({ cree: true, modifie: true, ancienDebut: null, audience: { id_tribunal: 'A1', debut: audience.debut, annulee_at: null } });

    const rejeu = await dossiers.planifierAudience(pool, d.id, 'A1', audience);
    expect(rejeu).toEqual({ audience: a.audience, cree: false, modifie: false, ancienDebut: null });

    const salle = await dossiers.planifierAudience(pool, d.id, 'A1', { ...audience, salle: 'Salle 3.01' });
    expect(salle).toMatchObject({ cree: false, modifie: true, ancienDebut: null });

    const nouveauDebut = new Date('2026-12-08T09:00:00+01:00');
    const deplacee = await dossiers.planifierAudience(pool, d.id, 'A1', { ...audience, debut: nouveauDebut });
    expect(deplacee).toMatchObject({ cree: false, modifie: true, ancienDebut: audience.debut, audience: { id: a.audience.id, debut: nouveauDebut } });

    expect(await dossiers.annulerAudience(pool, d.id, 'A1')).toBe('annulee');
    expect(await dossiers.annulerAudience(pool, d.id, 'A1')).toBe('deja_annulee');
    expect(await dossiers.annulerAudience(pool, d.id, 'A404')).toBe('inconnue');
    const [annulee] = await dossiers.listerAudiences(pool, d.id);
    expect(annulee!.annulee_at).toBeInstanceOf(Date);

    // The same PUT after a cancellation schedules it again.
    const retablie = await dossiers.planifierAudience(pool, d.id, 'A1', { ...audience, debut: nouveauDebut });
    expect(retablie).toMatchObject({ cree: false, modifie: true, audience: { annulee_at: null } });
    expect(await dossiers.compterContenu(pool, d.id)).toMatchObject({ audiences: 1 });
  });
});

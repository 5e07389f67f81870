// A realistic portal for the tests that walk every page (accessibility, security): a juridiction,
// a case pushed by the court with an event carrying a document and a hearing, a citizen who
// attached it (number from the e-mail, code from the SMS), a draft and a sent requête of that
// citizen, a contact request, and one agent per role. Every free text the court or the citizen
// types can be replaced (`textes`), so the security test can put script payloads there.
import { sql } from 'slonik';
import { z } from 'zod';
import * as services from '../../services/requetes.js';
import { jetonDesabonnement } from '../../domain/alertes.js';
import { CATEGORIES_CONTACT } from '../../domain/contact.js';
import { jourParis, type RoleActif } from '../../domain/agents.js';
import { affaireValide, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from './application.js';
import { attribuerRole } from './agent.js';
import { attendre } from './attente.js';
import { formulaire, type Navigateur } from './navigateur.js';

export interface Textes {
  juridictionNom: string;
  juridictionAdresse: string;
  juridictionHoraires: string;
  nature: string;
  etat: string;
  partieNom: string;
  partiePrenoms: string;
  partieRole: string;
  raisonSociale: string;
  avocat: string;
  evenementLibelle: string;
  documentTitre: string;
  audienceSalle: string;
  audienceAdresse: string;
  audienceLibelle: string;
  infraction: string;
  lieuFaits: string;
  numeroPlainte: string;
  prejudice: string;
  tiersNom: string;
  tiersPrenoms: string;
  pieceNom: string;
  contactObjet: string;
  contactMessage: string;
  contactNom: string;
}

export const TEXTES_ORDINAIRES: Textes = {
  juridictionNom: JURIDICTION_VALIDE.nom,
  juridictionAdresse: JURIDICTION_VALIDE.adresse,
  juridictionHoraires: 'Du lundi au vendredi, de 9 h à 17 h',
  nature: 'Divorce',
  etat: 'En cours',
  partieNom: 'DUBOIS',
  partiePrenoms: 'Angela',
  partieRole: 'Demandeur',
  raisonSociale: 'Société Exemple SARL',
  avocat: 'Me Durand',
  evenementLibelle: 'Convocation à l’audience',
  documentTitre: 'Convocation',
  audienceSalle: 'Salle 2.07',
  audienceAdresse: 'Parvis du Tribunal de Paris, 75017 Paris',
  audienceLibelle: 'Audience JAF',
  infraction: 'Vol de scooter',
  lieuFaits: 'Paris 11e',
  numeroPlainte: 'PV-2026-001',
  prejudice: 'Scooter volé,\nfrais de transport',
  tiersNom: 'MARTIN',
  tiersPrenoms: 'Paul',
  pieceNom: 'plainte.pdf',
  contactObjet: 'Je n’arrive pas à ajouter mon dossier',
  contactMessage: 'Bonjour, le code SMS ne m’arrive pas quand je le demande.',
  contactNom: 'Angela Dubois',
};

export interface ProfilAgent {
  nom: string;
  courriel: string;
  roles: RoleActif[];
}

const jour = (j: number) => jourParis(new Date(Date.now() + j * 86400000));

/** One agent per role of domain/agents.ts, all in TJ-PARIS but the national one. */
export const PROFILS_AGENTS: ProfilAgent[] = [
  { nom: 'agent_greffe', courriel: 'greffe.paris@justice.fr', roles: [{ role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'agent_accueil', courriel: 'accueil.paris@justice.fr', roles: [{ role: 'agent_accueil', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'directeur_greffe', courriel: 'directeur.greffe.paris@justice.fr', roles: [{ role: 'directeur_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null }] },
  { nom: 'magistrat', courriel: 'magistrat.paris@justice.fr', roles: [{ role: 'magistrat', juridiction: 'TJ-PARIS', debut: jour(-10), fin: jour(10) }] },
  { nom: 'statistiques_national', courriel: 'statistiques@justice.fr', roles: [{ role: 'statistiques_national', juridiction: null, debut: null, fin: null }] },
];

export interface Scenario {
  portalis: string;
  numeroDossier: string;
  dossierId: string;
  rattachementId: string;
  documentId: string;
  audienceId: string;
  compteId: string;
  brouillonId: string;
  piecesBrouillon: string[];
  tiersBrouillon: string[];
  envoyeeId: string;
  pieceEnvoyee: string;
  contactId: string;
  jetonDesabonnement: string;
  /** The citizen's cookie-jar browser (logged in, CGU accepted, case attached). */
  nav: Navigateur;
  /** The FranceConnect stand-in identity of that citizen. */
  identite: string;
  telephone: string;
}

const id = z.object({ id: z.string() });

/** Seeds the whole scenario; the citizen is `identite` of the stand-in (dev/franceconnect.ts). */
export async function preparerScenario(app: Application, o: { textes?: Partial<Textes>; identite?: string; portalis?: string; telephone?: string } = {}): Promise<Scenario> {
  const t = { ...TEXTES_ORDINAIRES, ...o.textes };
  const portalis = o.portalis ?? 'SCEN-2026-00001';
  const numeroDossier = '26/05555';
  const telephone = o.telephone ?? '+33611223344';
  const courriel = `${portalis.toLowerCase()}@example.fr`;
  const ok = async (r: Response, quoi: string) => {
    if (r.status >= 300) throw new Error(`${quoi} : ${r.status} ${await r.text()}`);
  };
  await ok(await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: t.juridictionNom, adresse: t.juridictionAdresse, horaires: t.juridictionHoraires, courriel: 'sauj.tj-paris@justice.fr' }), 'juridiction');
  await ok(await app.api('PUT', `/affaires/${portalis}`, affaireValide({
    numeroDossier, nature: t.nature, etat: t.etat,
    parties: [
      { id: 'P1', role: t.partieRole, type: 'physique', civilite: 'Mme', nom: t.partieNom, prenoms: t.partiePrenoms, courriel, telephone, avocat: t.avocat },
      { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: t.raisonSociale, formeJuridique: 'SARL' },
    ],
  })), 'affaire');
  await ok(await app.api('POST', `/affaires/${portalis}/evenements`, { id: 'E1', type: 'convocation', date: '2026-10-01T09:30:00+02:00', libelle: t.evenementLibelle, document: { type: 'convocation', titre: t.documentTitre, destinataires: ['P1'], pdf: PDF_MINIMAL.toString('base64') } }), 'événement');
  const debut = new Date(Date.now() + 20 * 86400000).toISOString().replace('Z', '+00:00');
  await ok(await app.api('PUT', `/affaires/${portalis}/audiences/A1`, { debut, salle: t.audienceSalle, adresse: t.audienceAdresse, libelle: t.audienceLibelle }), 'audience');
  await ok(await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' }), 'consentement');
  const [recu] = await attendre(() => app.courriels(courriel), (c) => c.length > 0, 30_000);
  const numero = /Numéro d'identification : (\S+)/.exec(recu!.text)![1]!;

  // The citizen logs in and attaches the case, as on the pages.
  const identite = o.identite ?? 'angela-dubois';
  const nav = await app.connecter(identite);
  await rattacher(app, nav, numero, telephone);

  const lien = await app.pool.one(sql.type(z.object({ rattachement: z.string(), compte: z.string(), dossier: z.string() }))`
    SELECT r.id AS rattachement, r.compte_id AS compte, r.dossier_id AS dossier FROM rattachement r JOIN dossier d ON d.id = r.dossier_id
    WHERE d.numero_portalis = ${portalis} AND r.detached_at IS NULL`);
  const documentId = await app.pool.oneFirst(sql.type(id)`SELECT id FROM document WHERE dossier_id = ${lien.dossier}`);
  const audienceId = await app.pool.oneFirst(sql.type(id)`SELECT id FROM audience WHERE dossier_id = ${lien.dossier}`);

  // Two requêtes of the same citizen: a draft (with a third party and an attachment) and a sent one.
  const ctx = { pool: app.pool, temporal: app.temporal, config: app.config };
  const requete = async () => {
    const r = await services.commencer(ctx, lien.compte, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
    const champs = await services.enregistrerChamps(ctx, lien.compte, r, { infraction: t.infraction, dateFaits: '2026-03-02', lieuFaits: t.lieuFaits, numeroPlainte: t.numeroPlainte, prejudice: t.prejudice, montant: '1500' });
    if (!champs.ok) throw new Error(JSON.stringify(champs.erreurs));
    const tiers = await services.ajouterTiers(ctx, lien.compte, r, { type: 'physique', civilite: 'M.', nom: t.tiersNom, prenoms: t.tiersPrenoms });
    if (!tiers.ok) throw new Error(JSON.stringify(tiers.erreurs));
    const piece = await services.ajouterPiece(ctx, lien.compte, r, { nom: t.pieceNom, octets: PDF_MINIMAL });
    if (!piece.ok) throw new Error(piece.message);
    return r;
  };
  const envoyeeId = await requete();
  const envoi = await services.envoyer(ctx, lien.compte, envoyeeId);
  if (!envoi.acceptee) throw new Error(JSON.stringify(envoi.erreurs));
  const brouillonId = await requete();
  await attendre(
    () => app.pool.oneFirst(sql.type(z.object({ statut: z.string() }))`SELECT statut FROM requete WHERE id = ${envoyeeId}`),
    (x) => x === 'envoyee',
    40_000,
  );
  const pieces = async (r: string) => [...(await app.pool.anyFirst(sql.type(id)`SELECT id FROM piece_jointe WHERE requete_id = ${r} ORDER BY created_at`))];
  const tiersBrouillon = [...(await app.pool.anyFirst(sql.type(id)`SELECT id FROM tiers WHERE requete_id = ${brouillonId}`))];

  // The contact form, as the logged-in citizen fills it.
  const pageContact = await (await nav.requete(`${app.url}/contact`)).text();
  const fc = formulaire(pageContact, 'name="message"');
  const envoiContact = await nav.requete(`${app.url}/contact`, { form: { ...fc.champs, categorie: CATEGORIES_CONTACT[0]!.valeur, objet: t.contactObjet, message: t.contactMessage, courriel: 'angela.dubois@example.fr', nom: t.contactNom } });
  if (envoiContact.status >= 400) throw new Error(`formulaire de contact : ${envoiContact.status} ${await envoiContact.text()}`);
  const contactId = await app.pool.oneFirst(sql.type(id)`SELECT id FROM contact WHERE compte_id = ${lien.compte} ORDER BY created_at DESC LIMIT 1`);

  for (const p of PROFILS_AGENTS) for (const r of p.roles) await attribuerRole(app, { courriel: p.courriel, ...r });

  return {
    portalis, numeroDossier, dossierId: lien.dossier, rattachementId: lien.rattachement, documentId, audienceId, compteId: lien.compte,
    brouillonId, piecesBrouillon: await pieces(brouillonId), tiersBrouillon, envoyeeId, pieceEnvoyee: (await pieces(envoyeeId))[0]!, contactId,
    jetonDesabonnement: jetonDesabonnement(app.config.HASH_KEY, lien.compte, lien.dossier), nav, identite, telephone,
  };
}

/**
 * The concrete paths of a route of the table for the scenario's objects: each `:param` of the
 * route's `chemin` replaced by the seeded id it names. Requêtes routes get both the draft and the
 * sent one (some pages only exist for one of them). Unknown parameters keep the route's `exemple`.
 */
export function cheminsConcrets(chemin: string, exemple: string | undefined, s: Scenario): string[] {
  if (!chemin.includes(':')) return [chemin];
  const espace: Record<string, string> = { id: s.rattachementId, docId: s.documentId, audience: s.audienceId };
  if (chemin.startsWith('/espace/dossiers/:id')) return [remplacer(chemin, espace)];
  if (chemin.startsWith('/espace/requetes/:id')) {
    return [remplacer(chemin, { id: s.brouillonId, pieceId: s.piecesBrouillon[0]!, tiersId: s.tiersBrouillon[0]! }), remplacer(chemin, { id: s.envoyeeId, pieceId: s.pieceEnvoyee, tiersId: s.tiersBrouillon[0]! })];
  }
  if (chemin.startsWith('/alertes/desabonnement/:jeton')) return [remplacer(chemin, { jeton: s.jetonDesabonnement })];
  if (chemin.startsWith('/agent/dossiers/:id')) return [remplacer(chemin, { id: s.dossierId, docId: s.documentId, audience: 'A1' })];
  if (chemin.startsWith('/agent/requetes/:id')) return [remplacer(chemin, { id: s.envoyeeId, pieceId: s.pieceEnvoyee })];
  if (chemin.startsWith('/agent/contacts/:id')) return [remplacer(chemin, { id: s.contactId })];
  return [exemple ?? chemin];
}

function remplacer(chemin: string, valeurs: Record<string, string>): string {
  return chemin.replace(/:([A-Za-z]+)/g, (m, nom: string) => valeurs[nom] ?? m);
}

/** Attaches a case to the citizen's space as the pages do: the number, then the SMS code. */
export async function rattacher(app: Application, nav: Navigateur, numero: string, telephone: string): Promise<void> {
  const ajout = async (champs: Record<string, string>) => {
    const page = await (await nav.requete(`${app.url}/espace/dossiers/ajouter`)).text();
    const f = formulaire(page, 'name="etape" value="numero"');
    return nav.requete(`${app.url}/espace/dossiers/ajouter`, { form: { _csrf: f.champs._csrf!, ...champs } });
  };
  const avant = (await app.sms(telephone)).length;
  const d = await ajout({ etape: 'numero', numero });
  const tentative = new URL(d.headers.get('location') ?? '', app.url).searchParams.get('tentative');
  if (d.status !== 303 || !tentative) throw new Error(`demande de code : ${d.status}`);
  const liste = await attendre(() => app.sms(telephone), (l) => l.length > avant, 30_000);
  const code = /est (\d{6})\. Il expire/.exec(liste[0]!.body)![1]!;
  const s = await ajout({ etape: 'code', tentative, code });
  if (s.status !== 303) throw new Error(`saisie du code : ${s.status}`);
}

/** A case of the court with one party who consents; returns the identification number from the e-mail. */
export async function dossierAvecConsentement(app: Application, portalis: string, o: { nom?: string; telephone: string }): Promise<string> {
  const courriel = `${portalis.toLowerCase()}@example.fr`;
  const r = await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis.slice(-5)}`, parties: [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: o.nom ?? 'DUBOIS', prenoms: 'Angela', courriel, telephone: o.telephone }] }));
  if (r.status !== 200) throw new Error(`affaire ${portalis} : ${r.status}`);
  const c = await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' });
  if (c.status !== 201) throw new Error(`consentement ${portalis} : ${c.status}`);
  const [recu] = await attendre(() => app.courriels(courriel), (l) => l.length > 0, 30_000);
  return /Numéro d'identification : (\S+)/.exec(recu!.text)![1]!;
}

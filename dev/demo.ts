// Demo data, loaded through the same commands the court API uses (services/tribunal.ts), never
// raw SQL: a few juridictions and cases with parties, hearings, documents and consents, so the
// portal is not empty on first start. Identification numbers go out by e-mail to the sink, as
// they would to a real citizen. `npm run seed` reloads it; every command is idempotent, so a
// second run changes nothing that is already there.
import { Client, Connection } from '@temporalio/client';
import PDFDocument from 'pdfkit';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'slonik';
import { lireConfig, type Config } from '../domain/config.js';
import type { AffaireEntree, AudienceEntree, EvenementEntree, JuridictionEntree } from '../domain/schemas/tribunal.js';
import { creerPool } from '../db/pool.js';
import * as tribunal from '../services/tribunal.js';
import { estPrincipal, lancer } from '../cli.js';
import * as servicesAgents from '../services/agents.js';
import { COMPTES_AGENTS, IDENTITES_TEST, sujetPairwise } from './franceconnect.js';
import * as comptes from '../db/comptes.js';
import * as requetes from '../services/requetes.js';

export const JURIDICTIONS_DEMO: (JuridictionEntree & { code: string })[] = [
  {
    code: 'TJ-PARIS', nom: 'Tribunal judiciaire de Paris', adresse: 'Parvis du Tribunal de Paris, 75859 Paris Cedex 17',
    telephone: '01 44 32 51 51', courriel: 'sauj.tj-paris@justice.fr', latitude: 48.8951, longitude: 2.3146,
    horaires: 'Du lundi au vendredi, de 9 h à 17 h',
  },
  {
    code: 'TJ-LYON', nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon',
    telephone: '04 72 60 70 12', courriel: 'sauj.tj-lyon@justice.fr', latitude: 45.7602, longitude: 4.8493,
    horaires: 'Du lundi au vendredi, de 8 h 45 à 16 h 45',
  },
  {
    code: 'TPRX-VANVES', nom: 'Tribunal de proximité de Vanves', adresse: '20 rue Jean Bleuzen, 92170 Vanves',
    telephone: '01 46 44 02 02', courriel: null, latitude: 48.8225, longitude: 2.2905,
    horaires: 'Du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h 30',
  },
];

/** A small one-page PDF, as a court's application would attach to a notice. */
export function pdfDemo(titre: string, lignes: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', lang: 'fr-FR', info: { Title: titre, Author: 'Portail du justiciable (démonstration)' } });
    const morceaux: Buffer[] = [];
    doc.on('data', (c: Buffer) => morceaux.push(c));
    doc.on('end', () => resolve(Buffer.concat(morceaux)));
    doc.on('error', reject);
    doc.fontSize(16).text(titre).moveDown();
    doc.fontSize(11);
    for (const l of lignes) doc.text(l).moveDown(0.5);
    doc.moveDown().fontSize(9).text('Document de démonstration, sans valeur juridique.');
    doc.end();
  });
}

/** A date `jours` from today at `heure` in Paris, with its offset. */
function dansJours(jours: number, heure: string): string {
  const d = new Date(Date.now() + jours * 86400000);
  const jour = d.toISOString().slice(0, 10);
  // Paris is UTC+1 in winter, UTC+2 in summer; Intl gives the right offset for that day.
  const decalage = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${jour}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')!.value.replace('GMT', '') || '+00:00';
  return `${jour}T${heure}:00${decalage}`;
}

interface AffaireDemo {
  juridiction: string;
  numeroPortalis: string;
  affaire: AffaireEntree;
  evenements: (Omit<EvenementEntree, 'date' | 'document'> & { date: string; document?: { type: 'recepisse' | 'avis' | 'convocation'; titre: string; destinataires: string[]; lignes: string[] } })[];
  audiences: (Omit<AudienceEntree, 'debut'> & { id: string; debut: string })[];
  consentements: { partie: string; representant?: { civilite: 'M.' | 'Mme'; nom: string; prenoms: string; courriel: string; telephone?: string } }[];
  cloture?: string;
}

export function affairesDemo(): AffaireDemo[] {
  return [
    {
      juridiction: 'TJ-PARIS',
      numeroPortalis: 'N7X4-2026-00012',
      affaire: {
        numeroDossier: '26/01234', nature: 'Divorce par consentement mutuel judiciaire — requête conjointe', etat: 'En cours',
        dateSaisine: new Date(Date.now() - 60 * 86400000).toISOString().slice(0, 10), suiviEnLigne: true,
        parties: [
          { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', nomUsage: null, prenoms: 'Angela Claire Louise', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: 'angela.dubois@example.fr', telephone: '+33612345678', avocat: 'Maître Jeanne Lefèvre' },
          { id: 'P2', role: 'Défendeur', type: 'physique', civilite: 'M.', nom: 'DUBOIS', nomUsage: null, prenoms: 'Paul', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: 'paul.dubois@example.fr', telephone: '+33698765432', avocat: null },
        ],
      },
      evenements: [
        { id: 'E1', type: 'saisine', date: dansJours(-60, '10:00'), libelle: 'Réception de la requête par le tribunal',
          document: { type: 'recepisse', titre: 'Récépissé de dépôt de requête', destinataires: ['P1'], lignes: ['Le tribunal a bien reçu votre requête.'] } },
        { id: 'E2', type: 'convocation', date: dansJours(-20, '09:30'), libelle: 'Convocation à l’audience',
          document: { type: 'convocation', titre: 'Convocation à l’audience du juge aux affaires familiales', destinataires: ['P1', 'P2'], lignes: ['Vous êtes convoqué(e) à l’audience mentionnée dans votre espace.'] } },
      ],
      audiences: [{ id: 'A1', debut: dansJours(10, '14:00'), salle: 'Salle 2.07', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: 'Audience du juge aux affaires familiales' }],
      consentements: [{ partie: 'P1' }, { partie: 'P2' }],
    },
    {
      juridiction: 'TJ-LYON',
      numeroPortalis: 'L3B9-2025-04711',
      affaire: {
        numeroDossier: '25/04711', nature: 'Mesure de protection — tutelle', etat: 'En cours',
        dateSaisine: new Date(Date.now() - 200 * 86400000).toISOString().slice(0, 10), suiviEnLigne: true,
        parties: [
          { id: 'P1', role: 'Majeur protégé', type: 'physique', civilite: 'M.', nom: 'MARTIN', nomUsage: null, prenoms: 'Henri', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: true, courriel: null, telephone: null, avocat: null },
          { id: 'P2', role: 'Tuteur', type: 'morale', civilite: null, nom: null, nomUsage: null, prenoms: null, raisonSociale: 'Association tutélaire du Rhône', formeJuridique: 'Association loi 1901', titre: null, majeurProtege: false, courriel: 'mandataires@atr.example.fr', telephone: '+33478000000', avocat: null },
        ],
      },
      evenements: [
        { id: 'EV-1', type: 'saisine', date: dansJours(-200, '11:00'), libelle: 'Saisine du juge des contentieux de la protection' },
        { id: 'EV-2', type: 'decision', date: dansJours(-120, '15:00'), libelle: 'Jugement d’ouverture de la mesure de tutelle' },
        { id: 'EV-3', type: 'avis', date: dansJours(-5, '10:00'), libelle: 'Avis de révision de la mesure',
          document: { type: 'avis', titre: 'Avis de révision de la mesure de protection', destinataires: ['P2'], lignes: ['La mesure de protection sera révisée.'] } },
      ],
      audiences: [{ id: 'AUD-9', debut: dansJours(30, '09:00'), salle: null, adresse: '67 rue Servient, 69003 Lyon', libelle: 'Audience de révision' }],
      consentements: [{ partie: 'P2', representant: { civilite: 'Mme', nom: 'BERNARD', prenoms: 'Sophie', courriel: 'sophie.bernard@atr.example.fr', telephone: '+33611223344' } }],
    },
    {
      juridiction: 'TPRX-VANVES',
      numeroPortalis: 'V1C2-2025-00077',
      affaire: {
        numeroDossier: '25/00077', nature: 'Injonction de payer', etat: 'Terminé',
        dateSaisine: new Date(Date.now() - 150 * 86400000).toISOString().slice(0, 10), suiviEnLigne: true,
        parties: [
          { id: 'C1', role: 'Créancier', type: 'morale', civilite: null, nom: null, nomUsage: null, prenoms: null, raisonSociale: 'Électricité du Sud SARL', formeJuridique: 'SARL', titre: null, majeurProtege: false, courriel: 'contentieux@eds.example.fr', telephone: null, avocat: null },
          { id: 'D1', role: 'Débiteur', type: 'physique', civilite: 'M.', nom: 'NGUYEN', nomUsage: null, prenoms: 'Minh', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: 'minh.nguyen@example.fr', telephone: '+33655443322', avocat: null },
        ],
      },
      evenements: [
        { id: '1', type: 'saisine', date: dansJours(-150, '09:00'), libelle: 'Dépôt de la requête en injonction de payer' },
        { id: '2', type: 'decision', date: dansJours(-40, '14:00'), libelle: 'Ordonnance portant injonction de payer' },
      ],
      audiences: [],
      consentements: [{ partie: 'D1' }],
      cloture: dansJours(-30, '12:00'),
    },
    {
      // Not followable online (sensitive procedure): no workflow, never shown to citizens.
      juridiction: 'TJ-PARIS',
      numeroPortalis: 'N7X4-2026-00099',
      affaire: {
        numeroDossier: '26/00099', nature: 'Assistance éducative', etat: 'En cours',
        dateSaisine: new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10), suiviEnLigne: false,
        parties: [{ id: 'P1', role: 'Requérant', type: 'physique', civilite: 'Mme', nom: 'ROBERT', nomUsage: null, prenoms: 'Lucie', raisonSociale: null, formeJuridique: null, titre: null, majeurProtege: false, courriel: null, telephone: null, avocat: null }],
      },
      evenements: [], audiences: [], consentements: [],
    },
  ];
}

/**
 * Grants the demo roles alone (idempotent): a data directory whose demo was loaded before the
 * agent pages existed gets them at the next start.
 */
export async function chargerRolesDemo(config: Pick<Config, 'DATABASE_URL'>): Promise<void> {
  const pool = await creerPool(config.DATABASE_URL, { taille: 2 });
  try {
    for (const r of rolesDemo()) await servicesAgents.attribuer(pool, r, { type: 'systeme' });
  } finally {
    await pool.end();
  }
}

/** The demo agents' roles: a magistrate habilitated from 30 days ago to one year from now. */
export function rolesDemo(aujourdHui = new Date()) {
  const jour = (j: number) => new Date(aujourdHui.getTime() + j * 86400000).toISOString().slice(0, 10);
  return COMPTES_AGENTS.filter((a) => a.roleSuggere).map((a) => ({
    courriel: a.courriel, role: a.roleSuggere!, juridiction: a.juridictionSuggeree,
    debut: a.roleSuggere === 'magistrat' ? jour(-30) : null, fin: a.roleSuggere === 'magistrat' ? jour(365) : null,
  }));
}

export async function chargerDemo(config: Config, journal: (m: string) => void = () => {}): Promise<void> {
  const pool = await creerPool(config.DATABASE_URL);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const ctx: tribunal.ContexteTribunal = {
    pool, config, temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
  };
  try {
    for (const { code, ...j } of JURIDICTIONS_DEMO) await tribunal.enregistrerJuridiction(ctx, code, j);
    // Each demo agent account of the stand-in gets its suggested role, so that every one of them
    // can log in to /agent (nouvel.agent@justice.fr stays without role: the refusal page).
    for (const r of rolesDemo()) await servicesAgents.attribuer(pool, r, { type: 'systeme' });
    for (const a of affairesDemo()) {
      const cible = { juridiction: a.juridiction, numeroPortalis: a.numeroPortalis };
      await tribunal.enregistrerAffaire(ctx, cible, a.affaire);
      for (const e of a.evenements) {
        const document = e.document && {
          type: e.document.type, titre: e.document.titre, destinataires: e.document.destinataires,
          pdf: (await pdfDemo(e.document.titre, [`Dossier ${a.affaire.numeroDossier}`, ...e.document.lignes])).toString('base64'),
        };
        await tribunal.ajouterEvenement(ctx, cible, { id: e.id, type: e.type, date: new Date(e.date), libelle: e.libelle, document });
      }
      for (const h of a.audiences) {
        await tribunal.planifierAudience(ctx, cible, h.id, { debut: new Date(h.debut), salle: h.salle, adresse: h.adresse, libelle: h.libelle });
      }
      for (const c of a.consentements) {
        await tribunal.enregistrerConsentement(ctx, cible, {
          partie: c.partie,
          representant: c.representant && { ...c.representant, telephone: c.representant.telephone ?? null },
        });
      }
      if (a.cloture) await tribunal.cloturer(ctx, cible, { date: new Date(a.cloture) });
      journal(`  ${a.juridiction} ${a.affaire.numeroDossier} — ${a.affaire.nature}`);
    }
    await chargerRequetesDemo(ctx, journal);
  } finally {
    await connection.close();
    await pool.end();
  }
}

/**
 * Two requêtes of the demo identity angela-dubois (her account as FranceConnect will name it, so
 * her first login finds them): a draft to resume, and one sent to the Paris court, waiting in the
 * clerks' inbox. Created through the same services as the citizen pages.
 */
async function chargerRequetesDemo(ctx: tribunal.ContexteTribunal, journal: (m: string) => void): Promise<void> {
  const angela = IDENTITES_TEST.find((i) => i.id === 'angela-dubois')!;
  const { preferred_username: _, ...claims } = angela.claims;
  const { compte } = await comptes.connecter(ctx.pool, { iss: ctx.config.FC_ISSUER, sub: sujetPairwise(ctx.config.FC_CLIENT_ID, angela.id), ...claims });
  if (await ctx.pool.exists(sql.unsafe`SELECT 1 FROM requete WHERE compte_id = ${compte.id}`)) return;
  const brouillon = await requetes.commencer(ctx, compte.id, { juridiction: 'TJ-PARIS', type: 'jaf' });
  await requetes.enregistrerChamps(ctx, compte.id, brouillon, { objet: 'visite', enfants: 'Léa DUBOIS, née le 3 mars 2019' });
  const envoyee = await requetes.commencer(ctx, compte.id, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
  await requetes.enregistrerChamps(ctx, compte.id, envoyee, {
    infraction: 'Vol avec effraction de mon domicile', dateFaits: '2026-09-14', lieuFaits: '12 rue des Lilas, 75017 Paris',
    numeroPlainte: 'PV 2026/012345', prejudice: 'Matériel informatique et bijoux dérobés, porte fracturée.', montant: '4200',
  });
  await requetes.ajouterTiers(ctx, compte.id, envoyee, { type: 'physique', civilite: 'M.', nom: 'INCONNU', prenoms: 'X' });
  await requetes.ajouterPiece(ctx, compte.id, envoyee, { nom: 'recepisse-plainte.pdf', octets: await pdfDemo('Récépissé de plainte', ['PV 2026/012345']) });
  const r = await requetes.envoyer(ctx, compte.id, envoyee);
  journal(`  requêtes d’Angela DUBOIS : un brouillon, une constitution de partie civile ${r.acceptee ? 'envoyée' : 'non envoyée'}`);
}

export async function demoDejaChargee(config: Config): Promise<boolean> {
  const pool = await creerPool(config.DATABASE_URL);
  try {
    return await pool.exists(sql.unsafe`SELECT 1 FROM juridiction`);
  } finally {
    await pool.end();
  }
}

/** `npm run seed` alone: the configured services, or those of a running `npm start`. */
if (estPrincipal(import.meta.url)) {
  lancer(async () => {
    const fichier = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', process.env.DATA_DIR ?? '.data', 'lancement.env');
    const env: Record<string, string | undefined> = { ...process.env };
    if (!env.DATABASE_URL && existsSync(fichier)) {
      for (const ligne of readFileSync(fichier, 'utf8').split('\n')) {
        const i = ligne.indexOf('=');
        if (i > 0 && env[ligne.slice(0, i)] === undefined) env[ligne.slice(0, i)] = ligne.slice(i + 1);
      }
    }
    const config = lireConfig(env);
    // The demo's dates are relative to the day it is loaded: loaded again another day, its
    // events would differ from those the "court" already sent, which the API rightly refuses
    // (409). So it is loaded once per database.
    if (await demoDejaChargee(config)) {
      console.log('Données de démonstration déjà présentes : rien à recharger. Pour repartir de zéro, arrêter npm start, supprimer le dossier .data/ et relancer npm start.');
      return;
    }
    await chargerDemo(config, (m) => console.log(m));
    console.log('Données de démonstration chargées.');
  });
}

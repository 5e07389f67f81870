// The support form (/contact, issue 9 item 3; seed: "Un membre de l'équipe support va vous
// répondre"): subject categories, the zod schema of the form with French messages, the reference
// given to the sender, the rate limit, and the two e-mails. Pure: db/contact.ts and
// services/contact.ts do the I/O.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ALPHABET } from './identifiants.js';
import { formaterDateHeure, formaterHeure } from './dates.js';

export const CATEGORIES_CONTACT = [
  { valeur: 'connexion', libelle: 'Connexion avec FranceConnect' },
  { valeur: 'ajout_dossier', libelle: 'Ajout d’un dossier (numéro d’identification, code SMS)' },
  { valeur: 'consultation', libelle: 'Affichage d’un dossier ou d’un document' },
  { valeur: 'alertes', libelle: 'Alertes par courriel, rappels par SMS, calendrier' },
  { valeur: 'requete', libelle: 'Requête en ligne' },
  { valeur: 'donnees', libelle: 'Mes données personnelles' },
  { valeur: 'accessibilite', libelle: 'Accessibilité' },
  { valeur: 'annuaires', libelle: 'Liens vers les annuaires' },
  { valeur: 'technique', libelle: 'Autre problème technique' },
  { valeur: 'securite', libelle: 'Signaler une faille de sécurité' },
  { valeur: 'autre', libelle: 'Autre question sur le fonctionnement du portail' },
] as const;
export type CategorieContact = (typeof CATEGORIES_CONTACT)[number]['valeur'];

export const libelleCategorie = (v: string) => CATEGORIES_CONTACT.find((c) => c.valeur === v)?.libelle ?? v;

/** One line: a subject never carries a line break into the e-mail's headers. */
const uneLigne = (v: string) => v.replace(/\s+/g, ' ').trim();

// Control characters other than tabs and line breaks: PostgreSQL cannot store a NUL (a 500 on
// the insert), and none has a place in a message to the support.
const CONTROLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const sansControle = (v: string) => !CONTROLE.test(v);
const MESSAGE_CONTROLE = 'Retirez les caractères invisibles ou de contrôle de votre saisie.';

export const formulaireContact = z.object({
  categorie: z.enum(CATEGORIES_CONTACT.map((c) => c.valeur) as [CategorieContact, ...CategorieContact[]], {
    errorMap: () => ({ message: 'Choisissez l’objet de votre demande dans la liste.' }),
  }),
  objet: z
    .string({ required_error: 'Résumez votre demande en quelques mots.' })
    .transform(uneLigne)
    .pipe(z.string().min(3, 'Résumez votre demande en quelques mots (3 caractères au moins).').max(150, 'Le résumé tient en 150 caractères au plus.').refine(sansControle, MESSAGE_CONTROLE)),
  message: z
    .string({ required_error: 'Écrivez votre message.' })
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(20, 'Décrivez votre demande (20 caractères au moins) : la page concernée, ce que vous avez fait, le message affiché.').max(5000, 'Votre message dépasse 5 000 caractères : raccourcissez-le.').refine(sansControle, MESSAGE_CONTROLE)),
  courriel: z
    .string({ required_error: 'Indiquez l’adresse électronique à laquelle vous répondre.' })
    .trim()
    .min(1, 'Indiquez l’adresse électronique à laquelle vous répondre.')
    .max(254, 'Adresse électronique trop longue.')
    .email('Adresse électronique invalide : elle doit être de la forme nom@exemple.fr.'),
  nom: z
    .string()
    .optional()
    .transform((v) => (v ? uneLigne(v) : ''))
    .pipe(z.string().max(100, 'Le nom tient en 100 caractères au plus.').refine(sansControle, MESSAGE_CONTROLE))
    .transform((v) => v || null),
});
export type FormulaireContact = z.infer<typeof formulaireContact>;

/** `CT-2026-K7QF-3XWM`: the year (Europe/Paris) and 40 random bits, like a requête's RQ- reference. */
export function genererReferenceContact(maintenant: Date): string {
  const annee = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', year: 'numeric' }).format(maintenant);
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `CT-${annee}-${s.slice(0, 4)}-${s.slice(4)}`;
}

/**
 * How many messages one session, and one e-mail address, may send: enough for a follow-up, too
 * few for the form to become a way of flooding the support inbox or, through the acknowledgment,
 * someone else's mailbox.
 */
export const LIMITES_CONTACT = [
  { max: 3, fenetreMs: 3600_000, libelle: 'en une heure' },
  { max: 10, fenetreMs: 24 * 3600_000, libelle: 'en 24 heures' },
] as const;

export interface RefusContact {
  /** Which counter is full. */
  par: 'session' | 'courriel';
  max: number;
  libelle: string;
  reessayerA: Date;
}

/**
 * May one more message be sent now? `envois`: the instants of the messages already sent from
 * this session and for this address (at least those of the last 24 hours). The latest retry time
 * wins when several counters are full.
 */
export function controlerContact(envois: { session: readonly Date[]; courriel: readonly Date[] }, maintenant: Date): RefusContact | null {
  const t = maintenant.getTime();
  let refus: RefusContact | null = null;
  for (const par of ['session', 'courriel'] as const) {
    for (const l of LIMITES_CONTACT) {
      const recents = envois[par].map((d) => d.getTime()).filter((x) => x > t - l.fenetreMs && x <= t).sort((a, b) => a - b);
      if (recents.length < l.max) continue;
      const libere = recents[recents.length - l.max]! + l.fenetreMs;
      if (!refus || libere > refus.reessayerA.getTime()) refus = { par, max: l.max, libelle: l.libelle, reessayerA: new Date(libere) };
    }
  }
  return refus;
}

export function messageRefusContact(r: RefusContact, maintenant: Date): string {
  const qui = r.par === 'session' ? 'depuis ce navigateur' : 'pour cette adresse électronique';
  const quand = r.reessayerA.getTime() - maintenant.getTime() < 20 * 3600_000 ? `à partir de ${formaterHeure(r.reessayerA)}` : `à partir du ${formaterDateHeure(r.reessayerA)}`;
  return `Vous avez déjà envoyé ${r.max} messages au support ${r.libelle} ${qui} : c’est le maximum. Vos messages ont bien été reçus, inutile de les renvoyer. Vous pourrez en envoyer un nouveau ${quand}. Pour une question urgente, appelez le 0805 04 04 04 (appel gratuit, du lundi au vendredi de 9 h à 17 h).`;
}

export interface ContactEnregistre extends FormulaireContact {
  reference: string;
  recuLe: Date;
  /** The logged-in account, when there is one: the support then knows the sender's identity is checked. */
  compte: { id: string; nom: string } | null;
}

/** The e-mail to the support inbox: everything the team needs to answer, and where to close it. */
export function courrielSupport(c: ContactEnregistre, lienAgent: string): { sujet: string; corps: string } {
  return {
    sujet: `[${c.reference}] ${libelleCategorie(c.categorie)} — ${c.objet}`,
    corps:
      `Nouvelle demande de contact ${c.reference}, reçue le ${formaterDateHeure(c.recuLe)}.\n\n` +
      `Objet : ${libelleCategorie(c.categorie)}\nRésumé : ${c.objet}\n` +
      `Répondre à : ${c.courriel}${c.nom ? ` (${c.nom})` : ''}\n` +
      `Compte du portail : ${c.compte ? `${c.compte.nom}, connecté avec FranceConnect (compte ${c.compte.id})` : 'non connecté (identité non vérifiée)'}\n\n` +
      `Message :\n${c.message}\n\n` +
      `Rappel : le support ne donne ni conseil juridique ni information sur le contenu d’un dossier (renvoyer vers le greffe).\n` +
      `Clore la demande une fois traitée : ${lienAgent}\n`,
  };
}

/**
 * The acknowledgment to the sender. It repeats none of what was typed (neither the summary nor
 * the message): the address is not verified, so the form must not let anyone send their own
 * text to someone else's mailbox under the ministry's name.
 */
export function courrielAccuseContact(c: Pick<ContactEnregistre, 'reference' | 'categorie' | 'recuLe'>, lienAide: string): { sujet: string; corps: string } {
  return {
    sujet: `Votre message au support du Portail du justiciable (${c.reference})`,
    corps:
      `Bonjour,\n\nNous avons bien reçu votre message du ${formaterDateHeure(c.recuLe)} (objet : ${libelleCategorie(c.categorie)}).\n` +
      `Sa référence est ${c.reference} : rappelez-la dans vos échanges avec le support.\n\n` +
      `Un membre de l’équipe support vous répondra à cette adresse. L’équipe support ne délivre pas de conseil juridique et ne donne pas d’information sur le contenu d’un dossier : pour cela, adressez-vous au greffe du tribunal qui le gère.\n\n` +
      `Les réponses aux questions les plus fréquentes : ${lienAide}\n\n` +
      `Si vous n’êtes pas à l’origine de ce message, ignorez ce courriel.\n\nLe Portail du justiciable\n`,
  };
}

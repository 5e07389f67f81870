// Pure rules of "Mes données" (issue 9): how the coordinates the courts hold are shown (masked:
// enough for the citizen to recognise them, not enough for someone reading over their shoulder
// or a leaked export to use them), how legal durations read in French, and the labels of the
// kinds of messages and agent reads.
import { Duration } from 'luxon';
import { lireDuree } from './durees.js';

/** The bullet used by every mask: visibly not a character of the original. */
const P = '•';

/** "angela.dubois@example.fr" → "a•••@example.fr": the first character and the domain. */
export function masquerCourriel(courriel: string): string {
  const c = courriel.trim();
  const at = c.lastIndexOf('@');
  if (at < 1) return P.repeat(3);
  return `${c[0]}${P.repeat(3)}${c.slice(at)}`;
}

/**
 * "+33612345678" (or "06 12 34 56 78") → "+33 6 •• •• •• 78": the country, the kind of line
 * (mobile or not) and the last two digits, as on the link flow's "••78". Other countries keep
 * their first digits of prefix and the last two digits only.
 */
export function masquerTelephone(telephone: string): string {
  let t = telephone.replace(/[\s.()-]/g, '');
  if (/^0[1-9]\d{8}$/.test(t)) t = `+33${t.slice(1)}`;
  const fin = t.replace(/\D/g, '').slice(-2);
  if (/^\+33[1-9]\d{8}$/.test(t)) return `+33 ${t[3]} ${P}${P} ${P}${P} ${P}${P} ${fin}`;
  if (/^\+\d{7,15}$/.test(t)) return `${t.slice(0, 3)} ${P}${P}${P} ${fin}`;
  return `${P}${P}${fin}`;
}

const UNITES: [keyof ReturnType<Duration['toObject']>, string, string][] = [
  ['years', 'an', 'ans'],
  ['months', 'mois', 'mois'],
  ['weeks', 'semaine', 'semaines'],
  ['days', 'jour', 'jours'],
  ['hours', 'heure', 'heures'],
  ['minutes', 'minute', 'minutes'],
  ['seconds', 'seconde', 'secondes'],
];

/** "P1Y" → "1 an", "P5Y" → "5 ans", "P30D" → "30 jours", "P1Y6M" → "1 an et 6 mois". */
export function dureeEnFrancais(iso: string): string {
  const d = lireDuree(iso);
  if (!d) return iso;
  const o = d.toObject();
  const morceaux = UNITES.filter(([k]) => o[k]).map(([k, un, plusieurs]) => `${o[k]} ${o[k] === 1 ? un : plusieurs}`);
  if (morceaux.length <= 1) return morceaux[0] ?? iso;
  return `${morceaux.slice(0, -1).join(', ')} et ${morceaux.at(-1)}`;
}

export const LIBELLES_NOTIFICATIONS: Record<string, string> = {
  identifiant: 'Numéro d’identification',
  code_sms: 'Code de vérification (ajout d’un dossier)',
  alerte: 'Alerte de mise à jour d’un dossier',
  rappel: 'Rappel d’audience',
  annulation: 'Annulation d’audience',
  accuse_reception: 'Accusé de réception d’une requête',
  echec_requete: 'Échec de l’envoi d’une requête',
  expiration: 'Avertissement avant suppression d’un brouillon',
  enregistrement_requete: 'Enregistrement d’une requête par la juridiction',
  contact_accuse: 'Accusé de réception d’un message au support',
};
export const libelleNotification = (type: string) => LIBELLES_NOTIFICATIONS[type] ?? 'Message du portail';

export const LIBELLES_STATUTS_ENVOI: Record<string, string> = {
  en_attente: 'En attente d’envoi',
  envoye: 'Envoyé',
  echec_temporaire: 'Nouvel essai prévu',
  echec_definitif: 'Non distribuable',
};

export const LIBELLES_CANAUX: Record<string, string> = { courriel: 'Courriel', sms: 'SMS' };

export const LIBELLES_CONSULTATIONS: Record<string, string> = {
  'dossier.consulter': 'Consultation du dossier',
  'document.consulter': 'Consultation d’un document du dossier',
  'requete.consulter': 'Consultation de la requête',
  'requete.piece.consulter': 'Consultation d’une pièce jointe de la requête',
};

/** Why a link is no longer shown (db/mes-donnees.ts `masque`), in plain French. */
export const MOTIFS_MASQUE: Record<string, string> = {
  suivi_hors_ligne: 'cette procédure ne peut pas être suivie en ligne',
  partie_retiree: 'la juridiction ne vous mentionne plus comme partie',
  acces_retire: 'la juridiction a retiré votre accès en ligne à ce dossier',
  conservation_ecoulee: 'la durée de conservation après la clôture est écoulée',
};

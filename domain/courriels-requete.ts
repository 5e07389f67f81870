// What the requête e-mails say. Pure. Like the alerts, they name the requête (kind, reference,
// juridiction) and link to the personal space; they never repeat the requête's content.
import { formaterDate, formaterDateHeure } from './dates.js';
import { typeRequete } from './requetes.js';

const SIGNATURE = '\n\nCe message est envoyé automatiquement par le Portail du justiciable : merci de ne pas y répondre.';
const libelleType = (type: string) => typeRequete(type)?.libelle ?? 'Requête';

export function courrielAccuseReception(o: { type: string; reference: string; juridiction: string; envoyeeLe: Date; lien: string }) {
  return {
    sujet: `Accusé de réception de votre requête ${o.reference}`,
    corps:
      `Bonjour,\n\nVotre requête a bien été transmise à la juridiction.\n\n` +
      `Type : ${libelleType(o.type)}\nRéférence : ${o.reference}\nJuridiction : ${o.juridiction}\nDate de dépôt : ${formaterDateHeure(o.envoyeeLe)}\n\n` +
      `La preuve de dépôt (PDF) est disponible dans votre espace personnel :\n${o.lien}\n\n` +
      `Le greffe l’enregistrera et vous serez informé(e) par courriel de son enregistrement.` + SIGNATURE,
  };
}

export function courrielEchec(o: { type: string; juridiction: string; raison: string; lien: string }) {
  return {
    sujet: 'Votre requête n’a pas pu être transmise',
    corps:
      `Bonjour,\n\nVotre ${libelleType(o.type).toLowerCase()} n’a pas pu être transmise à ${o.juridiction}.\n\n` +
      `Motif : ${o.raison}\n\nVous pouvez la consulter, la corriger si besoin et l’envoyer de nouveau depuis votre espace personnel :\n${o.lien}` + SIGNATURE,
  };
}

export function courrielExpiration(o: { type: string; expireLe: Date; joursRestants: number; lien: string }) {
  const delai = o.joursRestants <= 1 ? 'demain' : `dans ${o.joursRestants} jours`;
  return {
    sujet: `Votre brouillon de requête sera supprimé ${delai}`,
    corps:
      `Bonjour,\n\nVous avez commencé une ${libelleType(o.type).toLowerCase()} sans l’envoyer.\n\n` +
      `Conformément aux règles de conservation des données, ce brouillon sera supprimé le ${formaterDate(o.expireLe)}` +
      ` (trente jours après le jour où vous l’avez commencé).\n\nPour l’envoyer avant cette date :\n${o.lien}` + SIGNATURE,
  };
}

export function courrielEnregistrement(o: { type: string; reference: string | null; juridiction: string; numeroDossier: string; lien: string }) {
  return {
    sujet: `Votre requête ${o.reference ?? ''} a été enregistrée`.replace('  ', ' '),
    corps:
      `Bonjour,\n\nLe greffe de ${o.juridiction} a enregistré votre ${libelleType(o.type).toLowerCase()}` +
      `${o.reference ? ` (référence ${o.reference})` : ''}.\n\nNuméro de dossier : ${o.numeroDossier}\n\n` +
      `Pour suivre ce dossier en ligne, vous recevrez un numéro d’identification par courriel lorsque vous aurez accepté ` +
      `la communication électronique ; vous pourrez alors l’ajouter à votre espace.\n\nVotre requête : ${o.lien}` + SIGNATURE,
  };
}

// Update alerts and hearing reminders: what the messages say, and the unsubscribe token of an
// alert e-mail. Pure (no I/O). An alert names the case, its juridiction and the kinds of update,
// never the case's content; a reminder gives date, time, court and address, nothing else.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { formaterDate, formaterHeure } from './dates.js';

export type NatureAlerte = 'affaire' | 'evenement' | 'audience' | 'audience_annulee' | 'consentement' | 'cloture' | 'reouverture';

const LIBELLES: Record<NatureAlerte, string> = {
  affaire: 'informations du dossier modifiées',
  evenement: 'nouvel événement ou nouveau document',
  audience: 'audience programmée ou déplacée',
  audience_annulee: 'audience annulée',
  consentement: 'communication électronique',
  cloture: 'changement d’état : dossier clôturé',
  reouverture: 'changement d’état : dossier rouvert',
};

export const libelleNature = (n: string): string => LIBELLES[n as NatureAlerte] ?? 'mise à jour';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signature(cle: string, compteId: string, dossierId: string): string {
  return createHmac('sha256', cle).update(`desabonnement\0${compteId}\0${dossierId}`).digest('base64url');
}

/**
 * The token of an alert e-mail's unsubscribe link: account and case ids, signed with HASH_KEY.
 * It carries no personal data and does not expire (a mail read months later must still work);
 * it can only turn that account's alerts for that case off.
 */
export function jetonDesabonnement(cle: string, compteId: string, dossierId: string): string {
  return `${compteId}.${dossierId}.${signature(cle, compteId, dossierId)}`;
}

export function lireJetonDesabonnement(cle: string, jeton: string): { compteId: string; dossierId: string } | null {
  const [compteId, dossierId, sig, ...reste] = jeton.split('.');
  if (reste.length || !compteId || !dossierId || !sig || !UUID.test(compteId) || !UUID.test(dossierId)) return null;
  const attendu = Buffer.from(signature(cle, compteId, dossierId));
  const recu = Buffer.from(sig);
  if (attendu.length !== recu.length || !timingSafeEqual(attendu, recu)) return null;
  return { compteId, dossierId };
}

export function courrielAlerte(o: {
  numeroDossier: string; juridiction: string; natures: string[]; lienDossier: string; lienDesabonnement: string; lienParametres: string;
}): { sujet: string; corps: string } {
  const natures = [...new Set(o.natures.map(libelleNature))];
  return {
    sujet: `Mise à jour de votre dossier n° ${o.numeroDossier} — ${o.juridiction}`,
    corps: [
      'Bonjour,',
      '',
      `Votre dossier n° ${o.numeroDossier} (${o.juridiction}) a été mis à jour :`,
      ...natures.map((n) => `  - ${n}`),
      '',
      'Pour en prendre connaissance, connectez-vous à votre espace personnel avec FranceConnect :',
      `  ${o.lienDossier}`,
      '',
      `Ne plus recevoir d’alertes pour ce dossier : ${o.lienDesabonnement}`,
      `Gérer toutes vos alertes : ${o.lienParametres}`,
      'Désactiver les alertes ne change ni votre consentement à la communication électronique ni les rappels d’audience par SMS.',
      '',
      'Ce message est envoyé automatiquement ; merci de ne pas y répondre.',
      'Portail du justiciable — ministère de la Justice',
    ].join('\n'),
  };
}

/** The reminder SMS: date, time, court and address, nothing else. */
export function smsRappel(o: { debut: Date; juridiction: string; adresse: string }): string {
  return `Rappel : audience le ${formaterDate(o.debut)} à ${formaterHeure(o.debut)}, ${o.juridiction}, ${o.adresse}.`;
}

/** The short SMS when a hearing already reminded is cancelled. */
export function smsAnnulation(o: { debut: Date; juridiction: string }): string {
  return `Annulation : l’audience du ${formaterDate(o.debut)} à ${formaterHeure(o.debut)} (${o.juridiction}) est annulée.`;
}

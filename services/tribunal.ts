// The court's commands: what a business application sends through the court API, what a clerk
// enters for a court without one (agent pages), and what the demo data loads. Each command is
// one transaction (it changes everything or nothing), writes the audit journal, and only after
// the commit signals the case's workflow (signal-with-start) when the case is followed online.
// Every command is idempotent: the same request twice has one effect and the same answer.
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type { Config } from '../domain/config.js';
import { ajouterDuree, dureeEnMs } from '../domain/durees.js';
import { instantAnnulation, instantRappel } from '../domain/rappels.js';
import { conflit, introuvable, requeteInvalide, ErreurPortail } from '../domain/erreurs.js';
import { empreinte, genererNumero, normaliserNumero } from '../domain/identifiants.js';
import {
  estUnPdf,
  type AffaireEntree,
  type AudienceEntree,
  type ConsentementEntree,
  type EvenementEntree,
  type JuridictionEntree,
} from '../domain/schemas/tribunal.js';
import * as dossiers from '../db/dossiers.js';
import * as juridictions from '../db/juridictions.js';
import * as consentements from '../db/consentements.js';
import * as notifications from '../db/notifications.js';
import * as consultation from '../db/consultation.js';
import { expirationLot } from '../domain/vie-du-dossier.js';
import { journaliser } from '../db/journal.js';
import type { Connexion } from '../db/pool.js';
import type { MiseAJourDossier, NatureMiseAJour } from '../workflows/messages.js';
import { signalerDossier } from './workflows.js';
import { suivreDossier } from './requetes.js';

export interface ContexteTribunal {
  pool: DatabasePool;
  temporal: Client;
  config: Config;
}

/** A case as the court names it: its juridiction (from the token) and its Portalis number. */
export interface CibleAffaire {
  juridiction: string;
  numeroPortalis: string;
}

const dossierIntrouvable = () => introuvable('Ce dossier');

async function exigerJuridiction(c: Connexion, code: string): Promise<void> {
  if (!(await juridictions.obtenirJuridiction(c, code))) {
    throw new ErreurPortail('juridiction_inconnue', `La juridiction ${code} ne s'est pas encore décrite (PUT /api/v1/juridiction).`, 409);
  }
}

/** The case, locked for the rest of the transaction so concurrent pushes apply one after the other. */
async function exigerDossier(c: Connexion, cible: CibleAffaire): Promise<dossiers.Dossier> {
  const d = await dossiers.trouverDossier(c, cible.juridiction, cible.numeroPortalis);
  if (!d) {
    if (await dossiers.estPurge(c, cible.juridiction, cible.numeroPortalis)) throw dossierPurge();
    throw dossierIntrouvable();
  }
  await dossiers.verrouillerDossier(c, d.id);
  return d;
}

const dossierPurge = () =>
  new ErreurPortail('dossier_purge', 'Ce dossier a été supprimé du portail à la fin de sa durée de conservation ; il ne peut plus être mis à jour.', 409);

/**
 * Who issues a command when it is not the court's application: a clerk entering it in the agent
 * pages. The journal row then names the agent and the role they acted under, in the command's
 * own transaction.
 */
export interface ActeurAgent {
  agentId: string;
  role: string;
  finalite?: string | null;
}

function journalTribunal(c: Connexion, d: { id: string; juridiction: string }, action: string, details?: Record<string, unknown>, acteur?: ActeurAgent) {
  if (acteur) {
    return journaliser(c, {
      acteurType: 'agent', acteurId: acteur.agentId, role: acteur.role, juridiction: d.juridiction, finalite: acteur.finalite ?? null,
      action, objetType: 'dossier', objetId: d.id, resultat: 'succes', details,
    });
  }
  return journaliser(c, { acteurType: 'tribunal', acteurId: d.juridiction, juridiction: d.juridiction, action, objetType: 'dossier', objetId: d.id, resultat: 'succes', details });
}

/** After the commit: tell the case's workflow, if the case is followed online. */
/** At most this many debounce windows between the first update of a burst and its alert. */
export const ALERTE_MAX_FENETRES = 6;

async function prevenir(
  ctx: ContexteTribunal, d: dossiers.Dossier, nature: NatureMiseAJour, cle: string, notificationsAEnvoyer: string[] = [],
  audience?: { id: string; debut: Date },
): Promise<void> {
  if (!d.suivi_en_ligne) return;
  const maintenant = new Date();
  // The purge deadline is computed here, in Europe/Paris, from the configured retention: the
  // workflow reads no configuration (DESIGN.md).
  const purgeLe = d.date_cloture ? ajouterDuree(d.date_cloture, ctx.config.CASE_RETENTION).toISOString() : null;
  // Every update alerts (gathered over ALERT_DEBOUNCE, at most ALERTE_MAX_FENETRES windows).
  const attenteMs = dureeEnMs(ctx.config.ALERT_DEBOUNCE);
  const maj: MiseAJourDossier = {
    nature, cle, recueLe: maintenant.toISOString(), etat: d.etat, notifications: notificationsAEnvoyer, purgeLe,
    alerte: { attenteMs, maxMs: attenteMs * ALERTE_MAX_FENETRES },
  };
  // A hearing's reminder instant (J-3, quiet hours) is computed here too (domain/rappels.ts).
  if (audience && nature === 'audience') {
    maj.audience = { id: audience.id, debut: audience.debut.toISOString(), rappelA: instantRappel(audience.debut, ctx.config.REMINDER_LEAD, ctx.config.QUIET_HOURS, maintenant)?.toISOString() ?? null };
  } else if (audience && nature === 'audience_annulee') {
    maj.audience = { id: audience.id, debut: audience.debut.toISOString(), rappelA: null, annulationA: instantAnnulation(audience.debut, ctx.config.QUIET_HOURS, maintenant)?.toISOString() ?? null };
  }
  await signalerDossier(ctx.temporal, ctx.config, { id: d.id, numeroDossier: d.numero_dossier, juridiction: d.juridiction, etat: d.etat, purgeLe }, maj);
}

export async function enregistrerJuridiction(ctx: ContexteTribunal, code: string, j: JuridictionEntree): Promise<{ cree: boolean }> {
  return ctx.pool.transaction(async (t) => {
    const r = await juridictions.enregistrerJuridiction(t, code, j);
    if (r.modifie) {
      await journaliser(t, { acteurType: 'tribunal', acteurId: code, juridiction: code, action: 'juridiction.decrire', objetType: 'juridiction', objetId: code, resultat: 'succes' });
    }
    return { cree: r.cree };
  });
}

export async function enregistrerAffaire(ctx: ContexteTribunal, cible: CibleAffaire, a: AffaireEntree): Promise<{ dossierId: string; cree: boolean }> {
  const { parties, ...donnees } = a;
  const r = await ctx.pool.transaction(async (t) => {
    await exigerJuridiction(t, cible.juridiction);
    const e = await dossiers.enregistrerDossier(t, cible.juridiction, cible.numeroPortalis, donnees);
    if (e.purge) throw dossierPurge();
    await dossiers.verrouillerDossier(t, e.dossier.id);
    const p = await dossiers.remplacerParties(t, e.dossier.id, parties);
    let d = e.dossier;
    if (e.modifie || p.modifie) {
      d = (await dossiers.obtenirDossier(t, d.id))!;
      await journalTribunal(t, d, e.cree ? 'affaire.creer' : 'affaire.modifier', { parties: { creees: p.creees, modifiees: p.modifiees, supprimees: p.supprimees, retirees: p.retirees } });
    }
    return { d, cree: e.cree };
  });
  await prevenir(ctx, r.d, 'affaire', `affaire:v${r.d.version}`);
  await suivreDossier(ctx, r.d);
  return { dossierId: r.d.id, cree: r.cree };
}

export async function ajouterEvenement(ctx: ContexteTribunal, cible: CibleAffaire, e: EvenementEntree, acteur?: ActeurAgent): Promise<{ evenementId: string; cree: boolean }> {
  let pdf: Buffer | null = null;
  if (e.document) {
    pdf = Buffer.from(e.document.pdf, 'base64');
    if (!estUnPdf(pdf)) throw new ErreurPortail('document_non_pdf', "Le document n'est pas un PDF.", 415, [{ champ: 'document.pdf', message: 'le contenu ne commence pas par %PDF-' }]);
    if (pdf.length > ctx.config.MAX_DOCUMENT_BYTES) {
      throw new ErreurPortail('document_trop_gros', `Le document dépasse la taille maximale de ${ctx.config.MAX_DOCUMENT_BYTES} octets.`, 413, [{ champ: 'document.pdf', message: `${pdf.length} octets` }]);
    }
  }
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    // The fingerprint covers the whole request as the court sent it (document included).
    const ajout = await dossiers.ajouterEvenement(t, d.id, {
      idTribunal: e.id, type: e.type, date: e.date, libelle: e.libelle,
      empreinte: dossiers.empreinteCanonique({ ...e, date: e.date.toISOString() }),
    });
    if (ajout.conflit) throw conflit(`L'événement ${e.id} existe déjà avec un contenu différent.`);
    if (ajout.cree && e.document && pdf) {
      const doc = await dossiers.ajouterDocument(t, { dossierId: d.id, evenementId: ajout.id, type: e.document.type, titre: e.document.titre, contenu: pdf, destinataires: e.document.destinataires });
      if (doc.destinatairesInconnus.length) {
        throw requeteInvalide(doc.destinatairesInconnus.map((id) => ({ champ: 'document.destinataires', message: `partie inconnue dans ce dossier : ${id}` })));
      }
    }
    // An agent's action is journaled even when it changed nothing (a resubmitted form).
    if (ajout.cree || acteur) await journalTribunal(t, d, 'evenement.ajouter', { evenement: e.id, document: e.document?.type ?? null, ...(ajout.cree ? {} : { sansEffet: true }) }, acteur);
    return { d, ajout };
  });
  await prevenir(ctx, r.d, 'evenement', `evenement:${e.id}`);
  return { evenementId: r.ajout.id, cree: r.ajout.cree };
}

export async function planifierAudience(ctx: ContexteTribunal, cible: CibleAffaire, idAudience: string, a: AudienceEntree, acteur?: ActeurAgent): Promise<{ audienceId: string; cree: boolean }> {
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const p = await dossiers.planifierAudience(t, d.id, idAudience, a);
    if (p.modifie || acteur) await journalTribunal(t, d, p.cree ? 'audience.planifier' : 'audience.deplacer', { audience: idAudience, ...(p.modifie ? {} : { sansEffet: true }) }, acteur);
    return { d, p };
  });
  await prevenir(ctx, r.d, 'audience', `audience:${idAudience}:${r.p.audience.debut.toISOString()}:${r.p.audience.updated_at.getTime()}`, [], { id: r.p.audience.id, debut: r.p.audience.debut });
  return { audienceId: r.p.audience.id, cree: r.p.cree };
}

export async function annulerAudience(ctx: ContexteTribunal, cible: CibleAffaire, idAudience: string, acteur?: ActeurAgent): Promise<{ annulee: boolean }> {
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const etat = await dossiers.annulerAudience(t, d.id, idAudience);
    if (etat === 'inconnue') throw introuvable('Cette audience');
    if (etat === 'annulee' || acteur) await journalTribunal(t, d, 'audience.annuler', { audience: idAudience, ...(etat === 'annulee' ? {} : { sansEffet: true }) }, acteur);
    const audience = (await dossiers.listerAudiences(t, d.id)).find((x) => x.id_tribunal === idAudience);
    return { d, etat, audience };
  });
  // The cancellation instant in the key: a hearing cancelled, rescheduled, then cancelled again
  // is a new update, while a replay of the same cancellation keeps its key.
  const annuleeLe = r.audience?.annulee_at?.getTime() ?? 0;
  await prevenir(ctx, r.d, 'audience_annulee', `audience_annulee:${idAudience}:${annuleeLe}`, [], r.audience ? { id: r.audience.id, debut: r.audience.debut } : undefined);
  return { annulee: r.etat === 'annulee' };
}

function texteCourrielIdentifiant(o: { numero: string; juridiction: string; numeroDossier: string; pourAutrui: string | null; publicUrl: string }): string {
  return [
    'Bonjour,',
    '',
    `${o.juridiction} a enregistré le consentement à la communication électronique${o.pourAutrui ? ` pour ${o.pourAutrui}` : ''} dans le dossier n° ${o.numeroDossier}.`,
    '',
    // The markers let the sending activity mask the number once the mail is out (only its
    // keyed hash stays in the database).
    `Numéro d'identification : ⟦${o.numero}⟧`,
    '',
    'Pour suivre ce dossier en ligne :',
    `  1. connectez-vous à votre espace personnel avec FranceConnect : ${o.publicUrl}/espace/dossiers/ajouter`,
    '  2. saisissez ce numéro d’identification, puis le code que vous recevrez par SMS.',
    '',
    'Ce numéro est strictement personnel : ne le communiquez à personne, pas même à votre avocat.',
    'Le ministère de la Justice ne vous le demandera jamais, ni par courriel ni par téléphone.',
    '',
    'Ce message est envoyé automatiquement ; merci de ne pas y répondre.',
    'Portail du justiciable — ministère de la Justice',
  ].join('\n');
}

function nomPartie(p: dossiers.Partie): string {
  if (p.type === 'morale') return p.raison_sociale ?? 'la personne morale';
  if (p.type === 'autorite') return p.titre ?? "l'autorité";
  return [p.civilite, p.prenoms, p.nom].filter(Boolean).join(' ');
}

/**
 * Records a party's consent to electronic communication and queues the e-mail carrying a new
 * identification number, sent by the case's workflow. The number never leaves through the API.
 */
export async function enregistrerConsentement(ctx: ContexteTribunal, cible: CibleAffaire, c: ConsentementEntree, acteur?: ActeurAgent): Promise<{ consentementId: string; cree: boolean }> {
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    if (!d.suivi_en_ligne) {
      throw new ErreurPortail('suivi_impossible', "Ce dossier ne peut pas être suivi en ligne : aucun consentement à la communication électronique n'y est possible par le portail.", 409);
    }
    const partie = (await dossiers.listerParties(t, d.id)).find((p) => p.id_tribunal === c.partie && !p.retiree_at);
    if (!partie) throw requeteInvalide([{ champ: 'partie', message: `partie inconnue dans ce dossier : ${c.partie}` }]);
    const destinataire = c.representant?.courriel ?? partie.courriel;
    if (!destinataire) {
      throw requeteInvalide([{ champ: 'representant.courriel', message: "la partie n'a pas d'adresse électronique : indiquer celle de son représentant" }]);
    }
    const e = await consentements.enregistrerConsentement(t, d.id, partie.id, c.representant);
    const cle = `consentement:${e.consentement.id}`;
    if (!e.cree) {
      if (acteur) await journalTribunal(t, d, 'consentement.enregistrer', { partie: c.partie, representant: !!c.representant, sansEffet: true }, acteur);
      return { d, consentementId: e.consentement.id, cree: false, notification: await notifications.trouverParCle(t, cle) };
    }
    const numero = genererNumero();
    await consentements.creerIdentifiant(t, e.consentement.id, empreinte(ctx.config.HASH_KEY, 'identifiant', normaliserNumero(numero)!), destinataire);
    const j = await juridictions.obtenirJuridiction(t, d.juridiction);
    const notification = await notifications.mettreEnFile(t, {
      cle, canal: 'courriel', destinataire, type: 'identifiant', dossierId: d.id,
      sujet: `Votre numéro d'identification — dossier n° ${d.numero_dossier}`,
      corps: texteCourrielIdentifiant({ numero, juridiction: j!.nom, numeroDossier: d.numero_dossier, pourAutrui: c.representant ? nomPartie(partie) : null, publicUrl: ctx.config.PUBLIC_URL }),
    });
    await journalTribunal(t, d, 'consentement.enregistrer', { partie: c.partie, representant: !!c.representant }, acteur);
    return { d, consentementId: e.consentement.id, cree: true, notification };
  });
  // A replay signals again with the same key: if the first signal was lost, this one delivers.
  await prevenir(ctx, r.d, 'consentement', `consentement:${r.consentementId}`, r.notification ? [r.notification] : []);
  return { consentementId: r.consentementId, cree: r.cree };
}

export async function cloturer(ctx: ContexteTribunal, cible: CibleAffaire, c: { date: Date }, acteur?: ActeurAgent): Promise<{ modifie: boolean }> {
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const modifie = await dossiers.cloturerDossier(t, d.id, c.date);
    if (modifie || acteur) await journalTribunal(t, d, 'affaire.cloturer', { date: c.date.toISOString(), ...(modifie ? {} : { sansEffet: true }) }, acteur);
    return { d: (await dossiers.obtenirDossier(t, d.id))!, modifie };
  });
  await prevenir(ctx, r.d, 'cloture', `cloture:${c.date.toISOString()}`);
  await suivreDossier(ctx, r.d);
  return { modifie: r.modifie };
}

export async function rouvrir(ctx: ContexteTribunal, cible: CibleAffaire, acteur?: ActeurAgent): Promise<{ modifie: boolean }> {
  const r = await ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const modifie = await dossiers.rouvrirDossier(t, d.id);
    const apres = (await dossiers.obtenirDossier(t, d.id))!;
    if (modifie || acteur) await journalTribunal(t, d, 'affaire.rouvrir', modifie ? undefined : { sansEffet: true }, acteur);
    return { d: apres, modifie };
  });
  await prevenir(ctx, r.d, 'reouverture', `reouverture:v${r.d.version}`);
  await suivreDossier(ctx, r.d);
  return { modifie: r.modifie };
}

// ------------------------------------------------------------------------------------------------
// Update batches ("Votre dossier est en cours de mise à jour")

/**
 * The court starts pushing a batch of changes for a case: its page shows the banner until the
 * batch is closed or expires (DUREE_MAX_LOT_MS after the last opening). Idempotent: opening an
 * open batch only moves its expiry (a retry, or a long batch's heartbeat); `ouvert` says whether
 * this call opened it. No workflow signal: nothing the citizen could be alerted about changed.
 */
export async function ouvrirLot(ctx: ContexteTribunal, cible: CibleAffaire): Promise<{ ouvert: boolean; expireLe: Date }> {
  const maintenant = new Date();
  return ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const r = await consultation.ouvrirLot(t, d.id, maintenant, expirationLot(maintenant));
    if (r.ouvert) await journalTribunal(t, d, 'lot.ouvrir', { expireLe: r.lot.expire_le.toISOString() });
    return { ouvert: r.ouvert, expireLe: r.lot.expire_le };
  });
}

/** The court's batch is over: the banner goes. Closing a closed (or expired) batch is a no-op. */
export async function fermerLot(ctx: ContexteTribunal, cible: CibleAffaire): Promise<{ ferme: boolean }> {
  return ctx.pool.transaction(async (t) => {
    const d = await exigerDossier(t, cible);
    const ferme = await consultation.fermerLot(t, d.id, new Date());
    if (ferme) await journalTribunal(t, d, 'lot.fermer');
    return { ferme };
  });
}

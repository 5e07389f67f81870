// Adding a case to a citizen's space with the identification number received by e-mail and a
// code sent by SMS to the phone the court holds, then detaching it (seed 000, "Ajouter un
// dossier", "Détacher un dossier"; ANCHORS C2 items 11-13).
//
// Each step is one transaction that writes its journal row whatever the outcome: a refusal is a
// *result* (committed: counters, invalidated codes, journal), not an exception that would roll
// them back. The number and the code never reach the journal, the logs or the database in
// clear: the number is looked up by its keyed hash, the code is stored as a keyed hash bound to
// its attempt, and the SMS text carries it between ⟦ ⟧ so the outbox masks it once sent.
// Time comes from `maintenant()`, so tests move the clock instead of waiting.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type { Config } from '../domain/config.js';
import { empreinte, genererCodeSms, memeEmpreinte, normaliserNumero } from '../domain/identifiants.js';
import {
  REGLES_CODE,
  apresEchec,
  controlerEnvoi,
  essaisRestants,
  estVerrouille,
  etatCode,
  masquerTelephone,
  normaliserCode,
  texteSmsCode,
} from '../domain/rattachement.js';
import * as codes from '../db/codes.js';
import * as rattachements from '../db/rattachements.js';
import * as notifications from '../db/notifications.js';
import { journaliser } from '../db/journal.js';
import type { Connexion } from '../db/pool.js';
import type { Logger } from '../web/log.js';
import { envoyerCodeSms } from './workflows.js';

export interface ContexteRattachement {
  pool: DatabasePool;
  temporal: Client;
  config: Config;
  maintenant: () => Date;
  log?: Logger;
}

/** Why a step failed; the pages turn each into its own French message. */
export type RefusRattachement =
  | { code: 'numero_vide' | 'numero_mal_forme' | 'numero_inconnu' }
  | { code: 'deja_rattache'; rattachementId: string }
  | { code: 'sans_telephone'; juridiction: string; telephoneJuridiction: string | null }
  | { code: 'verrouille'; jusqua: Date; juridiction: string; telephoneJuridiction: string | null }
  | { code: 'limite_sms' | 'intervalle_sms'; reessayerA: Date }
  | { code: 'envoi_impossible' }
  | { code: 'tentative_inconnue' }
  | { code: 'code_vide' | 'code_mal_forme' | 'code_remplace' | 'code_expire' | 'code_utilise' }
  | { code: 'code_incorrect'; essaisRestants: number }
  /** `maintenant`: this entry was the 5th wrong one; otherwise the code was already disabled. */
  | { code: 'code_desactive'; maintenant: boolean };

export type Refus = { ok: false; refus: RefusRattachement };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The keyed hash of a code, bound to its attempt: the same digits for another attempt differ. */
const empreinteCode = (config: Config, tentative: string, code: string) => empreinte(config.HASH_KEY, 'code_sms', `${tentative}\0${code}`);

function journal(c: Connexion, compteId: string, action: string, resultat: 'succes' | 'refus', objet: { type: string; id: string }, details: Record<string, unknown>) {
  return journaliser(c, { acteurType: 'citoyen', acteurId: compteId, action, objetType: objet.type, objetId: objet.id, resultat, details });
}

const refus = (r: RefusRattachement): Refus => ({ ok: false, refus: r });

/** Details of a refusal fit for the journal: its code and numbers, never a secret. */
function detailsRefus(r: RefusRattachement): Record<string, unknown> {
  const d: Record<string, unknown> = { motif: r.code };
  if (r.code === 'code_incorrect') d.essaisRestants = r.essaisRestants;
  if (r.code === 'verrouille') d.jusqua = r.jusqua.toISOString();
  if (r.code === 'limite_sms' || r.code === 'intervalle_sms') d.reessayerA = r.reessayerA.toISOString();
  return d;
}

type Envoi = { ok: true; tentative: string; notificationId: string } | Refus;

/** Checks the number's state and the limits, then stores a new code and queues its SMS. */
async function preparerEnvoi(ctx: ContexteRattachement, t: Connexion, compteId: string, ident: rattachements.IdentifiantCible, maintenant: Date): Promise<Envoi> {
  const objet = { type: 'identifiant', id: ident.id };
  const refuser = async (r: RefusRattachement) => {
    await journal(t, compteId, 'rattachement.envoyer_code', 'refus', objet, detailsRefus(r));
    return refus(r);
  };
  if (estVerrouille(ident, maintenant)) {
    return refuser({ code: 'verrouille', jusqua: ident.verrouille_jusqu_a!, juridiction: ident.juridiction_nom, telephoneJuridiction: ident.juridiction_telephone });
  }
  const existant = await rattachements.rattachementActif(t, compteId, ident.id);
  if (existant) return refuser({ code: 'deja_rattache', rattachementId: existant });
  if (!ident.telephone) return refuser({ code: 'sans_telephone', juridiction: ident.juridiction_nom, telephoneJuridiction: ident.juridiction_telephone });

  await codes.verrouillerEnvois(t, compteId, ident.telephone);
  const envois = await codes.envoisDepuis(t, compteId, ident.telephone, new Date(maintenant.getTime() - REGLES_CODE.fenetreEnvoisMs));
  const limite = controlerEnvoi(envois, maintenant);
  if (limite) return refuser({ code: limite.motif === 'quota' ? 'limite_sms' : 'intervalle_sms', reessayerA: limite.reessayerA });

  await codes.remplacerCodesEnCours(t, compteId, ident.id, maintenant);
  const tentative = randomUUID();
  const code = genererCodeSms();
  await codes.creerCode(t, {
    id: tentative, compteId, identifiantId: ident.id, telephone: ident.telephone,
    hash: empreinteCode(ctx.config, tentative, code),
    creeLe: maintenant, expireLe: new Date(maintenant.getTime() + REGLES_CODE.validiteMs),
  });
  const notificationId = await notifications.mettreEnFile(t, {
    cle: `code_sms:${tentative}`, canal: 'sms', destinataire: ident.telephone, type: 'code_sms',
    corps: texteSmsCode(ident.numero_dossier, code), compteId, dossierId: ident.dossier_id,
  });
  await journal(t, compteId, 'rattachement.envoyer_code', 'succes', objet, { tentative, telephone: masquerTelephone(ident.telephone) });
  return { ok: true, tentative, notificationId };
}

/**
 * After the commit, hands the SMS to its workflow. If even that fails (Temporal unreachable),
 * the code is withdrawn as if never sent, so it neither counts against the limits nor stays in
 * the outbox.
 */
async function expedier(ctx: ContexteRattachement, compteId: string, e: Envoi): Promise<{ ok: true; tentative: string } | Refus> {
  if (!e.ok) return e;
  try {
    await envoyerCodeSms(ctx.temporal, ctx.config, { codeId: e.tentative, notificationId: e.notificationId, validiteMs: REGLES_CODE.validiteMs });
    return { ok: true, tentative: e.tentative };
  } catch (err) {
    ctx.log?.error({ err, tentative: e.tentative }, 'envoi du code SMS impossible : workflow non démarré');
    await ctx.pool.transaction(async (t) => {
      await codes.supprimerCode(t, e.tentative);
      await notifications.abandonner(t, e.notificationId, 'workflow d’envoi non démarré');
      await journal(t, compteId, 'rattachement.envoyer_code', 'refus', { type: 'compte', id: compteId }, { motif: 'envoi_impossible', tentative: e.tentative });
    });
    return refus({ code: 'envoi_impossible' });
  }
}

/** Step 1: the citizen typed an identification number and asks for a code. */
export async function demanderCode(ctx: ContexteRattachement, compteId: string, saisie: string): Promise<{ ok: true; tentative: string } | Refus> {
  const maintenant = ctx.maintenant();
  const surCompte = { type: 'compte', id: compteId };
  const numero = saisie.trim() ? normaliserNumero(saisie) : null;
  if (!numero) {
    const r: RefusRattachement = { code: saisie.trim() ? 'numero_mal_forme' : 'numero_vide' };
    await journal(ctx.pool, compteId, 'rattachement.envoyer_code', 'refus', surCompte, detailsRefus(r));
    return refus(r);
  }
  const coupure = rattachements.coupureRetention(maintenant, ctx.config.CASE_RETENTION);
  const e = await ctx.pool.transaction(async (t): Promise<Envoi> => {
    const ident = await rattachements.trouverIdentifiant(t, empreinte(ctx.config.HASH_KEY, 'identifiant', numero), maintenant, coupure);
    // Unknown, mistyped into another valid shape, not followed online, party withdrawn, case
    // closed long ago or purged: one answer, so that nothing tells which numbers exist.
    if (!ident || !ident.utilisable) {
      const r: RefusRattachement = { code: 'numero_inconnu' };
      await journal(t, compteId, 'rattachement.envoyer_code', 'refus', ident ? { type: 'identifiant', id: ident.id } : surCompte, detailsRefus(r));
      return refus(r);
    }
    return preparerEnvoi(ctx, t, compteId, ident, maintenant);
  });
  return expedier(ctx, compteId, e);
}

/** "Recevoir un nouveau code": same attempt's number, a new code (the old one is replaced). */
export async function renvoyerCode(ctx: ContexteRattachement, compteId: string, tentative: string): Promise<{ ok: true; tentative: string } | Refus> {
  const maintenant = ctx.maintenant();
  if (!UUID.test(tentative)) return refus({ code: 'tentative_inconnue' });
  const coupure = rattachements.coupureRetention(maintenant, ctx.config.CASE_RETENTION);
  const e = await ctx.pool.transaction(async (t): Promise<Envoi> => {
    const precedent = await codes.obtenirCode(t, tentative, compteId);
    if (!precedent) {
      await journal(t, compteId, 'rattachement.envoyer_code', 'refus', { type: 'compte', id: compteId }, { motif: 'tentative_inconnue' });
      return refus({ code: 'tentative_inconnue' });
    }
    const ident = await rattachements.verrouillerIdentifiant(t, precedent.identifiant_id, maintenant, coupure);
    if (!ident || !ident.utilisable) {
      await journal(t, compteId, 'rattachement.envoyer_code', 'refus', { type: 'identifiant', id: precedent.identifiant_id }, { motif: 'numero_inconnu' });
      return refus({ code: 'numero_inconnu' });
    }
    return preparerEnvoi(ctx, t, compteId, ident, maintenant);
  });
  return expedier(ctx, compteId, e);
}

/** What the code page shows about an attempt of this account; null if it is not one. */
export async function tentativeEnCours(ctx: ContexteRattachement, compteId: string, tentative: string): Promise<{ telephone: string; expireLe: Date } | null> {
  if (!UUID.test(tentative)) return null;
  const c = await codes.obtenirCode(ctx.pool, tentative, compteId);
  return c ? { telephone: masquerTelephone(c.telephone), expireLe: c.expires_at } : null;
}

/** Step 2: the citizen typed the code received for this attempt. */
export async function verifierCode(ctx: ContexteRattachement, compteId: string, tentative: string, saisie: string): Promise<{ ok: true; rattachementId: string } | Refus> {
  const maintenant = ctx.maintenant();
  if (!UUID.test(tentative)) return refus({ code: 'tentative_inconnue' });
  const coupure = rattachements.coupureRetention(maintenant, ctx.config.CASE_RETENTION);
  return ctx.pool.transaction(async (t) => {
    // The number first, then the code: the same lock order as a send, so the two never deadlock.
    const apercu = await codes.obtenirCode(t, tentative, compteId);
    if (!apercu) {
      await journal(t, compteId, 'rattachement.verifier_code', 'refus', { type: 'compte', id: compteId }, { motif: 'tentative_inconnue' });
      return refus({ code: 'tentative_inconnue' });
    }
    const ident = await rattachements.verrouillerIdentifiant(t, apercu.identifiant_id, maintenant, coupure);
    const code = await codes.obtenirCode(t, tentative, compteId, { verrouiller: true });
    const objet = { type: 'identifiant', id: apercu.identifiant_id };
    const refuser = async (r: RefusRattachement) => {
      await journal(t, compteId, 'rattachement.verifier_code', 'refus', objet, { ...detailsRefus(r), tentative });
      return refus(r);
    };
    // Gone meanwhile: the case was purged (cascade), or the SMS could not be handed over.
    if (!code) return refuser({ code: 'tentative_inconnue' });
    if (!ident || !ident.utilisable) return refuser({ code: 'numero_inconnu' });
    if (estVerrouille(ident, maintenant)) {
      return refuser({ code: 'verrouille', jusqua: ident.verrouille_jusqu_a!, juridiction: ident.juridiction_nom, telephoneJuridiction: ident.juridiction_telephone });
    }
    const etat = etatCode(code, maintenant);
    if (etat === 'utilise') return refuser({ code: 'code_utilise' });
    if (etat === 'desactive') return refuser({ code: 'code_desactive', maintenant: false });
    if (etat === 'remplace') return refuser({ code: 'code_remplace' });
    if (etat === 'expire') return refuser({ code: 'code_expire' });
    if (!saisie.trim()) return refuser({ code: 'code_vide' });
    const chiffres = normaliserCode(saisie);
    // A malformed entry is not a guess: it costs no try.
    if (!chiffres) return refuser({ code: 'code_mal_forme' });

    if (!memeEmpreinte(code.hash, empreinteCode(ctx.config, tentative, chiffres))) {
      const compteur = apresEchec(ident, maintenant);
      await rattachements.enregistrerCompteurs(t, ident.id, compteur);
      const desactiver = compteur.verrouille || code.attempts + 1 >= REGLES_CODE.essaisParCode;
      const essais = await codes.enregistrerEssaiErrone(t, code.id, desactiver ? maintenant : null);
      if (compteur.verrouille) {
        await codes.invaliderCodesDeLIdentifiant(t, ident.id, maintenant);
        return refuser({ code: 'verrouille', jusqua: compteur.verrouille_jusqu_a!, juridiction: ident.juridiction_nom, telephoneJuridiction: ident.juridiction_telephone });
      }
      if (essais >= REGLES_CODE.essaisParCode) return refuser({ code: 'code_desactive', maintenant: true });
      return refuser({ code: 'code_incorrect', essaisRestants: essaisRestants(essais) });
    }

    await codes.marquerUtilise(t, code.id, maintenant);
    const existant = await rattachements.rattachementActif(t, compteId, ident.id);
    if (existant) return refuser({ code: 'deja_rattache', rattachementId: existant });
    const id = await rattachements.creerRattachement(t, { compteId, dossierId: ident.dossier_id, partieId: ident.partie_id, identifiantId: ident.id, creeLe: maintenant });
    // The right code proves the phone: the failure count starts again.
    await rattachements.enregistrerCompteurs(t, ident.id, { echecs: 0, echecs_depuis: null, verrouille_jusqu_a: null });
    await journal(t, compteId, 'rattachement.verifier_code', 'succes', objet, { tentative });
    await journal(t, compteId, 'rattachement.ajouter', 'succes', { type: 'rattachement', id: id! }, { dossier: ident.dossier_id, identifiant: ident.id });
    return { ok: true as const, rattachementId: id! };
  });
}

/** "Détacher ce dossier": false when the id is not one of this account's visible links. */
export async function detacher(ctx: ContexteRattachement, compteId: string, rattachementId: string): Promise<boolean> {
  if (!UUID.test(rattachementId)) return false;
  const maintenant = ctx.maintenant();
  return ctx.pool.transaction(async (t) => {
    const fait = await rattachements.detacherRattachement(t, compteId, rattachementId, maintenant, ctx.config.CASE_RETENTION);
    await journal(t, compteId, 'rattachement.detacher', fait ? 'succes' : 'refus', { type: 'rattachement', id: rattachementId }, fait ? {} : { motif: 'introuvable' });
    return fait;
  });
}

/** One of this account's visible links, for its page; null otherwise. */
export async function obtenir(ctx: ContexteRattachement, compteId: string, rattachementId: string): Promise<rattachements.RattachementVisible | null> {
  if (!UUID.test(rattachementId)) return null;
  return rattachements.obtenirRattachement(ctx.pool, compteId, rattachementId, ctx.maintenant(), ctx.config.CASE_RETENTION);
}

/** The dashboard's links. */
export async function lister(ctx: ContexteRattachement, compteId: string): Promise<readonly rattachements.RattachementVisible[]> {
  return rattachements.listerRattachements(ctx.pool, compteId, ctx.maintenant(), ctx.config.CASE_RETENTION);
}

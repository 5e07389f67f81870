// The requête commands shared by the citizen pages, the agent pages and the court API. Each
// checks ownership (a citizen reaches only the requêtes of their account; a court or agent only
// its juridiction's), writes in one transaction with its journal row, then tells the workflow.
import { createHash } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Config } from '../domain/config.js';
import { conflit, introuvable, requeteInvalide, type DetailErreur } from '../domain/erreurs.js';
import { FUSEAU } from '../domain/durees.js';
import {
  avertissementsBrouillon,
  CodeTypeRequete,
  estModifiable,
  expirationBrouillon,
  PIECES_MAX,
  purgeApresCloture,
  schemaDonnees,
  tiersSchema,
  typeRequete,
  verifierPiece,
} from '../domain/requetes.js';
import { courrielEnregistrement } from '../domain/courriels-requete.js';
import * as requetes from '../db/requetes.js';
import * as notifications from '../db/notifications.js';
import { journaliser } from '../db/journal.js';
import type { Connexion } from '../db/pool.js';
import type { ResultatEnvoi } from '../workflows/messages.js';
import { demarrerRequete, envoyerRequete, signalerClotureRequete, signalerEnregistrement, signalerSuppressionRequete } from './workflows.js';
import { sql } from 'slonik';
import { z } from 'zod';

export interface ContexteRequetes {
  pool: DatabasePool;
  temporal: Client;
  config: Config;
  maintenant?: () => Date;
}

const requeteIntrouvable = () => introuvable('Cette requête');
const lectureSeule = () => conflit('Cette requête a été transmise à la juridiction : elle ne peut plus être modifiée ni supprimée.');
export const aujourdHui = (d: Date) => DateTime.fromJSDate(d, { zone: FUSEAU }).toISODate()!;

function detailsZod(e: z.ZodError, prefixe = ''): DetailErreur[] {
  return e.issues.map((i) => ({ champ: `${prefixe}${String(i.path[0] ?? '')}`, message: i.message }));
}

/** The citizen's own requête, or a 404 (someone else's answers exactly like a missing one). */
export async function requeteDuCitoyen(c: Connexion, compteId: string, id: string, o: { verrou?: boolean } = {}): Promise<requetes.Requete> {
  const r = await requetes.requeteDuCompte(c, compteId, id, o);
  if (!r || r.statut === 'supprimee') throw requeteIntrouvable();
  return r;
}

/** Same, locked for a change: the citizen may change it only until it is transmitted. */
async function pourModification(c: Connexion, compteId: string, id: string): Promise<requetes.Requete> {
  const r = await requeteDuCitoyen(c, compteId, id, { verrou: true });
  if (!estModifiable(r.statut) || r.envoi_demande_at) throw lectureSeule();
  return r;
}

export const choixRequete = z.object({
  // A code's shape (domain/schemas/tribunal.ts codeJuridiction) before the lookup: a NUL in the
  // value reached PostgreSQL, which cannot compare it (a 500).
  juridiction: z.string({ required_error: 'Choisissez la juridiction.' }).trim().min(1, 'Choisissez la juridiction.').regex(/^[A-Z0-9_-]{2,32}$/, 'Choisissez une juridiction de la liste.'),
  type: CodeTypeRequete,
});

/** Begins a draft and its workflow (which will expire it). */
export async function commencer(ctx: ContexteRequetes, compteId: string, saisie: Record<string, unknown>): Promise<string> {
  const p = choixRequete.safeParse(saisie);
  if (!p.success) throw requeteInvalide(detailsZod(p.error), 'Choisissez la juridiction et le type de requête.');
  const maintenant = ctx.maintenant?.() ?? new Date();
  const expireLe = expirationBrouillon(maintenant, ctx.config.DRAFT_TTL);
  return ctx.pool.transaction(async (t) => {
    const existe = await t.exists(sql.unsafe`SELECT 1 FROM juridiction WHERE code = ${p.data.juridiction}`);
    if (!existe) throw requeteInvalide([{ champ: 'juridiction', message: 'Choisissez une juridiction de la liste.' }]);
    const id = await requetes.creerRequete(t, { compteId, juridiction: p.data.juridiction, type: p.data.type, commenceLe: maintenant, expireLe });
    await journaliser(t, { acteurType: 'citoyen', acteurId: compteId, juridiction: p.data.juridiction, action: 'requete.commencer', objetType: 'requete', objetId: id, resultat: 'succes', details: { type: p.data.type } });
    // Inside the transaction: if Temporal refuses, no draft exists without its expiry clock.
    await demarrerRequete(ctx.temporal, ctx.config, {
      requeteId: id, juridiction: p.data.juridiction, expireLe: expireLe.toISOString(),
      avertissements: avertissementsBrouillon(expireLe, ctx.config.DRAFT_WARNINGS).filter((a) => a > maintenant).map((a) => a.toISOString()),
    });
    return id;
  });
}

/** Saves the draft's fields (lenient: incomplete is fine, malformed is not). */
export async function enregistrerChamps(ctx: ContexteRequetes, compteId: string, id: string, saisie: Record<string, unknown>): Promise<{ ok: true } | { ok: false; erreurs: DetailErreur[] }> {
  return ctx.pool.transaction(async (t) => {
    const r = await pourModification(t, compteId, id);
    const type = typeRequete(r.type)!;
    const p = schemaDonnees(type, false, aujourdHui(ctx.maintenant?.() ?? new Date())).safeParse(saisie);
    if (!p.success) return { ok: false as const, erreurs: detailsZod(p.error) };
    await requetes.enregistrerBrouillon(t, id, p.data);
    return { ok: true as const };
  });
}

export async function ajouterTiers(ctx: ContexteRequetes, compteId: string, id: string, saisie: Record<string, unknown>): Promise<{ ok: true } | { ok: false; erreurs: DetailErreur[] }> {
  return ctx.pool.transaction(async (t) => {
    await pourModification(t, compteId, id);
    const p = tiersSchema.safeParse(saisie);
    if (!p.success) return { ok: false as const, erreurs: detailsZod(p.error, 'tiers-') };
    const n = await t.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM tiers WHERE requete_id = ${id}`);
    if (n >= 20) return { ok: false as const, erreurs: [{ champ: 'tiers-type', message: 'Une requête ne peut pas nommer plus de 20 personnes.' }] };
    await requetes.ajouterTiers(t, id, p.data);
    return { ok: true as const };
  });
}

export async function retirerTiers(ctx: ContexteRequetes, compteId: string, id: string, tiersId: string): Promise<void> {
  await ctx.pool.transaction(async (t) => {
    await pourModification(t, compteId, id);
    if (!(await requetes.supprimerTiers(t, id, tiersId))) throw introuvable('Cette personne');
  });
}

/** Attaches a file checked by its content; nothing is stored for a refused file. */
export async function ajouterPiece(ctx: ContexteRequetes, compteId: string, id: string, f: { nom: string; octets: Buffer }): Promise<{ ok: true; nom: string } | { ok: false; message: string }> {
  return ctx.pool.transaction(async (t) => {
    await pourModification(t, compteId, id);
    const deja = await t.one(sql.type(z.object({ octets: z.number(), nombre: z.number() }))`
      SELECT coalesce(sum(taille), 0)::int AS octets, count(*)::int AS nombre FROM piece_jointe WHERE requete_id = ${id}`);
    const v = verifierPiece(f, deja, { maxOctets: ctx.config.MAX_DOCUMENT_BYTES, maxTotal: ctx.config.MAX_REQUETE_BYTES, maxNombre: PIECES_MAX });
    if (!v.ok) return v;
    await requetes.ajouterPiece(t, id, { nom: v.nom, type: v.type, octets: f.octets, sha256: createHash('sha256').update(f.octets).digest('hex') });
    return { ok: true as const, nom: v.nom };
  });
}

export async function retirerPiece(ctx: ContexteRequetes, compteId: string, id: string, pieceId: string): Promise<void> {
  await ctx.pool.transaction(async (t) => {
    await pourModification(t, compteId, id);
    if (!(await requetes.supprimerPiece(t, id, pieceId))) throw introuvable('Cette pièce jointe');
  });
}

/** "Envoyer": the workflow's update answers with the acceptance or what is missing. */
export async function envoyer(ctx: ContexteRequetes, compteId: string, id: string): Promise<ResultatEnvoi> {
  const r = await requeteDuCitoyen(ctx.pool, compteId, id);
  if (!estModifiable(r.statut)) return { acceptee: false, erreurs: [{ champ: 'requete', message: 'Cette requête a déjà été transmise à la juridiction.' }] };
  return envoyerRequete(ctx.temporal, id);
}

/** The citizen deletes the draft: purged now (tombstone kept), the workflow then ends. */
export async function supprimer(ctx: ContexteRequetes, compteId: string, id: string): Promise<void> {
  await ctx.pool.transaction(async (t) => {
    const r = await pourModification(t, compteId, id);
    await requetes.purger(t, id, 'supprimee_par_le_demandeur');
    await journaliser(t, { acteurType: 'citoyen', acteurId: compteId, juridiction: r.juridiction, action: 'requete.supprimer', objetType: 'requete', objetId: id, resultat: 'succes' });
  });
  await signalerSuppressionRequete(ctx.temporal, id);
}

export const enregistrementSchema = z
  .object({
    // Control characters (NUL above all) would reach PostgreSQL, which cannot store them: a 500.
    numeroDossier: z.string({ required_error: 'champ obligatoire', invalid_type_error: 'texte attendu' }).trim().min(1, 'ne doit pas être vide').max(64, '64 caractères au plus')
      .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'caractère de contrôle interdit'),
    numeroPortalis: z.string({ required_error: 'champ obligatoire', invalid_type_error: 'texte attendu' }).trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'numéro Portalis : 1 à 64 caractères parmi A-Z a-z 0-9 . _ -'),
  })
  .strict();
export type EnregistrementEntree = z.infer<typeof enregistrementSchema>;

export interface ActeurEnregistrement {
  type: 'tribunal' | 'agent';
  id: string;
  role?: string | null;
  /** Why an agent acts (journal, decree art. 1 purposes). */
  finalite?: string | null;
}

/**
 * Registration with the case numbers (court API or a clerk/magistrate): `enregistree`, the
 * citizen e-mailed, the workflow told. Idempotent with the same numbers; a requête of another
 * juridiction is "not found".
 */
export async function enregistrer(
  ctx: ContexteRequetes, juridiction: string, id: string, e: EnregistrementEntree, acteur: ActeurEnregistrement,
): Promise<{ requete: requetes.Requete; nouveau: boolean }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw requeteIntrouvable();
  const r = await ctx.pool.transaction(async (t) => {
    const avant = await requetes.obtenirRequete(t, id);
    if (!avant || avant.juridiction !== juridiction || avant.statut === 'supprimee') throw requeteIntrouvable();
    if (avant.statut === 'brouillon' || avant.statut === 'echec') throw conflit('Cette requête n’a pas été transmise : elle ne peut pas être enregistrée.');
    const res = await requetes.enregistrer(t, { id, juridiction, numeroDossier: e.numeroDossier, numeroPortalis: e.numeroPortalis, par: `${acteur.type}:${acteur.id}` });
    if (!res) throw conflit('Cette requête est déjà enregistrée avec d’autres numéros.');
    if (!res.nouveau) return { ...res, notifications: [] as string[] };
    await journaliser(t, {
      acteurType: acteur.type, acteurId: acteur.id, role: acteur.role ?? null, finalite: acteur.finalite ?? null, juridiction, action: 'requete.enregistrer', objetType: 'requete', objetId: id, resultat: 'succes',
      details: { numeroDossier: e.numeroDossier, numeroPortalis: e.numeroPortalis },
    });
    const email = await t.maybeOneFirst(sql.type(z.object({ email: z.string().nullable() }))`SELECT email FROM compte WHERE id = ${res.requete.compte_id}`);
    const ids: string[] = [];
    if (email) {
      const m = courrielEnregistrement({ type: res.requete.type, reference: res.requete.reference, juridiction: res.requete.juridiction_nom ?? juridiction, numeroDossier: e.numeroDossier, lien: `${ctx.config.PUBLIC_URL}/espace/requetes/${id}` });
      ids.push(await notifications.mettreEnFile(t, { cle: `enregistrement:${id}`, canal: 'courriel', destinataire: email, type: 'enregistrement_requete', sujet: m.sujet, corps: m.corps, compteId: res.requete.compte_id, requeteId: id }));
    }
    return { ...res, notifications: ids };
  });
  // Signalled even on a replay: a signal lost after the first commit is repaired by the retry.
  await signalerEnregistrement(ctx.temporal, id, r.notifications);
  if (r.requete.dossier_cloture_at) await signalerClotureRequete(ctx.temporal, id, purgeApresCloture(r.requete.dossier_cloture_at, ctx.config.REQUETE_RETENTION).toISOString());
  return { requete: r.requete, nouveau: r.nouveau };
}

/**
 * A case was written by its court: the registered requêtes that became it follow its closure
 * (REQUETE_RETENTION after it) or its reopening. Called after the case's own transaction.
 */
export async function suivreDossier(ctx: Pick<ContexteRequetes, 'pool' | 'temporal' | 'config'>, d: { id: string; juridiction: string; numero_portalis: string; date_cloture: Date | null }): Promise<void> {
  const liees = await requetes.suivreCloture(ctx.pool, { juridiction: d.juridiction, numeroPortalis: d.numero_portalis, dossierId: d.id, clotureLe: d.date_cloture });
  for (const r of liees) {
    await signalerClotureRequete(ctx.temporal, r.id, r.cloture ? purgeApresCloture(r.cloture, ctx.config.REQUETE_RETENTION).toISOString() : null);
  }
}

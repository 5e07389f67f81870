// Agents and their roles (tables agent, agent_role), and the journal reads of the agent pages.
// Roles are never deleted: withdrawing one sets revoked_at, so the journal can always say who
// could do what, and when.
import { z } from 'zod';
import type { AttributionRole, RoleActif } from '../domain/agents.js';
import { RoleAgent } from '../domain/agents.js';
import { sql, type Connexion } from './pool.js';

export const Agent = z.object({
  id: z.string().uuid(),
  courriel: z.string(),
  nom: z.string().nullable(),
  prenom: z.string().nullable(),
  last_login_at: z.date().nullable(),
});
export type Agent = z.infer<typeof Agent>;

const colonnesAgent = sql.fragment`id, courriel, nom, prenom, last_login_at`;

export const RoleEnregistre = z.object({
  id: z.string().uuid(),
  agent_id: z.string().uuid(),
  role: RoleAgent,
  juridiction: z.string().nullable(),
  debut: z.string().nullable(),
  fin: z.string().nullable(),
  created_at: z.date(),
  revoked_at: z.date().nullable(),
});
export type RoleEnregistre = z.infer<typeof RoleEnregistre>;

const colonnesRole = sql.fragment`id, agent_id, role, juridiction, debut, fin, created_at, revoked_at`;

export async function trouverAgent(c: Connexion, courriel: string): Promise<Agent | null> {
  return c.maybeOne(sql.type(Agent)`SELECT ${colonnesAgent} FROM agent WHERE courriel = ${courriel.toLowerCase()}`);
}

export async function obtenirAgent(c: Connexion, id: string): Promise<Agent | null> {
  return c.maybeOne(sql.type(Agent)`SELECT ${colonnesAgent} FROM agent WHERE id = ${id}`);
}

/** The agent's roles not withdrawn (a magistrate's window is checked by domain/agents.ts). */
export async function rolesNonRetires(c: Connexion, agentId: string): Promise<(RoleActif & { id: string })[]> {
  const lignes = await c.any(sql.type(RoleEnregistre)`
    SELECT ${colonnesRole} FROM agent_role WHERE agent_id = ${agentId} AND revoked_at IS NULL ORDER BY created_at, id`);
  return lignes.map((r) => ({ id: r.id, role: r.role, juridiction: r.juridiction, debut: r.debut, fin: r.fin }));
}

/** Refreshes the name the ministry gives and the last login. */
export async function enregistrerConnexion(c: Connexion, agentId: string, o: { nom: string | null; prenom: string | null }): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE agent SET nom = coalesce(${o.nom}, nom), prenom = coalesce(${o.prenom}, prenom), last_login_at = now() WHERE id = ${agentId}`);
}

/**
 * Grants a role (creating the agent, known by e-mail, if needed). Granting a role the agent
 * already holds in that juridiction updates its habilitation window instead of adding a row.
 */
export async function attribuerRole(c: Connexion, a: AttributionRole, accordePar: string | null): Promise<{ agentId: string; roleId: string; cree: boolean; modifie: boolean }> {
  return c.transaction(async (t) => {
    const agentId = await t.oneFirst(sql.type(z.object({ id: z.string().uuid() }))`
      INSERT INTO agent (courriel) VALUES (${a.courriel.toLowerCase()})
      ON CONFLICT (courriel) DO UPDATE SET courriel = EXCLUDED.courriel
      RETURNING id`);
    const existant = await t.maybeOne(sql.type(RoleEnregistre)`
      SELECT ${colonnesRole} FROM agent_role
      WHERE agent_id = ${agentId} AND role = ${a.role} AND coalesce(juridiction, '') = ${a.juridiction ?? ''} AND revoked_at IS NULL
      FOR UPDATE`);
    if (existant) {
      if (existant.debut === a.debut && existant.fin === a.fin) return { agentId, roleId: existant.id, cree: false, modifie: false };
      await t.query(sql.unsafe`UPDATE agent_role SET debut = ${a.debut}::date, fin = ${a.fin}::date WHERE id = ${existant.id}`);
      return { agentId, roleId: existant.id, cree: false, modifie: true };
    }
    const roleId = await t.oneFirst(sql.type(z.object({ id: z.string().uuid() }))`
      INSERT INTO agent_role (agent_id, role, juridiction, debut, fin, granted_by)
      VALUES (${agentId}, ${a.role}, ${a.juridiction}, ${a.debut}::date, ${a.fin}::date, ${accordePar})
      RETURNING id`);
    return { agentId, roleId, cree: true, modifie: true };
  });
}

/** Withdraws the agent's live role(s) matching; returns the ids withdrawn. */
export async function retirerRole(c: Connexion, o: { courriel: string; role: string; juridiction: string | null }): Promise<string[]> {
  return [...(await c.anyFirst(sql.type(z.object({ id: z.string().uuid() }))`
    UPDATE agent_role r SET revoked_at = now()
    FROM agent a
    WHERE a.id = r.agent_id AND a.courriel = ${o.courriel.toLowerCase()} AND r.role = ${o.role}
      AND coalesce(r.juridiction, '') = ${o.juridiction ?? ''} AND r.revoked_at IS NULL
    RETURNING r.id`))];
}

/** Withdraws one role by id, only if it belongs to `juridiction` and is one of `roles`. */
export async function retirerRoleDeLaJuridiction(c: Connexion, roleId: string, juridiction: string, roles: readonly string[]): Promise<RoleEnregistre | null> {
  return c.maybeOne(sql.type(RoleEnregistre)`
    UPDATE agent_role SET revoked_at = now()
    WHERE id = ${roleId} AND juridiction = ${juridiction} AND role = ANY(${sql.array([...roles], 'text')}) AND revoked_at IS NULL
    RETURNING ${colonnesRole}`);
}

export const RoleDeJuridiction = RoleEnregistre.extend({ courriel: z.string(), nom: z.string().nullable(), prenom: z.string().nullable(), accorde_par: z.string().nullable() });
export type RoleDeJuridiction = z.infer<typeof RoleDeJuridiction>;

/** Every role of a juridiction, withdrawn ones included (the head of registry's list). */
export async function rolesDeLaJuridiction(c: Connexion, juridiction: string): Promise<readonly RoleDeJuridiction[]> {
  return c.any(sql.type(RoleDeJuridiction)`
    SELECT r.id, r.agent_id, r.role, r.juridiction, r.debut, r.fin, r.created_at, r.revoked_at, a.courriel, a.nom, a.prenom, g.courriel AS accorde_par
    FROM agent_role r JOIN agent a ON a.id = r.agent_id LEFT JOIN agent g ON g.id = r.granted_by
    WHERE r.juridiction = ${juridiction}
    ORDER BY r.revoked_at IS NOT NULL, a.courriel, r.role, r.created_at`);
}

// ------------------------------------------------------------------------------------------------
// Journal reads

export const LigneJournalAgent = z.object({
  id: z.number().int(),
  at: z.date(),
  acteur_type: z.string(),
  acteur_id: z.string().nullable(),
  acteur_courriel: z.string().nullable(),
  role: z.string().nullable(),
  juridiction: z.string().nullable(),
  finalite: z.string().nullable(),
  action: z.string(),
  objet_type: z.string().nullable(),
  objet_id: z.string().nullable(),
  resultat: z.string(),
});
export type LigneJournalAgent = z.infer<typeof LigneJournalAgent>;

export interface FiltresJournal {
  /** Inclusive instants. */
  du?: Date | null;
  au?: Date | null;
  courriel?: string | null;
  action?: string | null;
  limite?: number;
}

/** A juridiction's journal, newest first: rows whose juridiction is this one. */
export async function journalDeLaJuridiction(c: Connexion, juridiction: string, f: FiltresJournal): Promise<readonly LigneJournalAgent[]> {
  const conditions = [sql.fragment`j.juridiction = ${juridiction}`];
  if (f.du) conditions.push(sql.fragment`j.at >= ${f.du.toISOString()}::timestamptz`);
  if (f.au) conditions.push(sql.fragment`j.at <= ${f.au.toISOString()}::timestamptz`);
  if (f.courriel) conditions.push(sql.fragment`a.courriel = ${f.courriel.toLowerCase()}`);
  if (f.action) conditions.push(sql.fragment`j.action = ${f.action}`);
  return c.any(sql.type(LigneJournalAgent)`
    SELECT j.id, j.at, j.acteur_type, j.acteur_id, a.courriel AS acteur_courriel, j.role, j.juridiction, j.finalite, j.action,
           j.objet_type, j.objet_id, j.resultat
    FROM journal j LEFT JOIN agent a ON j.acteur_type = 'agent' AND a.id::text = j.acteur_id
    WHERE ${sql.join(conditions, sql.fragment` AND `)}
    ORDER BY j.at DESC, j.id DESC
    LIMIT ${f.limite ?? 200}`);
}

/** The distinct actions of a juridiction's journal (the filter's choices). */
export async function actionsDuJournal(c: Connexion, juridiction: string): Promise<readonly string[]> {
  return c.anyFirst(sql.type(z.object({ action: z.string() }))`
    SELECT DISTINCT action FROM journal WHERE juridiction = ${juridiction} ORDER BY action`);
}

export const ConsultationParTribunal = z.object({ at: z.date(), role: z.string().nullable(), juridiction: z.string().nullable(), juridiction_nom: z.string().nullable() });
export type ConsultationParTribunal = z.infer<typeof ConsultationParTribunal>;

/**
 * Agents' successful consultations of a case, newest first, without saying who (the citizen's
 * list). A reception desk may sit in another court: its own juridiction is the one shown.
 */
export async function consultationsDuDossier(c: Connexion, dossierId: string): Promise<readonly ConsultationParTribunal[]> {
  return c.any(sql.type(ConsultationParTribunal)`
    SELECT j.at, j.role, coalesce(j.details->>'juridictionAgent', j.juridiction) AS juridiction, ju.nom AS juridiction_nom
    FROM journal j LEFT JOIN juridiction ju ON ju.code = coalesce(j.details->>'juridictionAgent', j.juridiction)
    WHERE j.objet_type = 'dossier' AND j.objet_id = ${dossierId} AND j.acteur_type = 'agent'
      AND j.action = 'dossier.consulter' AND j.resultat = 'succes'
    ORDER BY j.at DESC, j.id DESC
    LIMIT 100`);
}

// ------------------------------------------------------------------------------------------------
// Case reads for the agent pages (the caller has checked the agent's role for the case's juridiction)

export const DossierTrouve = z.object({
  id: z.string().uuid(),
  juridiction: z.string(),
  juridiction_nom: z.string(),
  numero_portalis: z.string(),
  numero_dossier: z.string(),
  nature: z.string(),
  etat: z.string(),
  date_cloture: z.date().nullable(),
});
export type DossierTrouve = z.infer<typeof DossierTrouve>;

/**
 * Cases whose numéro de dossier or Portalis number is `numero` (exact, case-insensitive), in
 * these juridictions only (null in the list: every juridiction).
 */
export async function chercherDossiers(c: Connexion, numero: string, juridictions: readonly (string | null)[], limite = 20): Promise<readonly DossierTrouve[]> {
  const partout = juridictions.includes(null);
  const codes = juridictions.filter((j): j is string => j !== null);
  if (!partout && codes.length === 0) return [];
  const filtre = partout ? sql.fragment`TRUE` : sql.fragment`d.juridiction = ANY(${sql.array(codes, 'text')})`;
  return c.any(sql.type(DossierTrouve)`
    SELECT d.id, d.juridiction, j.nom AS juridiction_nom, d.numero_portalis, d.numero_dossier, d.nature, d.etat, d.date_cloture
    FROM dossier d JOIN juridiction j ON j.code = d.juridiction
    WHERE (lower(d.numero_dossier) = lower(${numero}) OR lower(d.numero_portalis) = lower(${numero})) AND ${filtre}
    ORDER BY j.nom, d.numero_dossier
    LIMIT ${limite}`);
}

export const DocumentDossier = z.object({
  id: z.string().uuid(),
  evenement_id: z.string().uuid().nullable(),
  type: z.string(),
  titre: z.string(),
  taille: z.number().int(),
  date: z.date(),
  destinataires: z.array(z.string()),
});
export type DocumentDossier = z.infer<typeof DocumentDossier>;

/** Every document of a case with its recipients' court ids (the court's view, not a party's). */
export async function documentsDuDossier(c: Connexion, dossierId: string): Promise<readonly DocumentDossier[]> {
  return c.any(sql.type(DocumentDossier)`
    SELECT doc.id, doc.evenement_id, doc.type, doc.titre, doc.taille, coalesce(e.date, doc.created_at) AS date,
           coalesce(array_agg(p.id_tribunal ORDER BY p.id_tribunal) FILTER (WHERE p.id IS NOT NULL), '{}') AS destinataires
    FROM document doc
    LEFT JOIN evenement e ON e.id = doc.evenement_id
    LEFT JOIN document_destinataire dd ON dd.document_id = doc.id
    LEFT JOIN partie p ON p.id = dd.partie_id
    WHERE doc.dossier_id = ${dossierId}
    GROUP BY doc.id, e.date
    ORDER BY date, doc.created_at`);
}

export const ContenuDocumentDossier = z.object({ id: z.string().uuid(), titre: z.string(), contenu: z.instanceof(Buffer) });

export async function documentDuDossier(c: Connexion, dossierId: string, documentId: string): Promise<z.infer<typeof ContenuDocumentDossier> | null> {
  return c.maybeOne(sql.type(ContenuDocumentDossier)`
    SELECT id, titre, contenu FROM document WHERE id = ${documentId} AND dossier_id = ${dossierId}`);
}

export const ConsentementPartie = z.object({ partie_id: z.string().uuid(), date: z.date(), representant_nom: z.string().nullable() });

/** Live consents of a case's parties. */
export async function consentementsDuDossier(c: Connexion, dossierId: string): Promise<readonly z.infer<typeof ConsentementPartie>[]> {
  return c.any(sql.type(ConsentementPartie)`
    SELECT partie_id, date, representant_nom FROM consentement WHERE dossier_id = ${dossierId} AND revoked_at IS NULL`);
}

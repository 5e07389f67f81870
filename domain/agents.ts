// Agents' roles (DESIGN.md "Agent roles", decree 004 art. 3): the shape every agent page reads
// from `ctx.state.agent`, and the pure rules saying what a role may do where. The database holds
// the roles (table agent_role); these functions only decide, so the authorization matrix test and
// the pages share one source.
import { z } from 'zod';

export const ROLES_AGENT = ['agent_greffe', 'agent_accueil', 'directeur_greffe', 'magistrat', 'statistiques_national'] as const;
export const RoleAgent = z.enum(ROLES_AGENT);
export type RoleAgent = z.infer<typeof RoleAgent>;

export const LIBELLES_ROLES: Record<RoleAgent, string> = {
  agent_greffe: 'Agent de greffe',
  agent_accueil: 'Agent d’accueil (SAUJ)',
  directeur_greffe: 'Directeur de greffe',
  magistrat: 'Magistrat désigné',
  statistiques_national: 'Statistiques nationales',
};

export interface RoleActif {
  role: RoleAgent;
  /** Null for national roles (agent_accueil may be national, statistiques_national always is). */
  juridiction: string | null;
  /** Habilitation window of a magistrate, as ISO dates (YYYY-MM-DD, Europe/Paris), inclusive. */
  debut: string | null;
  fin: string | null;
}

/** What the agent middleware puts in `ctx.state.agent`: roles not revoked, read at each request. */
export interface AgentConnecte {
  id: string;
  courriel: string;
  nom: string | null;
  prenom: string | null;
  roles: RoleActif[];
}

export type ActionAgent =
  | 'consulter_dossier' // a clerk's own juridiction's cases
  | 'modifier_dossier' // consents, manual events, hearings, documents, closure
  | 'consulter_requete'
  | 'enregistrer_requete'
  | 'gerer_agents' // designate/habilitate magistrates, add clerks
  | 'lire_journal'
  | 'accueil' // SAUJ lookup of one case, any juridiction, purpose stated
  | 'support' // the portal's support inbox (/contact requests): national, bound to no juridiction
  | 'statistiques';

/** A magistrate acts only inside their habilitation window (dates inclusive, Europe/Paris). */
export function roleEnVigueur(r: RoleActif, aujourdHui: string): boolean {
  if (r.debut && aujourdHui < r.debut) return false;
  if (r.fin && aujourdHui > r.fin) return false;
  return true;
}

const DROITS: Record<RoleAgent, readonly ActionAgent[]> = {
  agent_greffe: ['consulter_dossier', 'modifier_dossier', 'consulter_requete', 'enregistrer_requete'],
  directeur_greffe: ['consulter_dossier', 'modifier_dossier', 'consulter_requete', 'enregistrer_requete', 'gerer_agents', 'lire_journal', 'statistiques'],
  magistrat: ['consulter_requete', 'enregistrer_requete'],
  // The support inbox goes to reception agents: answering citizens about how the portal works is
  // a front-desk task (seed: the support answers about the space's content and navigation, never
  // about a case), and contact requests belong to no juridiction, so only a role that may act
  // across juridictions fits; clerks and heads of registry see their own court's data only.
  agent_accueil: ['accueil', 'support'],
  statistiques_national: ['statistiques'],
};

/**
 * The role under which `agent` may do `action` in `juridiction` today, or null. A role bound to a
 * juridiction acts only there; national roles (juridiction null) act everywhere for their actions.
 * `juridiction` null asks for a national scope: only national roles match.
 */
export function roleAutorise(agent: Pick<AgentConnecte, 'roles'>, action: ActionAgent, juridiction: string | null, aujourdHui: string): RoleActif | null {
  return (
    agent.roles.find(
      (r) =>
        DROITS[r.role].includes(action) &&
        roleEnVigueur(r, aujourdHui) &&
        (r.juridiction === null || r.juridiction === juridiction),
    ) ?? null
  );
}

/** The juridictions where `agent` may do `action` today (null in the list: everywhere). */
export function juridictionsAutorisees(agent: Pick<AgentConnecte, 'roles'>, action: ActionAgent, aujourdHui: string): (string | null)[] {
  return [...new Set(agent.roles.filter((r) => DROITS[r.role].includes(action) && roleEnVigueur(r, aujourdHui)).map((r) => r.juridiction))];
}

/** Today as YYYY-MM-DD in Europe/Paris: habilitation windows are calendar days in France. */
export function jourParis(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The roles a head of registry may grant in their own juridiction (decree 004 art. 3). */
export const ROLES_DELEGABLES = ['agent_greffe', 'magistrat'] as const satisfies readonly RoleAgent[];

/** Roles bound to one juridiction (the others may be national). */
export const ROLES_JURIDICTION: readonly RoleAgent[] = ['agent_greffe', 'directeur_greffe', 'magistrat'];

/** E-mail claims are compared lower-cased: the ministry's directory may vary the case. */
export const courrielAgent = z
  .string({ required_error: 'adresse électronique obligatoire' })
  .trim()
  .toLowerCase()
  .email('adresse électronique invalide')
  .max(254, 'adresse électronique trop longue');

const jour = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'date inexistante');

/**
 * A grant of a role, as the operator command and the head of registry's form give it: the one
 * schema of that shape, with the rules the database also checks (agent_role constraints), so the
 * user gets a French message instead of a constraint violation.
 */
export const attributionRole = z
  .object({
    courriel: courrielAgent,
    role: z
      .string({ required_error: 'rôle obligatoire' })
      .refine((v): v is RoleAgent => (ROLES_AGENT as readonly string[]).includes(v), (v) => ({ message: `rôle inconnu « ${v} » : ${ROLES_AGENT.join(', ')}` }))
      .transform((v) => v as RoleAgent),
    juridiction: z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{2,32}$/, 'code de juridiction : 2 à 32 caractères parmi A-Z 0-9 _ -').nullish().transform((v) => v ?? null),
    debut: jour.nullish().transform((v) => v ?? null),
    fin: jour.nullish().transform((v) => v ?? null),
  })
  .superRefine((a, ctx) => {
    if (ROLES_JURIDICTION.includes(a.role) && !a.juridiction) ctx.addIssue({ code: 'custom', path: ['juridiction'], message: `le rôle ${a.role} exige une juridiction` });
    if (a.role === 'statistiques_national' && a.juridiction) ctx.addIssue({ code: 'custom', path: ['juridiction'], message: 'le rôle statistiques_national est national : pas de juridiction' });
    if (a.role === 'magistrat' && !a.debut) ctx.addIssue({ code: 'custom', path: ['debut'], message: 'un magistrat est habilité avec une date de début' });
    if (a.role === 'magistrat' && !a.fin) ctx.addIssue({ code: 'custom', path: ['fin'], message: 'un magistrat est habilité avec une date de fin' });
    if (a.debut && a.fin && a.fin < a.debut) ctx.addIssue({ code: 'custom', path: ['fin'], message: 'la date de fin précède la date de début' });
  });
export type AttributionRole = z.infer<typeof attributionRole>;

/**
 * The reception-desk role under which `agent` may look a case up, whatever the case's
 * juridiction: the SAUJ informs the citizen standing at its desk about any court's case (decree
 * 004 art. 1 and 3, issue 8), so its own juridiction only says where the desk is (journal,
 * citizen's list). roleAutorise keeps its rule for every other action.
 */
export function roleAccueil(agent: Pick<AgentConnecte, 'roles'>, aujourdHui: string): RoleActif | null {
  return roleToutesJuridictions(agent, 'accueil', aujourdHui);
}

/** Actions whose objects belong to no juridiction (or to any): a role's own juridiction does not limit them. */
export const ACTIONS_TOUTES_JURIDICTIONS: readonly ActionAgent[] = ['accueil', 'support'];

/** The role in force under which `agent` may do `action` whatever the juridiction, or null. */
export function roleToutesJuridictions(agent: Pick<AgentConnecte, 'roles'>, action: ActionAgent, aujourdHui: string): RoleActif | null {
  return agent.roles.find((r) => DROITS[r.role].includes(action) && roleEnVigueur(r, aujourdHui)) ?? null;
}

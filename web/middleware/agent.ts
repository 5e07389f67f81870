// Every page under /agent (but login and logout) needs a logged-in agent with at least one role
// in force today. The agent comes from the server-side session; the roles are read from the
// database at every request, so a withdrawal or the end of a magistrate's habilitation takes
// effect at the next click. What a role may do where is domain/agents.ts, never decided here.
import type Koa from 'koa';
import type { DatabasePool } from 'slonik';
import {
  jourParis,
  roleAutorise,
  roleEnVigueur,
  type ActionAgent,
  type AgentConnecte,
  type RoleActif,
} from '../../domain/agents.js';
import { ErreurPortail, nonAutorise } from '../../domain/erreurs.js';
import * as agents from '../../db/agents.js';
import { sql } from '../../db/pool.js';
import { z } from 'zod';
import { journaliser } from '../../db/journal.js';
import type { DonneesSession } from './session.js';
import { flash } from '../vues/rendu.js';

export const refusSansRole = () =>
  new ErreurPortail(
    'agent_sans_role',
    'Votre compte du ministère de la Justice n’a aucun rôle en vigueur sur le Portail du justiciable. Si vous devez y accéder, demandez à votre directeur ou directrice de greffe de vous habiliter (ou, pour une première habilitation de directeur de greffe, à l’exploitant du portail).',
    403,
  );

/** Same words and status as any unknown page: an object of another juridiction does not exist for this agent. */
export const introuvableAgent = () => new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);

export const refusAction = () =>
  new ErreurPortail('interdit', 'Votre rôle ne permet pas cette action. Les actions ouvertes à vos rôles sont listées sur l’accueil de l’espace agents.', 403);

export function exigerAgent(pool: DatabasePool, maintenant: () => Date = () => new Date()): Koa.Middleware {
  return async (ctx, next) => {
    const s = ctx.session as DonneesSession | null;
    // A session holding a citizen is never an agent's, whatever else it holds.
    const agent = s?.agentId && !s.compteId ? await agents.obtenirAgent(pool, s.agentId) : null;
    if (!agent) {
      if (ctx.method === 'GET' && ctx.get('HX-Request') !== 'true') {
        flash(ctx, { type: 'info', message: 'Identifiez-vous avec votre compte du ministère de la Justice pour accéder à l’espace agents.' });
        return ctx.redirect('/agent/connexion');
      }
      throw nonAutorise();
    }
    const roles = await agents.rolesNonRetires(pool, agent.id);
    const aujourdHui = jourParis(maintenant());
    if (!roles.some((r) => roleEnVigueur(r, aujourdHui))) {
      await journaliser(pool, {
        acteurType: 'agent', acteurId: agent.id, action: 'agent.acces', objetType: 'page', objetId: ctx.path, resultat: 'refus',
        details: { motif: roles.length ? 'habilitation_hors_periode' : 'aucun_role' },
      });
      // The session stays: a renewed habilitation works again without a new login.
      throw refusSansRole();
    }
    const connecte: AgentConnecte = {
      id: agent.id, courriel: agent.courriel, nom: agent.nom, prenom: agent.prenom,
      roles: roles.map(({ role, juridiction, debut, fin }) => ({ role, juridiction, debut, fin })),
    };
    ctx.state.agent = connecte;
    ctx.state.aujourdHui = aujourdHui;
    await next();
  };
}

export interface Autorisation {
  agent: AgentConnecte;
  role: RoleActif;
}

/**
 * The role under which the logged-in agent may do `action` on an object of `juridiction`, or the
 * refusal, journaled: 404 when the agent's roles have this action elsewhere (another
 * juridiction's objects do not exist for them), 403 when no role of theirs has it at all.
 */
export async function autoriser(
  pool: DatabasePool,
  ctx: Koa.Context,
  action: ActionAgent,
  juridiction: string | null,
  objet: { type: string; id: string | null },
): Promise<Autorisation> {
  const agent = ctx.state.agent as AgentConnecte;
  const aujourdHui = String(ctx.state.aujourdHui ?? jourParis(new Date()));
  const role = roleAutorise(agent, action, juridiction, aujourdHui);
  if (role) return { agent, role };
  const ailleurs = agent.roles.some((r) => roleAutorise({ roles: [r] }, action, r.juridiction, aujourdHui));
  await journaliser(pool, {
    acteurType: 'agent', acteurId: agent.id, juridiction, action, objetType: objet.type, objetId: objet.id, resultat: 'refus',
    details: { chemin: ctx.path },
  });
  throw ailleurs ? introuvableAgent() : refusAction();
}

/** Searches and look-ups one agent may make per minute (ANCHORS C2 item 28: agent search is limited). */
export const RECHERCHES_PAR_MINUTE = 60;

/**
 * Refuses (429) an agent who searched or looked cases up more than RECHERCHES_PAR_MINUTE times in
 * the last minute. Counted from the journal, which records every search anyway: no second store.
 */
export async function limiterRecherches(pool: DatabasePool, ctx: Koa.Context, agentId: string): Promise<void> {
  const n = await pool.oneFirst(sql.type(z.object({ n: z.number().int() }))`
    SELECT count(*) AS n FROM journal
    WHERE acteur_type = 'agent' AND acteur_id = ${agentId} AND at > now() - interval '1 minute'
      AND action IN ('dossier.rechercher', 'dossier.consulter')`);
  if (n >= RECHERCHES_PAR_MINUTE) {
    ctx.set('Retry-After', '60');
    throw new ErreurPortail('trop_de_recherches', `Vous avez consulté ou recherché plus de ${RECHERCHES_PAR_MINUTE} dossiers en une minute. Patientez une minute avant de recommencer.`, 429);
  }
}

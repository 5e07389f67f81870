// Agents in integration and browser tests: roles granted through the same service as the
// operator command, and an agent's login through the portal and the real OIDC stand-in
// (dev/franceconnect.ts COMPTES_AGENTS), as connecter() does for citizens.
import { sql } from 'slonik';
import { z } from 'zod';
import { COMPTES_AGENTS } from '../../dev/franceconnect.js';
import * as servicesAgents from '../../services/agents.js';
import type { Application } from './application.js';
import { Navigateur, formulaire } from './navigateur.js';

/** The stand-in's account id for an e-mail of COMPTES_AGENTS. */
export function compteAgent(courriel: string): string {
  const c = COMPTES_AGENTS.find((a) => a.courriel === courriel.toLowerCase());
  if (!c) throw new Error(`pas de compte agent ${courriel} dans le fournisseur local`);
  return c.id;
}

/**
 * Logs an agent in: /agent/connexion, the stand-in's agent list, back to the callback. Returns
 * the browser and the callback's answer (302 to /agent, or the 403 refusal page).
 */
export async function connecterAgent(app: Application, courriel: string): Promise<{ nav: Navigateur; retour: Response }> {
  const nav = new Navigateur();
  const page = await (await nav.requete(`${app.url}/agent/connexion`)).text();
  const f = formulaire(page, 'action="/agent/connexion"');
  let r = await nav.suivre(new URL(f.action, app.url).toString(), app.fc.url, { form: f.champs });
  const identite = compteAgent(courriel);
  const f2 = formulaire(r.page!, `value="${identite}"`);
  r = await nav.suivre(new URL(f2.action, app.fc.url).toString(), app.fc.url, { form: { ...f2.champs, identite } });
  const retour = await nav.requete(r.url);
  return { nav, retour };
}

/** Grants a role as the operator would (journaled as "systeme"). */
export async function attribuerRole(app: Application, r: { courriel: string; role: string; juridiction: string | null; debut?: string | null; fin?: string | null }): Promise<void> {
  await servicesAgents.attribuer(app.pool, { debut: null, fin: null, ...r }, { type: 'systeme' });
}

export async function lignesJournal(app: Application, filtre: { action?: string; objetId?: string; acteurId?: string } = {}) {
  return app.pool.any(sql.type(z.object({ at: z.date(), acteur_type: z.string(), acteur_id: z.string().nullable(), role: z.string().nullable(), juridiction: z.string().nullable(), finalite: z.string().nullable(), action: z.string(), objet_type: z.string().nullable(), objet_id: z.string().nullable(), resultat: z.string(), details: z.unknown() }))`
    SELECT at, acteur_type, acteur_id, role, juridiction, finalite, action, objet_type, objet_id, resultat, details FROM journal
    WHERE (${filtre.action ?? null}::text IS NULL OR action = ${filtre.action ?? null})
      AND (${filtre.objetId ?? null}::text IS NULL OR objet_id = ${filtre.objetId ?? null})
      AND (${filtre.acteurId ?? null}::text IS NULL OR acteur_id = ${filtre.acteurId ?? null})
    ORDER BY id`);
}

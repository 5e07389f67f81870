// Granting and withdrawing agents' roles: shared by the operator command (admin.ts, acteur
// "systeme") and the head of registry's pages (acteur: that agent). One transaction each,
// journaled inside it; a role is never deleted, only withdrawn (revoked_at).
import type { DatabasePool } from 'slonik';
import { attributionRole, type AttributionRole } from '../domain/agents.js';
import { ErreurPortail, requeteInvalide } from '../domain/erreurs.js';
import * as agents from '../db/agents.js';
import { obtenirJuridiction } from '../db/juridictions.js';
import { journaliser } from '../db/journal.js';

export type Auteur = { type: 'systeme' } | { type: 'agent'; agentId: string; role: string };

function acteur(a: Auteur) {
  return a.type === 'systeme' ? { acteurType: 'systeme' as const, acteurId: 'admin' } : { acteurType: 'agent' as const, acteurId: a.agentId, role: a.role };
}

/** Validates (French messages naming the field) then grants; unknown juridiction refused. */
export async function attribuer(pool: DatabasePool, brut: unknown, auteur: Auteur): Promise<{ agentId: string; roleId: string; cree: boolean; modifie: boolean; attribution: AttributionRole }> {
  const v = attributionRole.safeParse(brut);
  if (!v.success) throw requeteInvalide(v.error.issues.map((i) => ({ champ: i.path.join('.') || 'role', message: i.message })));
  const a = v.data;
  return pool.transaction(async (t) => {
    if (a.juridiction && !(await obtenirJuridiction(t, a.juridiction))) {
      throw new ErreurPortail('juridiction_inconnue', `La juridiction ${a.juridiction} est inconnue du portail (elle se crée en se décrivant par l’API des tribunaux).`, 400, [{ champ: 'juridiction', message: `juridiction inconnue : ${a.juridiction}` }]);
    }
    const r = await agents.attribuerRole(t, a, auteur.type === 'agent' ? auteur.agentId : null);
    await journaliser(t, {
      ...acteur(auteur), juridiction: a.juridiction, action: r.cree ? 'agent.role.attribuer' : 'agent.role.modifier',
      objetType: 'agent', objetId: r.agentId, resultat: 'succes',
      details: { role: a.role, roleId: r.roleId, debut: a.debut, fin: a.fin, sansEffet: !r.modifie },
    });
    return { ...r, attribution: a };
  });
}

/** Withdraws an agent's live role (operator command); false when there was none to withdraw. */
export async function retirer(pool: DatabasePool, o: { courriel: string; role: string; juridiction: string | null }, auteur: Auteur): Promise<boolean> {
  return pool.transaction(async (t) => {
    const agent = await agents.trouverAgent(t, o.courriel);
    const ids = agent ? await agents.retirerRole(t, o) : [];
    if (agent && ids.length) {
      await journaliser(t, {
        ...acteur(auteur), juridiction: o.juridiction, action: 'agent.role.retirer', objetType: 'agent', objetId: agent.id, resultat: 'succes',
        details: { role: o.role, roleIds: ids },
      });
    }
    return ids.length > 0;
  });
}

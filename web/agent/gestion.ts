// The head of registry's pages (directeur_greffe) for their own juridiction: its agents and
// magistrates — adding a clerk, designating and habilitating a magistrate individually with
// start and end dates, withdrawing (revoked_at, never deleted) — and its audit journal, filtered
// by date, agent and action (decree 004 art. 3; issue 8 items 2 and 3).
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { DateTime } from 'luxon';
import { juridictionsAutorisees, jourParis, LIBELLES_ROLES, ROLES_DELEGABLES, roleEnVigueur, type ActionAgent, type AgentConnecte, type RoleAgent } from '../../domain/agents.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import * as agents from '../../db/agents.js';
import { journaliser } from '../../db/journal.js';
import { obtenirJuridiction } from '../../db/juridictions.js';
import * as service from '../../services/agents.js';
import { autoriser, introuvableAgent, type Autorisation } from '../middleware/agent.js';
import { html } from '../vues/html.js';
import { resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { flash } from '../vues/rendu.js';
import { champ, erreurDe, selecteur, texteDe } from './champs.js';
import { filAriane, jetonCsrf, rendreAgent } from './vues.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CHAMPS_AJOUT: Record<string, string> = { courriel: 'ajout-courriel', role: 'ajout-role', debut: 'ajout-debut', fin: 'ajout-fin', juridiction: 'ajout-courriel' };

export function pagesGestion(deps: { pool: DatabasePool; maintenant: () => Date }) {
  const { pool } = deps;

  /** The juridiction asked (?juridiction= or the form's), else the first one the agent manages. */
  async function juridictionGeree(ctx: RouterContext, action: ActionAgent): Promise<{ juridiction: string; auto: Autorisation }> {
    const agent = ctx.state.agent as AgentConnecte;
    const demandee = String((ctx.request.body as Record<string, unknown> | undefined)?.juridiction ?? ctx.query.juridiction ?? '').trim();
    const geree = juridictionsAutorisees(agent, action, jourParis(deps.maintenant())).find((j): j is string => j !== null);
    const juridiction = demandee || geree || null;
    const auto = await autoriser(pool, ctx, action, juridiction, { type: 'juridiction', id: juridiction });
    return { juridiction: juridiction!, auto };
  }

  async function pageAgents(ctx: RouterContext, o: { erreurs?: ErreurFormulaire[]; valeurs?: Record<string, unknown> } = {}): Promise<void> {
    const { juridiction, auto } = await juridictionGeree(ctx, 'gerer_agents');
    const { roles, nom } = await pool.transaction(async (t) => {
      const r = await agents.rolesDeLaJuridiction(t, juridiction);
      await journaliser(t, {
        acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction, finalite: 'gestion des habilitations',
        action: 'agents.consulter', objetType: 'juridiction', objetId: juridiction, resultat: 'succes',
      });
      return { roles: r, nom: (await obtenirJuridiction(t, juridiction))?.nom ?? juridiction };
    });
    const aujourdHui = jourParis(deps.maintenant());
    const e = o.erreurs ?? [];
    const v = (n: string) => texteDe(o.valeurs ?? {}, n);
    const statut = (r: agents.RoleDeJuridiction) =>
      r.revoked_at ? `Retiré le ${formaterDate(r.revoked_at)}` : roleEnVigueur(r, aujourdHui) ? 'En vigueur' : r.debut && aujourdHui < r.debut ? 'À venir' : 'Habilitation expirée';
    rendreAgent(ctx, {
      titre: `${e.length ? 'Erreur — ' : ''}Agents et magistrats`,
      statut: e.length ? 422 : 200,
      contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Agents et magistrats' }])}
<h1>Agents et magistrats — ${nom}</h1>
<div class="fr-table"><table id="liste-agents">
  <caption>Rôles de la juridiction (les rôles retirés restent listés pour l’historique)</caption>
  <thead><tr><th scope="col">Agent</th><th scope="col">Rôle</th><th scope="col">Habilitation</th><th scope="col">Statut</th><th scope="col">Accordé par</th><th scope="col">Action</th></tr></thead>
  <tbody>${roles.map((r) => html`<tr>
    <td>${[r.prenom, r.nom].filter(Boolean).join(' ') || '—'}<br><span class="fr-text--sm">${r.courriel}</span></td>
    <td>${LIBELLES_ROLES[r.role]}</td>
    <td>${r.debut || r.fin ? `${r.debut ? `du ${formaterDate(new Date(`${r.debut}T12:00:00Z`))}` : ''} ${r.fin ? `au ${formaterDate(new Date(`${r.fin}T12:00:00Z`))}` : ''}`.trim() : '—'}</td>
    <td>${statut(r)}</td>
    <td>${r.accorde_par ?? 'Exploitant'}</td>
    <td>${!r.revoked_at && (ROLES_DELEGABLES as readonly string[]).includes(r.role)
      ? html`<form method="post" action="/agent/agents/${r.id}/retirer">${jetonCsrf(ctx)}<input type="hidden" name="juridiction" value="${juridiction}"><button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">Retirer<span class="fr-sr-only"> le rôle ${LIBELLES_ROLES[r.role]} de ${r.courriel}</span></button></form>`
      : null}</td>
  </tr>`)}</tbody>
</table></div>

<section class="fr-mt-6w" aria-labelledby="titre-ajout">
<h2 id="titre-ajout">Ajouter un agent de greffe ou habiliter un magistrat</h2>
<p>L’agent est reconnu par l’adresse électronique de son compte du ministère de la Justice. Un magistrat est désigné individuellement et n’agit que pendant sa période d’habilitation.</p>
${resumeErreurs(e)}
<form method="post" action="/agent/agents" novalidate>
  ${jetonCsrf(ctx)}
  <input type="hidden" name="juridiction" value="${juridiction}">
  ${champ({ id: 'ajout-courriel', nom: 'courriel', type: 'email', label: 'Adresse électronique professionnelle', indice: 'Format attendu : prenom.nom@justice.fr', valeur: v('courriel'), erreur: erreurDe(e, 'ajout-courriel'), requis: true, attributs: html` autocomplete="off"` })}
  ${selecteur({ id: 'ajout-role', nom: 'role', label: 'Rôle', options: ROLES_DELEGABLES.map((r) => ({ valeur: r, libelle: LIBELLES_ROLES[r] })), valeur: v('role') || 'agent_greffe', erreur: erreurDe(e, 'ajout-role') })}
  ${champ({ id: 'ajout-debut', nom: 'debut', type: 'date', label: 'Début de l’habilitation', indice: 'Obligatoire pour un magistrat. Format attendu : JJ/MM/AAAA', valeur: v('debut'), erreur: erreurDe(e, 'ajout-debut') })}
  ${champ({ id: 'ajout-fin', nom: 'fin', type: 'date', label: 'Fin de l’habilitation', indice: 'Obligatoire pour un magistrat (incluse). Format attendu : JJ/MM/AAAA', valeur: v('fin'), erreur: erreurDe(e, 'ajout-fin') })}
  <button type="submit" class="fr-btn">Enregistrer</button>
</form>
</section>`,
    });
  }

  return {
    agents: (ctx: RouterContext) => pageAgents(ctx),

    async ajouter(ctx: RouterContext): Promise<void> {
      const { juridiction, auto } = await juridictionGeree(ctx, 'gerer_agents');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const role = texteDe(corps, 'role');
      const erreurs: ErreurFormulaire[] = [];
      if (!(ROLES_DELEGABLES as readonly string[]).includes(role)) erreurs.push({ champ: 'ajout-role', message: 'Choisissez « Agent de greffe » ou « Magistrat désigné ».' });
      const brut = { courriel: texteDe(corps, 'courriel'), role, juridiction, debut: texteDe(corps, 'debut') || null, fin: texteDe(corps, 'fin') || null };
      try {
        if (erreurs.length) throw new ErreurPortail('donnees_invalides', 'invalide', 400);
        const r = await service.attribuer(pool, brut, { type: 'agent', agentId: auto.agent.id, role: auto.role.role });
        flash(ctx, {
          type: 'succes', titre: r.cree ? 'Rôle attribué' : 'Rôle mis à jour',
          message: `${r.attribution.courriel} : ${LIBELLES_ROLES[r.attribution.role as RoleAgent]}${r.attribution.debut ? ` du ${r.attribution.debut} au ${r.attribution.fin}` : ''}.`,
        });
        ctx.status = 303;
        ctx.redirect(`/agent/agents?juridiction=${encodeURIComponent(juridiction)}`);
      } catch (e) {
        if (!(e instanceof ErreurPortail) || e.httpStatus >= 500) throw e;
        const details = e.details.map((d) => ({ champ: CHAMPS_AJOUT[d.champ] ?? 'ajout-courriel', message: d.message.charAt(0).toUpperCase() + d.message.slice(1) }));
        await journaliser(pool, {
          acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction, action: 'agent.role.attribuer', objetType: 'juridiction', objetId: juridiction,
          resultat: 'erreur', details: { erreurs: [...erreurs, ...details].map((x) => x.champ) },
        });
        await pageAgents(ctx, { erreurs: [...erreurs, ...details.filter((d) => !erreurs.some((x) => x.champ === d.champ))], valeurs: corps });
      }
    },

    async retirer(ctx: RouterContext): Promise<void> {
      const { juridiction, auto } = await juridictionGeree(ctx, 'gerer_agents');
      const id = String(ctx.params.role ?? '');
      const retire = UUID.test(id)
        ? await pool.transaction(async (t) => {
          const r = await agents.retirerRoleDeLaJuridiction(t, id, juridiction, ROLES_DELEGABLES);
          if (r) {
            await journaliser(t, {
              acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction, action: 'agent.role.retirer', objetType: 'agent', objetId: r.agent_id,
              resultat: 'succes', details: { role: r.role, roleId: r.id },
            });
          }
          return r;
        })
        : null;
      if (!retire) throw introuvableAgent();
      flash(ctx, { type: 'succes', titre: 'Rôle retiré', message: `Le rôle ${LIBELLES_ROLES[retire.role]} est retiré ; il reste dans l’historique.` });
      ctx.status = 303;
      ctx.redirect(`/agent/agents?juridiction=${encodeURIComponent(juridiction)}`);
    },

    async journal(ctx: RouterContext): Promise<void> {
      const { juridiction, auto } = await juridictionGeree(ctx, 'lire_journal');
      const q = ctx.query as Record<string, string | undefined>;
      const jour = (v: string | undefined, fin: boolean) => {
        if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
        const d = DateTime.fromISO(v, { zone: 'Europe/Paris' });
        return d.isValid ? (fin ? d.endOf('day') : d.startOf('day')).toJSDate() : null;
      };
      const filtres = { du: jour(q.du, false), au: jour(q.au, true), courriel: q.agent?.trim() || null, action: q.action?.trim() || null };
      const { lignes, actions } = await pool.transaction(async (t) => {
        const l = await agents.journalDeLaJuridiction(t, juridiction, filtres);
        await journaliser(t, {
          acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction, finalite: 'contrôle des accès',
          action: 'journal.consulter', objetType: 'juridiction', objetId: juridiction, resultat: 'succes',
          details: { du: q.du ?? null, au: q.au ?? null, agent: filtres.courriel, action: filtres.action },
        });
        return { lignes: l, actions: await agents.actionsDuJournal(t, juridiction) };
      });
      rendreAgent(ctx, {
        titre: 'Journal des accès',
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Journal des accès' }])}
<h1>Journal des accès et des actions — ${juridiction}</h1>
<p>Consultations et actions des agents, des tribunaux et du système sur les objets de la juridiction. Le journal ne peut être ni modifié ni effacé avant sa durée de conservation.</p>
<form method="get" action="/agent/journal" class="fr-mb-4w">
  <input type="hidden" name="juridiction" value="${juridiction}">
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-3">${champ({ id: 'filtre-du', nom: 'du', type: 'date', label: 'Du', valeur: q.du ?? '' })}</div>
    <div class="fr-col-12 fr-col-md-3">${champ({ id: 'filtre-au', nom: 'au', type: 'date', label: 'Au', valeur: q.au ?? '' })}</div>
    <div class="fr-col-12 fr-col-md-3">${champ({ id: 'filtre-agent', nom: 'agent', type: 'email', label: 'Agent (adresse électronique)', valeur: q.agent ?? '' })}</div>
    <div class="fr-col-12 fr-col-md-3">${selecteur({ id: 'filtre-action', nom: 'action', label: 'Action', options: [{ valeur: '', libelle: 'Toutes' }, ...actions.map((a) => ({ valeur: a, libelle: a }))], valeur: q.action ?? '' })}</div>
  </div>
  <button type="submit" class="fr-btn fr-btn--secondary">Filtrer</button>
</form>
<div class="fr-table"><table id="journal">
  <caption>${lignes.length} entrée${lignes.length > 1 ? 's' : ''} (les 200 plus récentes)</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Acteur</th><th scope="col">Rôle</th><th scope="col">Action</th><th scope="col">Objet</th><th scope="col">Finalité</th><th scope="col">Résultat</th></tr></thead>
  <tbody>${lignes.map((l) => html`<tr>
    <td><time datetime="${l.at.toISOString()}">${formaterDateHeure(l.at)}</time></td>
    <td>${l.acteur_type === 'agent' ? (l.acteur_courriel ?? l.acteur_id ?? 'agent inconnu') : `${l.acteur_type}${l.acteur_id ? ` (${l.acteur_id})` : ''}`}</td>
    <td>${l.role ? (LIBELLES_ROLES as Record<string, string>)[l.role] ?? l.role : '—'}</td>
    <td>${l.action}</td>
    <td>${l.objet_type ? `${l.objet_type}${l.objet_id ? ` ${l.objet_id}` : ''}` : '—'}</td>
    <td>${l.finalite ?? '—'}</td>
    <td>${l.resultat}</td>
  </tr>`)}</tbody>
</table></div>`,
      });
    },
  };
}

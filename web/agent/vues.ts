// The agent pages' frame: the DSFR layout of the portal with the agent's own header links (their
// name, the agents' home, logout from the agent space), and small shared pieces.
import type Koa from 'koa';
import { LIBELLES_ROLES, type AgentConnecte, type RoleActif } from '../../domain/agents.js';
import { page } from '../vues/gabarit.js';
import { html, type SafeHtml } from '../vues/html.js';
import { lireFlash } from '../vues/rendu.js';

export function nomAgent(a: Pick<AgentConnecte, 'prenom' | 'nom' | 'courriel'>): string {
  return [a.prenom, a.nom].filter(Boolean).join(' ') || a.courriel;
}

export function libelleRole(r: Pick<RoleActif, 'role' | 'juridiction'>): string {
  return `${LIBELLES_ROLES[r.role]}${r.juridiction ? ` — ${r.juridiction}` : ' (national)'}`;
}

function entete(agent: AgentConnecte | undefined, csrf: string | undefined): SafeHtml {
  if (!agent) return html`<li><a class="fr-btn fr-icon-lock-line" href="/agent/connexion">Espace agents</a></li>`;
  return html`<li><a class="fr-btn fr-icon-briefcase-line" href="/agent">${nomAgent(agent)}</a></li>
<li><form method="post" action="/agent/deconnexion"><input type="hidden" name="_csrf" value="${csrf ?? ''}"><button type="submit" class="fr-btn fr-icon-logout-box-r-line">Se déconnecter</button></form></li>`;
}

export function rendreAgent(ctx: Koa.Context, o: { titre: string; contenu: SafeHtml; statut?: number }): void {
  ctx.status = o.statut ?? 200;
  ctx.type = 'html';
  // Case data: never kept by a shared browser cache or the back button after logout.
  ctx.set('Cache-Control', 'no-store');
  const agent = ctx.state.agent as AgentConnecte | undefined;
  const csrf = ctx.state._csrf as string | undefined;
  ctx.body = page({
    titre: `${o.titre} — Espace agents`,
    csrf,
    entete: entete(agent, csrf),
    // The session-timeout warning (WCAG 2.2.1): agents' sessions expire like citizens'.
    utilisateur: agent ? nomAgent(agent) : undefined,
    session: { prolonger: '/agent/session', connexion: '/agent/connexion' },
    contenu: html`${lireFlash(ctx)}${o.contenu}`,
  }).toString();
}

/** A hidden CSRF field for the agent forms. */
export function jetonCsrf(ctx: Koa.Context): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${String(ctx.state._csrf ?? '')}">`;
}

export function filAriane(liens: { titre: string; href?: string }[]): SafeHtml {
  return html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
  <button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">Voir le fil d’Ariane</button>
  <div class="fr-collapse" id="fil-ariane"><ol class="fr-breadcrumb__list">
    ${liens.map((l) => html`<li>${l.href ? html`<a class="fr-breadcrumb__link" href="${l.href}">${l.titre}</a>` : html`<a class="fr-breadcrumb__link" aria-current="page">${l.titre}</a>`}</li>`)}
  </ol></div>
</nav>`;
}

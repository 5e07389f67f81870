// /agent/contacts: the support inbox (issue 9 item 3) — the requests sent through /contact, open
// ones first (oldest first: the queue to work through), closed ones on their own tab. A request
// belongs to no juridiction: the action 'support' is granted whatever the role's juridiction
// (domain/agents.ts roleToutesJuridictions). The list shows no personal data (reference, date,
// category); opening a request, which shows the sender's address and message, is journaled, and
// so is its closure. Answering happens by e-mail, outside the portal.
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { jourParis, roleToutesJuridictions, type AgentConnecte, type RoleActif } from '../../domain/agents.js';
import { libelleCategorie } from '../../domain/contact.js';
import { formaterDateHeure } from '../../domain/dates.js';
import * as contacts from '../../db/contact.js';
import { journaliser } from '../../db/journal.js';
import { introuvableAgent, refusAction } from '../middleware/agent.js';
import { html } from '../vues/html.js';
import { flash } from '../vues/rendu.js';
import { filAriane, jetonCsrf, rendreAgent } from './vues.js';

export function pagesContactsAgent(deps: { pool: DatabasePool; maintenant: () => Date }) {
  const { pool } = deps;

  /** The role under which the agent works the support inbox, or the journaled refusal (403). */
  async function autoriser(ctx: RouterContext): Promise<{ agent: AgentConnecte; role: RoleActif }> {
    const agent = ctx.state.agent as AgentConnecte;
    const role = roleToutesJuridictions(agent, 'support', jourParis(deps.maintenant()));
    if (role) return { agent, role };
    await journaliser(pool, { acteurType: 'agent', acteurId: agent.id, action: 'support', objetType: 'page', objetId: ctx.path, resultat: 'refus', details: { chemin: ctx.path } });
    throw refusAction();
  }

  return {
    async liste(ctx: RouterContext): Promise<void> {
      await autoriser(ctx);
      const etat = ctx.query.etat === 'closes' ? 'closes' : 'ouvertes';
      const [lignes, nombres] = await Promise.all([contacts.listerContacts(pool, etat), contacts.compterContacts(pool)]);
      const onglet = (e: 'ouvertes' | 'closes', libelle: string) =>
        html`<li><a class="fr-link${e === etat ? ' fr-text--bold' : ''}" href="/agent/contacts?etat=${e}"${e === etat ? html` aria-current="page"` : null}>${libelle}</a></li>`;
      rendreAgent(ctx, {
        titre: 'Demandes de contact',
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Demandes de contact' }])}
<h1>Demandes de contact</h1>
<p>Messages envoyés à l’équipe support depuis le formulaire de contact. Répondez par courriel à l’adresse indiquée, puis closez la demande. Rappel : le support ne donne ni conseil juridique ni information sur le contenu d’un dossier (orienter vers le greffe).</p>
<nav aria-label="Filtrer les demandes"><ul class="fr-links-group">
  ${onglet('ouvertes', `À traiter (${nombres.ouvertes})`)}
  ${onglet('closes', `Closes (${nombres.closes})`)}
</ul></nav>
${lignes.length === 0
  ? html`<p>${etat === 'ouvertes' ? 'Aucune demande à traiter.' : 'Aucune demande close.'}</p>`
  : html`<div class="fr-table"><table id="contacts">
  <caption>${etat === 'ouvertes' ? 'Demandes à traiter, les plus anciennes d’abord' : 'Demandes closes, les plus récentes d’abord'}</caption>
  <thead><tr><th scope="col">Référence</th><th scope="col">Reçue le</th><th scope="col">Objet</th>${etat === 'closes' ? html`<th scope="col">Close le</th>` : null}</tr></thead>
  <tbody>${lignes.map((c) => html`<tr>
    <td><a href="/agent/contacts/${c.id}">${c.reference}</a></td>
    <td>${formaterDateHeure(c.created_at)}</td>
    <td>${libelleCategorie(c.categorie)}</td>
    ${etat === 'closes' ? html`<td>${c.closed_at ? formaterDateHeure(c.closed_at) : ''}</td>` : null}
  </tr>`)}</tbody>
</table></div>`}`,
      });
    },

    async page(ctx: RouterContext): Promise<void> {
      const { agent, role } = await autoriser(ctx);
      const c = await pool.transaction(async (t) => {
        const c = await contacts.obtenirContact(t, ctx.params.id ?? '');
        if (c) await journaliser(t, { acteurType: 'agent', acteurId: agent.id, role: role.role, juridiction: role.juridiction, action: 'contact.consulter', objetType: 'contact', objetId: c.id, resultat: 'succes' });
        return c;
      });
      if (!c) throw introuvableAgent();
      rendreAgent(ctx, {
        titre: `Demande ${c.reference}`,
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Demandes de contact', href: '/agent/contacts' }, { titre: c.reference }])}
<h1>Demande ${c.reference}</h1>
${c.closed_at ? html`<p class="fr-badge fr-badge--success">Close le ${formaterDateHeure(c.closed_at)}</p>` : html`<p class="fr-badge fr-badge--new">À traiter</p>`}
<dl>
  <dt>Reçue le</dt><dd>${formaterDateHeure(c.created_at)}</dd>
  <dt>Objet</dt><dd>${libelleCategorie(c.categorie)}</dd>
  <dt>Résumé</dt><dd>${c.objet}</dd>
  <dt>Répondre à</dt><dd><a href="mailto:${c.courriel}?subject=${encodeURIComponent(`Re: ${c.reference}`)}">${c.courriel}</a>${c.nom ? ` (${c.nom})` : ''}</dd>
  <dt>Identité</dt><dd>${c.compte_id ? 'Envoyée depuis un compte connecté avec FranceConnect' : 'Envoyée sans être connecté : identité non vérifiée'}</dd>
</dl>
<h2>Message</h2>
<div class="fr-p-2w fr-mb-4w contact-message"><p>${c.message.split('\n').map((l, i) => (i === 0 ? l : html`<br>${l}`))}</p></div>
${c.closed_at
  ? null
  : html`<form method="post" action="/agent/contacts/${c.id}/clore">
  ${jetonCsrf(ctx)}
  <button type="submit" class="fr-btn">Clore la demande</button>
</form>`}
<p class="fr-mt-4w"><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/agent/contacts">Retour aux demandes</a></p>`,
      });
    },

    async clore(ctx: RouterContext): Promise<void> {
      const { agent, role } = await autoriser(ctx);
      const resultat = await pool.transaction(async (t) => {
        const c = await contacts.obtenirContact(t, ctx.params.id ?? '');
        if (!c) return null;
        const close = await contacts.clore(t, c.id, agent.id, deps.maintenant());
        if (close) await journaliser(t, { acteurType: 'agent', acteurId: agent.id, role: role.role, juridiction: role.juridiction, action: 'contact.clore', objetType: 'contact', objetId: c.id, resultat: 'succes' });
        return { c, close };
      });
      if (!resultat) throw introuvableAgent();
      flash(ctx, resultat.close
        ? { type: 'succes', message: `La demande ${resultat.c.reference} est close.` }
        : { type: 'info', message: `La demande ${resultat.c.reference} était déjà close.` });
      ctx.redirect('/agent/contacts');
    },
  };
}

// /agent: the agents' home, listing what the agent's roles in force allow today, per juridiction
// (the rules are domain/agents.ts; nothing here grants anything).
import type { RouterContext } from '@koa/router';
import { juridictionsAutorisees, jourParis, roleEnVigueur, type ActionAgent, type AgentConnecte } from '../../domain/agents.js';
import { formaterDate } from '../../domain/dates.js';
import { html, type SafeHtml } from '../vues/html.js';
import { libelleRole, nomAgent, rendreAgent } from './vues.js';

interface Tuile {
  action: ActionAgent;
  titre: string;
  description: string;
  lien: (juridiction: string | null) => string;
  /** One link per juridiction (management pages), or one for all. */
  parJuridiction: boolean;
}

const TUILES: Tuile[] = [
  { action: 'consulter_dossier', titre: 'Dossiers de la juridiction', description: 'Rechercher un dossier, le consulter, enregistrer un consentement, saisir événements, audiences et clôture.', lien: () => '/agent/dossiers', parJuridiction: false },
  { action: 'accueil', titre: 'Accueil du justiciable (SAUJ)', description: 'Consulter un dossier, de toute juridiction, pour renseigner la personne présente à l’accueil.', lien: () => '/agent/accueil', parJuridiction: false },
  { action: 'support', titre: 'Demandes de contact (support)', description: 'Lire les messages envoyés au support depuis le formulaire de contact, et les clore une fois traités.', lien: () => '/agent/contacts', parJuridiction: false },
  { action: 'consulter_requete', titre: 'Requêtes numériques', description: 'Consulter et enregistrer les requêtes adressées à la juridiction.', lien: () => '/agent/requetes', parJuridiction: false },
  { action: 'gerer_agents', titre: 'Agents et magistrats', description: 'Ajouter un agent de greffe, habiliter un magistrat, retirer un rôle.', lien: (j) => `/agent/agents?juridiction=${encodeURIComponent(j ?? '')}`, parJuridiction: true },
  { action: 'lire_journal', titre: 'Journal des accès', description: 'Lire et filtrer le journal des consultations et des actions.', lien: (j) => `/agent/journal?juridiction=${encodeURIComponent(j ?? '')}`, parJuridiction: true },
  { action: 'statistiques', titre: 'Statistiques', description: 'Comptes, connexions, dossiers, alertes et requêtes, par mois.', lien: () => '/agent/statistiques', parJuridiction: false },
];

export function pageAccueilAgent(maintenant: () => Date) {
  return async (ctx: RouterContext): Promise<void> => {
    const agent = ctx.state.agent as AgentConnecte;
    const aujourdHui = jourParis(maintenant());
    const tuiles: SafeHtml[] = [];
    for (const t of TUILES) {
      const js = juridictionsAutorisees(agent, t.action, aujourdHui);
      if (js.length === 0) continue;
      for (const j of t.parJuridiction ? js : [js[0]!]) {
        tuiles.push(html`<div class="fr-col-12 fr-col-md-6"><div class="fr-tile fr-enlarge-link">
  <div class="fr-tile__body"><div class="fr-tile__content">
    <h2 class="fr-tile__title"><a href="${t.lien(j)}">${t.titre}${t.parJuridiction && j ? ` — ${j}` : ''}</a></h2>
    <p class="fr-tile__detail">${t.description}</p>
  </div></div>
</div></div>`);
      }
    }
    rendreAgent(ctx, {
      titre: 'Accueil',
      contenu: html`
<h1>Bonjour ${nomAgent(agent)}</h1>
<h2 class="fr-h5">Vos rôles</h2>
<ul id="roles">${agent.roles.map((r) => html`<li>${libelleRole(r)}${r.debut || r.fin ? ` — habilitation du ${r.debut ? formaterDate(new Date(`${r.debut}T12:00:00Z`)) : '…'} au ${r.fin ? formaterDate(new Date(`${r.fin}T12:00:00Z`)) : '…'}` : ''}${roleEnVigueur(r, aujourdHui) ? '' : ' (hors période d’habilitation)'}</li>`)}</ul>
<h2 class="fr-h5">Ce que vos rôles vous permettent</h2>
<div class="fr-grid-row fr-grid-row--gutters">${tuiles}</div>
<p class="fr-text--sm fr-mt-4w">Chaque consultation et chaque action est tracée dans le journal de la juridiction (agent, rôle, finalité, objet, date, résultat).</p>`,
    });
  };
}

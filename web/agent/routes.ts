// The agent pages of the route table (web/app.ts routes()). Each route names the action of
// domain/agents.ts it needs, so the authorization-matrix test can compute, from the same rule,
// which role may open it: `null` for pages open to any agent with a role in force. Login and
// logout are public (they come before the agent exists); everything else is acces 'agent' and
// goes through exigerAgent (web/middleware/agent.ts) before its handler checks its own object.
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type { ActionAgent } from '../../domain/agents.js';
import type { Config } from '../../domain/config.js';
import type { Route } from '../routes.js';
import type { FournisseurOidc } from '../auth/franceconnect.js';
import { pagesConnexionAgent } from './connexion.js';
import { pageAccueilAgent } from './accueil.js';
import { pagesDossiersAgent } from './dossiers.js';
import { pagesAccueilSauj } from './accueil-sauj.js';
import { pagesGestion } from './gestion.js';
import { pagesRequetesAgent } from './requetes.js';
import { pagesContactsAgent } from './contacts.js';
import { routesStatistiques } from './statistiques.js';

export interface RouteAgent extends Route {
  /**
   * What the page needs: an action of domain/agents.ts (checked against the object's
   * juridiction, or any juridiction for the reception desk's 'accueil'), `null` for any agent.
   */
  action: ActionAgent | null;
}

export interface DependancesAgent {
  config: Config;
  pool: DatabasePool;
  temporal: Client;
  fournisseurAgents: FournisseurOidc;
  maintenant: () => Date;
}

const DOSSIER = '/agent/dossiers/00000000-0000-4000-8000-000000000000';
const REQUETE = '/agent/requetes/00000000-0000-4000-8000-000000000000';

export function routesAgent(deps: DependancesAgent): (Route | RouteAgent)[] {
  const connexion = pagesConnexionAgent({ pool: deps.pool, config: deps.config, fournisseur: deps.fournisseurAgents, maintenant: deps.maintenant });
  const dossiers = pagesDossiersAgent(deps);
  const sauj = pagesAccueilSauj(deps);
  const gestion = pagesGestion(deps);
  const requetes = pagesRequetesAgent(deps);
  const contacts = pagesContactsAgent(deps);
  const agent = (r: Omit<RouteAgent, 'acces'>): RouteAgent => ({ ...r, acces: 'agent' });
  return [
    { methode: 'GET', chemin: '/agent/connexion', titre: 'Connexion des agents', acces: 'public', handler: connexion.page },
    { methode: 'POST', chemin: '/agent/connexion', titre: 'Connexion des agents', acces: 'public', handler: connexion.demarrer },
    { methode: 'GET', chemin: '/agent/connexion/retour', titre: 'Retour du service d’identification des agents', acces: 'public', handler: connexion.retour },
    { methode: 'POST', chemin: '/agent/deconnexion', titre: 'Déconnexion des agents', acces: 'public', handler: connexion.deconnecter },
    { methode: 'GET', chemin: '/agent/deconnexion/retour', titre: 'Déconnexion des agents', acces: 'public', handler: connexion.retourDeconnexion },
    agent({ methode: 'GET', chemin: '/agent', titre: 'Espace agents', action: null, handler: pageAccueilAgent(deps.maintenant) }),
    agent({ methode: 'GET', chemin: '/agent/dossiers', titre: 'Rechercher un dossier', action: 'consulter_dossier', handler: dossiers.recherche }),
    agent({ methode: 'GET', chemin: '/agent/dossiers/:id', titre: 'Dossier (greffe)', action: 'consulter_dossier', exemple: DOSSIER, handler: dossiers.page }),
    agent({ methode: 'GET', chemin: '/agent/dossiers/:id/documents/:docId', titre: 'Document du dossier (greffe)', action: 'consulter_dossier', exemple: `${DOSSIER}/documents/00000000-0000-4000-8000-000000000001`, handler: dossiers.document }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/consentements', titre: 'Enregistrer un consentement', action: 'modifier_dossier', exemple: `${DOSSIER}/consentements`, handler: dossiers.consentement }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/evenements', titre: 'Ajouter un événement', action: 'modifier_dossier', exemple: `${DOSSIER}/evenements`, handler: dossiers.evenement }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/audiences', titre: 'Planifier une audience', action: 'modifier_dossier', exemple: `${DOSSIER}/audiences`, handler: dossiers.audience }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/audiences/:audience/annuler', titre: 'Annuler une audience', action: 'modifier_dossier', exemple: `${DOSSIER}/audiences/A1/annuler`, handler: dossiers.annulerAudience }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/cloture', titre: 'Clôturer le dossier', action: 'modifier_dossier', exemple: `${DOSSIER}/cloture`, handler: dossiers.cloture }),
    agent({ methode: 'POST', chemin: '/agent/dossiers/:id/reouverture', titre: 'Rouvrir le dossier', action: 'modifier_dossier', exemple: `${DOSSIER}/reouverture`, handler: dossiers.reouverture }),
    agent({ methode: 'GET', chemin: '/agent/accueil', titre: 'Accueil du justiciable', action: 'accueil', handler: sauj.page }),
    agent({ methode: 'POST', chemin: '/agent/accueil', titre: 'Accueil du justiciable', action: 'accueil', handler: sauj.consulter }),
    agent({ methode: 'GET', chemin: '/agent/agents', titre: 'Agents et magistrats', action: 'gerer_agents', handler: gestion.agents }),
    agent({ methode: 'POST', chemin: '/agent/agents', titre: 'Agents et magistrats', action: 'gerer_agents', handler: gestion.ajouter }),
    agent({ methode: 'POST', chemin: '/agent/agents/:role/retirer', titre: 'Retirer un rôle', action: 'gerer_agents', exemple: '/agent/agents/00000000-0000-4000-8000-000000000000/retirer', handler: gestion.retirer }),
    agent({ methode: 'GET', chemin: '/agent/journal', titre: 'Journal des accès', action: 'lire_journal', handler: gestion.journal }),
    agent({ methode: 'GET', chemin: '/agent/requetes', titre: 'Requêtes de la juridiction', action: 'consulter_requete', handler: requetes.liste }),
    agent({ methode: 'GET', chemin: '/agent/requetes/:id', titre: 'Requête (juridiction)', action: 'consulter_requete', exemple: REQUETE, handler: requetes.page }),
    agent({ methode: 'GET', chemin: '/agent/requetes/:id/pieces/:pieceId', titre: 'Pièce jointe d’une requête', action: 'consulter_requete', exemple: `${REQUETE}/pieces/00000000-0000-4000-8000-000000000001`, handler: requetes.piece }),
    agent({ methode: 'POST', chemin: '/agent/requetes/:id/enregistrement', titre: 'Enregistrer une requête', action: 'enregistrer_requete', exemple: `${REQUETE}/enregistrement`, handler: requetes.enregistrement }),
    // The support inbox (issue 9): national, see domain/agents.ts 'support'.
    agent({ methode: 'GET', chemin: '/agent/contacts', titre: 'Demandes de contact', action: 'support', handler: contacts.liste }),
    agent({ methode: 'GET', chemin: '/agent/contacts/:id', titre: 'Demande de contact', action: 'support', exemple: '/agent/contacts/00000000-0000-4000-8000-000000000000', handler: contacts.page }),
    agent({ methode: 'POST', chemin: '/agent/contacts/:id/clore', titre: 'Clore une demande de contact', action: 'support', exemple: '/agent/contacts/00000000-0000-4000-8000-000000000000/clore', handler: contacts.clore }),
    // "Rester connecté" of the session-timeout warning: touching the session moves its expiry.
    agent({ methode: 'POST', chemin: '/agent/session', titre: 'Prolonger la session', action: null, handler: async (ctx) => { ctx.status = 204; } }),
    ...routesStatistiques({ pool: deps.pool, maintenant: deps.maintenant }),
  ];
}

// createApp(deps) → Koa. server.ts wires the real dependencies; tests build the same app on a
// test database and the test Temporal server.
import { lectureMultipart } from './middleware/multipart.js';
import Koa from 'koa';
import compose from 'koa-compose';
import { Router } from '@koa/router';
import helmet from 'koa-helmet';
import type { DatabasePool } from 'slonik';
import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import type { Logger } from './log.js';
import { gestionErreurs } from './middleware/erreurs.js';
import { suiviRequetes } from './middleware/observabilite.js';
import { creerMetriques, routeMetriques, type Metriques } from './metriques.js';
import { fichiersStatiques } from './static.js';
import { etatSante, sondes as sondesParDefaut, type Sonde } from './sante.js';
import type { Route } from './routes.js';
import { accueil } from './pages/accueil.js';
import { pageAccessibilite } from './pages/accessibilite.js';
import { pageJuridictions } from './pages/juridictions.js';
import { pageAide } from './pages/aide.js';
import { pagesContact } from './pages/contact.js';
import { pageSecurityTxt } from './pages/security-txt.js';
import { routeurApi } from './api/v1/routes.js';
import { bodyParser } from '@koa/bodyparser';
import { sessionsServeur, dureeMaximale, nomCookie } from './middleware/session.js';
import { limiterConnexions, LIMITES_CONNEXION } from './middleware/limite-connexion.js';
import { protectionCsrf } from './middleware/csrf.js';
import { exigerCitoyen } from './middleware/auth.js';
import { fournisseurOidc, parametresFranceConnect, type FournisseurOidc } from './auth/franceconnect.js';
import { pagesConnexion } from './citoyen/connexion.js';
import { pagesCgu } from './citoyen/cgu.js';
import { etatEspace, pageEspace } from './citoyen/espace.js';
import { pagesAjoutDossier } from './citoyen/ajout-dossier.js';
import { pagesDossier } from './citoyen/dossier.js';
import { pagesCalendrier } from './citoyen/calendrier.js';
import { pagesParametresCalendrier } from './citoyen/parametres-calendrier.js';
import { pagesParametres } from './citoyen/parametres.js';
import { pagesRequetes, televersementPieces } from './citoyen/requetes.js';
import { pagesMesDonnees } from './citoyen/mes-donnees.js';
import type { ContexteRattachement } from '../services/rattachement.js';
import { routesAgent } from './agent/routes.js';
import { parametresAgents } from './auth/agent.js';
import { exigerAgent } from './middleware/agent.js';

export interface Dependances {
  config: Config;
  pool: DatabasePool;
  /**
   * The login limits' counters, shared by every web instance (creerPoolLimites of
   * web/middleware/limite-connexion.ts); whoever creates it ends it.
   */
  poolLimites: pg.Pool;
  temporal: Client;
  log: Logger;
  /** Health probes; defaults to the real components of `config`. */
  sondes?: Sonde[];
  /** The citizens' OpenID provider; defaults to FranceConnect as configured. */
  franceconnect?: FournisseurOidc;
  /** The ministry's OpenID provider for agents; defaults to AGENT_OIDC_* as configured. */
  fournisseurAgents?: FournisseurOidc;
  /** The clock of the case-linking rules (codes, limits, retention); tests move it. */
  maintenant?: () => Date;
  /** The registry /metrics exposes; createApp makes the one its request middleware feeds. */
  metriques?: Metriques;
}

/** The route table (tests list it too): the login counters are createApp's, not a route's. */
export function routes(deps: Omit<Dependances, 'poolLimites'>): Route[] {
  const franceconnect = deps.franceconnect ?? fournisseurOidc(parametresFranceConnect(deps.config));
  const connexion = pagesConnexion({ pool: deps.pool, config: deps.config, franceconnect });
  const cgu = pagesCgu(deps.pool);
  const rattachement: ContexteRattachement = { pool: deps.pool, temporal: deps.temporal, config: deps.config, log: deps.log, maintenant: deps.maintenant ?? (() => new Date()) };
  const ajout = pagesAjoutDossier(rattachement);
  const dossier = pagesDossier(rattachement);
  const agenda = pagesCalendrier(rattachement);
  const parametresCalendrier = pagesParametresCalendrier(rattachement);
  const parametres = pagesParametres(rattachement);
  const exempleLien = '/espace/dossiers/00000000-0000-4000-8000-000000000000';
  const requetes = pagesRequetes({ pool: deps.pool, temporal: deps.temporal, config: deps.config, maintenant: rattachement.maintenant });
  const exempleRequete = '/espace/requetes/00000000-0000-4000-8000-000000000000';
  const exempleElement = '00000000-0000-4000-8000-000000000001';
  const contact = pagesContact({
    pool: deps.pool, temporal: deps.temporal, config: deps.config, maintenant: rattachement.maintenant,
    signaler: (err, contactId) => deps.log.error({ err, contactId }, 'courriels de la demande de contact non confiés à Temporal'),
  });
  const mesDonnees = pagesMesDonnees({ pool: deps.pool, config: deps.config, maintenant: rattachement.maintenant });
  return [
    { methode: 'GET', chemin: '/', titre: 'Accueil', acces: 'public', handler: accueil },
    { methode: 'GET', chemin: '/juridictions', titre: 'Juridictions', acces: 'public', handler: pageJuridictions(deps.pool) },
    { methode: 'GET', chemin: '/accessibilite', titre: 'Déclaration d’accessibilité', acces: 'public', handler: pageAccessibilite },
    // Help, support and security.txt (issue 9 items 2, 3, 6).
    { methode: 'GET', chemin: '/aide', titre: 'Aide', acces: 'public', handler: pageAide(deps.pool) },
    { methode: 'GET', chemin: '/contact', titre: 'Contacter le support', acces: 'public', handler: contact.page },
    { methode: 'POST', chemin: '/contact', titre: 'Contacter le support', acces: 'public', handler: contact.envoyer },
    { methode: 'GET', chemin: '/contact/envoye', titre: 'Message envoyé au support', acces: 'public', handler: contact.envoye },
    { methode: 'GET', chemin: '/.well-known/security.txt', titre: 'security.txt', acces: 'public', handler: pageSecurityTxt(deps.config) },
    { methode: 'GET', chemin: '/connexion', titre: 'Connexion', acces: 'public', handler: connexion.page },
    { methode: 'POST', chemin: '/connexion', titre: 'Connexion', acces: 'public', handler: connexion.demarrer },
    { methode: 'GET', chemin: '/connexion/retour', titre: 'Retour de FranceConnect', acces: 'public', handler: connexion.retour },
    { methode: 'POST', chemin: '/deconnexion', titre: 'Déconnexion', acces: 'public', handler: connexion.deconnecter },
    { methode: 'GET', chemin: '/deconnexion/retour', titre: 'Déconnexion', acces: 'public', handler: connexion.retourDeconnexion },
    { methode: 'GET', chemin: '/espace/cgu', titre: 'Conditions générales d’utilisation', acces: 'citoyen', handler: cgu.page },
    { methode: 'POST', chemin: '/espace/cgu', titre: 'Conditions générales d’utilisation', acces: 'citoyen', handler: cgu.accepter },
    { methode: 'GET', chemin: '/espace', titre: 'Mon espace', acces: 'citoyen', handler: pageEspace(rattachement) },
    { methode: 'GET', chemin: '/espace/etat', titre: 'Mise à jour de mon espace', acces: 'citoyen', handler: etatEspace(rattachement) },
    // Before /espace/dossiers/:id, which would otherwise take "ajouter" for an id.
    { methode: 'GET', chemin: '/espace/dossiers/ajouter', titre: 'Ajouter un dossier', acces: 'citoyen', handler: ajout.page },
    { methode: 'POST', chemin: '/espace/dossiers/ajouter', titre: 'Ajouter un dossier', acces: 'citoyen', handler: ajout.envoyer },
    { methode: 'GET', chemin: '/espace/dossiers/:id', titre: 'Dossier', acces: 'citoyen', exemple: exempleLien, handler: dossier.page },
    { methode: 'GET', chemin: '/espace/dossiers/:id/actualisation', titre: 'Actualisation du dossier', acces: 'citoyen', exemple: `${exempleLien}/actualisation`, handler: dossier.actualisation },
    { methode: 'GET', chemin: '/espace/dossiers/:id/documents/:docId', titre: 'Document du dossier', acces: 'citoyen', exemple: `${exempleLien}/documents/00000000-0000-4000-8000-000000000001`, handler: dossier.document },
    { methode: 'GET', chemin: '/espace/dossiers/:id/detacher', titre: 'Détacher un dossier', acces: 'citoyen', exemple: `${exempleLien}/detacher`, handler: dossier.confirmation },
    { methode: 'POST', chemin: '/espace/dossiers/:id/detacher', titre: 'Détacher un dossier', acces: 'citoyen', exemple: `${exempleLien}/detacher`, handler: dossier.detacher },
    // Calendar export (issue 5 item 5): the export banner, one hearing from the timeline, the subscription.
    { methode: 'GET', chemin: '/espace/audiences', titre: 'Exporter mes audiences', acces: 'citoyen', handler: agenda.page },
    { methode: 'GET', chemin: '/espace/audiences/export', titre: 'Exporter mes audiences', acces: 'citoyen', handler: agenda.exporter },
    { methode: 'GET', chemin: '/espace/dossiers/:id/audiences/:audience/export', titre: 'Exporter une audience', acces: 'citoyen', exemple: `${exempleLien}/audiences/00000000-0000-4000-8000-000000000000/export`, handler: agenda.exporterUne },
    { methode: 'GET', chemin: '/espace/parametres', titre: 'Mes paramètres', acces: 'citoyen', handler: parametres.page },
    { methode: 'POST', chemin: '/espace/parametres', titre: 'Mes paramètres', acces: 'citoyen', handler: parametres.envoyer },
    // The unsubscribe link of an alert e-mail: the signed token is the proof (no session, no CSRF
    // token); GET shows the confirmation form, POST applies it. A bad token is a 404.
    { methode: 'GET', chemin: '/alertes/desabonnement/:jeton', titre: 'Ne plus recevoir d’alertes', acces: 'public', exemple: '/alertes/desabonnement/invalide', handler: parametres.desabonnement },
    { methode: 'POST', chemin: '/alertes/desabonnement/:jeton', titre: 'Ne plus recevoir d’alertes', acces: 'public', exemple: '/alertes/desabonnement/invalide', handler: parametres.confirmerDesabonnement },
    { methode: 'GET', chemin: '/espace/parametres/calendrier', titre: 'Abonnement à mon calendrier', acces: 'citoyen', handler: parametresCalendrier.page },
    { methode: 'POST', chemin: '/espace/parametres/calendrier', titre: 'Abonnement à mon calendrier', acces: 'citoyen', handler: parametresCalendrier.envoyer },
    // Token-authenticated (no session): an unknown or revoked token is a 404.
    { methode: 'GET', chemin: '/calendrier/:fichier', titre: 'Flux de calendrier', acces: 'public', exemple: '/calendrier/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', handler: agenda.flux },
    // Online requêtes (issue 7): "nouvelle" before :id, which would otherwise take it for an id.
    { methode: 'GET', chemin: '/espace/requetes', titre: 'Mes requêtes', acces: 'citoyen', handler: requetes.liste },
    { methode: 'GET', chemin: '/espace/requetes/nouvelle', titre: 'Nouvelle requête', acces: 'citoyen', handler: requetes.nouvelle },
    { methode: 'POST', chemin: '/espace/requetes/nouvelle', titre: 'Nouvelle requête', acces: 'citoyen', handler: requetes.commencer },
    { methode: 'GET', chemin: '/espace/requetes/:id', titre: 'Requête', acces: 'citoyen', exemple: exempleRequete, handler: requetes.page },
    { methode: 'POST', chemin: '/espace/requetes/:id', titre: 'Enregistrer le brouillon', acces: 'citoyen', exemple: exempleRequete, handler: requetes.enregistrer },
    { methode: 'GET', chemin: '/espace/requetes/:id/etat', titre: 'État de la transmission', acces: 'citoyen', exemple: `${exempleRequete}/etat`, handler: requetes.etat },
    { methode: 'POST', chemin: '/espace/requetes/:id/tiers', titre: 'Ajouter une personne', acces: 'citoyen', exemple: `${exempleRequete}/tiers`, handler: requetes.ajouterTiers },
    { methode: 'POST', chemin: '/espace/requetes/:id/tiers/:tiersId/retirer', titre: 'Retirer une personne', acces: 'citoyen', exemple: `${exempleRequete}/tiers/${exempleElement}/retirer`, handler: requetes.retirerTiers },
    // multipart/form-data, parsed before the CSRF check (televersementPieces in createApp).
    { methode: 'POST', chemin: '/espace/requetes/:id/pieces', titre: 'Joindre une pièce', acces: 'citoyen', exemple: `${exempleRequete}/pieces`, handler: requetes.ajouterPiece },
    { methode: 'GET', chemin: '/espace/requetes/:id/pieces/:pieceId', titre: 'Pièce jointe', acces: 'citoyen', exemple: `${exempleRequete}/pieces/${exempleElement}`, handler: requetes.piece },
    { methode: 'POST', chemin: '/espace/requetes/:id/pieces/:pieceId/retirer', titre: 'Retirer une pièce jointe', acces: 'citoyen', exemple: `${exempleRequete}/pieces/${exempleElement}/retirer`, handler: requetes.retirerPiece },
    { methode: 'GET', chemin: '/espace/requetes/:id/supprimer', titre: 'Supprimer un brouillon', acces: 'citoyen', exemple: `${exempleRequete}/supprimer`, handler: requetes.confirmationSuppression },
    { methode: 'POST', chemin: '/espace/requetes/:id/supprimer', titre: 'Supprimer un brouillon', acces: 'citoyen', exemple: `${exempleRequete}/supprimer`, handler: requetes.supprimer },
    { methode: 'GET', chemin: '/espace/requetes/:id/recapitulatif', titre: 'Récapitulatif de la requête', acces: 'citoyen', exemple: `${exempleRequete}/recapitulatif`, handler: requetes.recapitulatif },
    { methode: 'POST', chemin: '/espace/requetes/:id/envoyer', titre: 'Envoyer la requête', acces: 'citoyen', exemple: `${exempleRequete}/envoyer`, handler: requetes.envoyer },
    { methode: 'GET', chemin: '/espace/requetes/:id/recepisse.pdf', titre: 'Récépissé de dépôt', acces: 'citoyen', exemple: `${exempleRequete}/recepisse.pdf`, handler: requetes.recepisse },
    // "Mes données" (issue 9): the right of access, on the page and as downloads.
    { methode: 'GET', chemin: '/espace/mes-donnees', titre: 'Mes données', acces: 'citoyen', handler: mesDonnees.page },
    { methode: 'GET', chemin: '/espace/mes-donnees.json', titre: 'Mes données (JSON)', acces: 'citoyen', handler: mesDonnees.json },
    { methode: 'GET', chemin: '/espace/mes-donnees.pdf', titre: 'Mes données (PDF)', acces: 'citoyen', handler: mesDonnees.pdf },
    // Touching the session is enough: the rolling cookie and the store's expiry move forward.
    { methode: 'POST', chemin: '/espace/session', titre: 'Prolonger la session', acces: 'citoyen', handler: async (ctx) => { ctx.status = 204; } },
    ...routesAgent({ config: deps.config, pool: deps.pool, temporal: deps.temporal, maintenant: deps.maintenant ?? (() => new Date()), fournisseurAgents: deps.fournisseurAgents ?? fournisseurOidc(parametresAgents(deps.config)) }),
    // Prometheus (issue 10): bearer METRICS_TOKEN, 404 without one; outside sessions and CSRF
    // like /healthz (createApp), since scrapers keep neither.
    { methode: 'GET', chemin: '/metrics', titre: 'Métriques Prometheus', acces: 'exploitation', handler: routeMetriques(deps.metriques ?? creerMetriques(deps.pool), deps.config.METRICS_TOKEN) },
  ];
}

export function createApp(deps: Dependances): Koa {
  const app = new Koa({ proxy: deps.config.PUBLIC_URL.startsWith('https:') });
  app.silent = true;
  app.keys = [deps.config.SESSION_SECRET];
  const enHttps = deps.config.PUBLIC_URL.startsWith('https:');

  // Outside the error middleware: its error lines carry the request id, and the latency
  // histogram sees the status it answered.
  const metriques = creerMetriques(deps.pool);
  app.use(suiviRequetes(deps.log, metriques));
  app.use(gestionErreurs(deps.log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          // Login and logout forms post to us and are redirected to the identity providers:
          // browsers apply form-action to those redirects too.
          'form-action': ["'self'", new URL(deps.config.FC_ISSUER).origin, new URL(deps.config.AGENT_OIDC_ISSUER).origin],
          // Over plain http (development on another host name), upgrading would break the page.
          'upgrade-insecure-requests': enHttps ? [] : null,
        },
      },
      strictTransportSecurity: enHttps ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  for (const m of fichiersStatiques()) app.use(m);

  // Pages only (the court API authenticates by bearer token and keeps no session): server-side
  // session, form bodies (100 kB at most), CSRF on every state-changing request.
  const pages = compose([
    sessionsServeur(app, deps.pool, enHttps),
    dureeMaximale,
    bodyParser({ enableTypes: ['form'], formLimit: '100kb' }),
    // A requête's attachment upload: multipart read here so the CSRF check sees its token.
    televersementPieces(deps.config),
    // A clerk's manual event with its PDF, for an agent's session.
    lectureMultipart({ chemin: (c) => c.startsWith('/agent/dossiers/'), autorise: (s) => Boolean(s?.agentId), champFichier: 'fichier', maxOctets: deps.config.MAX_DOCUMENT_BYTES }),
    ...protectionCsrf(deps.config.PUBLIC_URL, (chemin) => chemin.startsWith('/alertes/desabonnement/')),
    limiterConnexions(['/connexion', '/agent/connexion'], nomCookie(enHttps), LIMITES_CONNEXION, deps.poolLimites),
  ]);
  app.use((ctx, next) => (ctx.path.startsWith('/api/') || ctx.path === '/healthz' || ctx.path === '/metrics' ? next() : pages(ctx, next)));

  const liste = deps.sondes ?? sondesParDefaut(deps.config, deps.pool, deps.temporal);
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const r = await etatSante(liste);
    ctx.status = r.status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = r.corps;
  });
  const franceconnect = deps.franceconnect ?? fournisseurOidc(parametresFranceConnect(deps.config));
  const citoyen = exigerCitoyen(deps.pool);
  const agent = exigerAgent(deps.pool, deps.maintenant);
  const fournisseurAgents = deps.fournisseurAgents ?? fournisseurOidc(parametresAgents(deps.config));
  for (const r of routes({ ...deps, franceconnect, fournisseurAgents, metriques })) {
    const chaine = r.acces === 'citoyen' ? [citoyen, r.handler] : r.acces === 'agent' ? [agent, r.handler] : [r.handler];
    if (r.methode === 'GET') router.get(r.chemin, ...chaine);
    else router.post(r.chemin, ...chaine);
  }
  app.use(router.routes()).use(router.allowedMethods());
  const api = routeurApi({ pool: deps.pool, temporal: deps.temporal, config: deps.config });
  // throw: a 405/501 becomes an error the middleware answers as JSON, like every API error.
  app.use(api.routes()).use(api.allowedMethods({ throw: true }));
  return app;
}

// /connexion, /connexion/retour, /deconnexion, /deconnexion/retour: the citizen's way in and
// out through FranceConnect. The session id changes at login (no fixation); logout ends our
// session and FranceConnect's.
import type { RouterContext } from '@koa/router';
import type Koa from 'koa';
import { randomBytes } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import type { Config } from '../../domain/config.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import * as comptes from '../../db/comptes.js';
import { journaliser } from '../../db/journal.js';
import type { FournisseurOidc } from '../auth/franceconnect.js';
import type { DonneesSession } from '../middleware/session.js';
import { boutonFranceConnect } from '../vues/franceconnect.js';
import { html } from '../vues/html.js';
import { flash, lireFlash, rendre } from '../vues/rendu.js';

const session = (ctx: Koa.Context) => ctx.session as unknown as DonneesSession & { regenerate(): Promise<void>; toJSON?(): Record<string, unknown> };

/** FranceConnect's own error codes, in words a citizen understands. */
function messageErreurFournisseur(code: string): string {
  if (code === 'access_denied') return 'Vous avez annulé la connexion avec FranceConnect. Vous pouvez recommencer quand vous le souhaitez.';
  if (code === 'login_required' || code === 'consent_required') return 'La connexion avec FranceConnect n’a pas abouti. Recommencez.';
  return 'FranceConnect n’a pas pu vous identifier. Recommencez ; si le problème persiste, rapprochez-vous du fournisseur d’identité choisi.';
}

export function pagesConnexion(deps: { pool: DatabasePool; config: Config; franceconnect: FournisseurOidc }) {
  return {
    async page(ctx: RouterContext): Promise<void> {
      if (session(ctx)?.compteId) return ctx.redirect('/espace');
      rendre(ctx, {
        titre: 'Connexion',
        contenu: html`
${lireFlash(ctx)}
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-8">
    <h1>Accéder à votre espace personnel</h1>
    <p>Identifiez-vous avec FranceConnect, par l’intermédiaire de l’un des fournisseurs d’identité proposés (impots.gouv.fr, ameli.fr, L’Identité Numérique La Poste). Seule votre identité est vérifiée : aucune autre donnée n’est échangée avec ces administrations.</p>
    ${boutonFranceConnect(String(ctx.state._csrf))}
    <p class="fr-text--sm">Si vous ne parvenez pas à vous connecter ou avez perdu votre identifiant, rapprochez-vous du fournisseur d’identité choisi : lui seul peut vous les communiquer de nouveau.</p>
  </div>
</div>`,
      });
    },

    async demarrer(ctx: RouterContext): Promise<void> {
      const a = await deps.franceconnect.urlAutorisation();
      session(ctx).connexion = { state: a.state, nonce: a.nonce, verifier: a.verifier };
      ctx.redirect(a.url);
    },

    async retour(ctx: RouterContext): Promise<void> {
      const s = session(ctx);
      const attendu = s?.connexion;
      const q = ctx.query as Record<string, string | undefined>;
      if (q.error) {
        delete s.connexion;
        throw new ErreurPortail('connexion_refusee', messageErreurFournisseur(q.error), 400);
      }
      if (!attendu) throw new ErreurPortail('connexion_expiree', 'Votre demande de connexion a expiré ou a déjà été utilisée. Recommencez depuis la page de connexion.', 400);
      // Single use: a replayed callback finds nothing to check against.
      delete s.connexion;
      const { identite, idToken } = await deps.franceconnect.retour(new URL(ctx.originalUrl, deps.config.PUBLIC_URL), attendu);
      const { compte, cree } = await deps.pool.transaction(async (t) => {
        const r = await comptes.connecter(t, identite);
        await journaliser(t, { acteurType: 'citoyen', acteurId: r.compte.id, action: r.cree ? 'compte.creer' : 'compte.connecter', objetType: 'compte', objetId: r.compte.id, resultat: 'succes' });
        return r;
      });
      // A fresh session id (and CSRF secret) at login: a cookie planted before cannot ride the
      // new session. regenerate() keeps the data, so the old secret is dropped first.
      delete (s as { secret?: string }).secret;
      // A citizen session never carries an agent (web/middleware/session.ts).
      delete s.agentId;
      delete s.agentIdToken;
      await s.regenerate();
      const n = session(ctx);
      n.compteId = compte.id;
      n.idToken = idToken;
      n.connecteLe = Date.now();
      if (cree) flash(ctx, { type: 'info', message: 'Bienvenue sur le Portail du justiciable. Votre espace personnel a été créé.' });
      ctx.redirect('/espace');
    },

    async deconnecter(ctx: RouterContext): Promise<void> {
      const s = session(ctx);
      const idToken = s?.idToken;
      // regenerate() keeps the data: empty it first, so the old key is gone and nothing moves over.
      for (const cle of Object.keys(s.toJSON?.() ?? s)) delete (s as unknown as Record<string, unknown>)[cle];
      await s.regenerate();
      if (!idToken) {
        ctx.session = null;
        return ctx.redirect('/');
      }
      const state = randomBytes(24).toString('base64url');
      const url = await deps.franceconnect.urlDeconnexion(idToken, state);
      if (!url) {
        // FranceConnect unreachable: our session is over anyway.
        flash(ctx, { type: 'info', message: 'Vous êtes déconnecté du Portail du justiciable.' });
        return ctx.redirect('/connexion');
      }
      session(ctx).deconnexion = { state };
      ctx.redirect(url);
    },

    async retourDeconnexion(ctx: RouterContext): Promise<void> {
      const attendu = session(ctx)?.deconnexion?.state;
      ctx.session = null;
      if (!attendu || ctx.query.state !== attendu) {
        throw new ErreurPortail('deconnexion_inattendue', 'Ce retour de déconnexion ne correspond à aucune demande. Si vous étiez connecté, votre session est terminée.', 400);
      }
      rendre(ctx, {
        titre: 'Déconnexion',
        contenu: html`
<h1>Vous êtes déconnecté</h1>
<p>Vous êtes déconnecté du Portail du justiciable et de FranceConnect.</p>
<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="/connexion">Se reconnecter</a></li><li><a class="fr-btn fr-btn--secondary" href="/">Accueil</a></li></ul>`,
      });
    },
  };
}

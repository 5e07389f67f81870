// /agent/connexion, /agent/connexion/retour, /agent/deconnexion, /agent/deconnexion/retour: the
// agents' way in and out through the ministry's identity provider.
//
// Session separation: one cookie, one identity. An agent login empties and regenerates the
// session (new id, new CSRF secret), so a citizen logged in on the same browser is logged out and
// nothing of their session moves over; a citizen login drops any agent the same way
// (web/citoyen/connexion.ts), and exigerAgent ignores a session holding a citizen. A session
// therefore never holds both compteId and agentId.
import type { RouterContext } from '@koa/router';
import type Koa from 'koa';
import { randomBytes } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import type { Config } from '../../domain/config.js';
import { courrielAgent, jourParis, roleEnVigueur } from '../../domain/agents.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import * as agents from '../../db/agents.js';
import { journaliser } from '../../db/journal.js';
import type { FournisseurOidc } from '../auth/franceconnect.js';
import type { DonneesSession } from '../middleware/session.js';
import { refusSansRole } from '../middleware/agent.js';
import { html } from '../vues/html.js';
import { flash } from '../vues/rendu.js';
import { jetonCsrf, rendreAgent } from './vues.js';

type Session = DonneesSession & { regenerate(): Promise<void>; toJSON?(): Record<string, unknown> };
const session = (ctx: Koa.Context) => ctx.session as unknown as Session;

/** Empties the session and gives it a new id: nothing of the previous identity survives. */
async function viderSession(ctx: Koa.Context): Promise<void> {
  const s = session(ctx);
  for (const cle of Object.keys(s.toJSON?.() ?? s)) delete (s as unknown as Record<string, unknown>)[cle];
  await s.regenerate();
}

export function pagesConnexionAgent(deps: { pool: DatabasePool; config: Config; fournisseur: FournisseurOidc; maintenant: () => Date }) {
  return {
    async page(ctx: RouterContext): Promise<void> {
      const s = session(ctx);
      if (s?.agentId && !s.compteId) return ctx.redirect('/agent');
      rendreAgent(ctx, {
        titre: 'Connexion des agents',
        contenu: html`
<div class="fr-grid-row fr-grid-row--gutters"><div class="fr-col-12 fr-col-md-8">
  <h1>Espace des agents de la Justice</h1>
  <p>Cet espace est réservé aux agents de greffe, aux agents d’accueil (SAUJ), aux directeurs de greffe et aux magistrats désignés et habilités. Identifiez-vous avec votre compte du ministère de la Justice ; vos rôles et votre juridiction sont ceux que le portail connaît pour votre adresse électronique professionnelle.</p>
  <p class="fr-text--sm">Si vous êtes connecté à un espace personnel de justiciable dans ce navigateur, il sera fermé.</p>
  <form method="post" action="/agent/connexion">
    ${jetonCsrf(ctx)}
    <button type="submit" class="fr-btn fr-icon-lock-line fr-btn--icon-left">Se connecter avec mon compte Justice</button>
  </form>
</div></div>`,
      });
    },

    async demarrer(ctx: RouterContext): Promise<void> {
      const a = await deps.fournisseur.urlAutorisation();
      session(ctx).agentConnexion = { state: a.state, nonce: a.nonce, verifier: a.verifier };
      ctx.redirect(a.url);
    },

    async retour(ctx: RouterContext): Promise<void> {
      const s = session(ctx);
      const attendu = s?.agentConnexion;
      const q = ctx.query as Record<string, string | undefined>;
      if (q.error) {
        delete s.agentConnexion;
        throw new ErreurPortail('connexion_refusee', q.error === 'access_denied' ? 'Vous avez annulé la connexion. Vous pouvez recommencer quand vous le souhaitez.' : 'Le service d’identification du ministère n’a pas pu vous identifier. Recommencez.', 400);
      }
      if (!attendu) throw new ErreurPortail('connexion_expiree', 'Votre demande de connexion a expiré ou a déjà été utilisée. Recommencez depuis la page de connexion des agents.', 400);
      delete s.agentConnexion;
      const { identite, idToken } = await deps.fournisseur.retour(new URL(ctx.originalUrl, deps.config.PUBLIC_URL), attendu);
      const courriel = courrielAgent.safeParse(identite.email ?? '');
      const aujourdHui = jourParis(deps.maintenant());
      // Known by e-mail only; an unknown address creates nothing (no data on people without a role).
      const resultat = await deps.pool.transaction(async (t) => {
        const agent = courriel.success ? await agents.trouverAgent(t, courriel.data) : null;
        const roles = agent ? await agents.rolesNonRetires(t, agent.id) : [];
        const enVigueur = roles.some((r) => roleEnVigueur(r, aujourdHui));
        if (agent && enVigueur) await agents.enregistrerConnexion(t, agent.id, { nom: identite.family_name ?? null, prenom: identite.given_name ?? null });
        await journaliser(t, {
          acteurType: 'agent', acteurId: agent?.id ?? null, action: 'agent.connecter', objetType: 'agent', objetId: agent?.id ?? null,
          resultat: enVigueur ? 'succes' : 'refus',
          details: enVigueur ? null : { motif: !agent ? 'agent_inconnu' : roles.length ? 'habilitation_hors_periode' : 'aucun_role', courriel: courriel.success ? courriel.data : null },
        });
        return enVigueur ? agent : null;
      });
      await viderSession(ctx);
      if (!resultat) throw refusSansRole();
      const n = session(ctx);
      n.agentId = resultat.id;
      n.agentIdToken = idToken;
      n.connecteLe = Date.now();
      ctx.redirect('/agent');
    },

    async deconnecter(ctx: RouterContext): Promise<void> {
      const idToken = session(ctx)?.agentIdToken;
      await viderSession(ctx);
      if (!idToken) {
        ctx.session = null;
        return ctx.redirect('/agent/connexion');
      }
      const state = randomBytes(24).toString('base64url');
      const url = await deps.fournisseur.urlDeconnexion(idToken, state);
      if (!url) {
        flash(ctx, { type: 'info', message: 'Vous êtes déconnecté de l’espace agents.' });
        return ctx.redirect('/agent/connexion');
      }
      session(ctx).agentDeconnexion = { state };
      ctx.redirect(url);
    },

    async retourDeconnexion(ctx: RouterContext): Promise<void> {
      const attendu = session(ctx)?.agentDeconnexion?.state;
      ctx.session = null;
      if (!attendu || ctx.query.state !== attendu) {
        throw new ErreurPortail('deconnexion_inattendue', 'Ce retour de déconnexion ne correspond à aucune demande. Si vous étiez connecté, votre session est terminée.', 400);
      }
      rendreAgent(ctx, {
        titre: 'Déconnexion',
        contenu: html`
<h1>Vous êtes déconnecté</h1>
<p>Vous êtes déconnecté de l’espace agents du Portail du justiciable et du service d’identification du ministère.</p>
<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="/agent/connexion">Se reconnecter</a></li></ul>`,
      });
    },
  };
}

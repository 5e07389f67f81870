// Every page under /espace needs a logged-in citizen who accepted the current CGU. The account
// comes from the server-side session, never from the request.
import type Koa from 'koa';
import type { DatabasePool } from 'slonik';
import { VERSION_CGU } from '../../domain/cgu.js';
import { nonAutorise } from '../../domain/erreurs.js';
import * as comptes from '../../db/comptes.js';
import type { DonneesSession } from './session.js';
import { flash } from '../vues/rendu.js';

export function exigerCitoyen(pool: DatabasePool): Koa.Middleware {
  return async (ctx, next) => {
    const s = ctx.session as DonneesSession | null;
    const compte = s?.compteId ? await comptes.obtenirCompte(pool, s.compteId) : null;
    if (!compte) {
      if (ctx.method === 'GET' && ctx.get('HX-Request') !== 'true') {
        flash(ctx, { type: 'info', message: s?.compteId === undefined ? 'Identifiez-vous pour accéder à votre espace personnel.' : 'Votre session a expiré : identifiez-vous de nouveau.' });
        return ctx.redirect('/connexion');
      }
      throw nonAutorise();
    }
    ctx.state.compte = compte;
    if (ctx.path !== '/espace/cgu' && !(await comptes.aAccepteCgu(pool, compte.id, VERSION_CGU))) {
      return ctx.redirect('/espace/cgu');
    }
    await next();
  };
}

// CSRF protection on every state-changing request of the pages (the court API uses bearer
// tokens, no cookie): a token bound to the session (koa-csrf, `_csrf` field or `X-CSRF-Token`
// header for htmx), and a foreign Origin is refused outright.
import CSRF from 'koa-csrf';
import type Koa from 'koa';
import { ErreurPortail } from '../../domain/erreurs.js';

const refus = () =>
  new ErreurPortail(
    'csrf',
    'Votre demande n’a pas pu être vérifiée (formulaire expiré ou envoyé depuis un autre site). Rechargez la page et recommencez.',
    403,
  );

/**
 * `sansJeton`: paths whose POST carries its own proof (a signed token in the URL, e.g. an alert
 * e-mail's unsubscribe link) and needs no session token; the Origin check still applies.
 */
export function protectionCsrf(publicUrl: string, sansJeton: (chemin: string) => boolean = () => false): Koa.Middleware[] {
  const origine = new URL(publicUrl).origin;
  const verifierOrigine: Koa.Middleware = async (ctx, next) => {
    const o = ctx.get('Origin');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method) && o && o !== 'null' && o !== origine) throw refus();
    await next();
  };
  const jeton = new CSRF({
    errorHandler: () => {
      throw refus();
    },
    excludedMethods: ['GET', 'HEAD', 'OPTIONS'],
    disableQuery: true,
  }) as unknown as Koa.Middleware;
  const jetonSaufExceptions: Koa.Middleware = (ctx, next) => (ctx.method === 'POST' && sansJeton(ctx.path) ? next() : jeton(ctx, next));
  return [verifierOrigine, jetonSaufExceptions];
}

// createApp(deps) → Koa. server.ts wires the real dependencies; tests build the same app on a
// test database and the test Temporal server.
import Koa from 'koa';
import { Router } from '@koa/router';
import helmet from 'koa-helmet';
import type { DatabasePool } from 'slonik';
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import type { Logger } from './log.js';
import { gestionErreurs } from './middleware/erreurs.js';
import { fichiersStatiques } from './static.js';
import { etatSante, sondes as sondesParDefaut, type Sonde } from './sante.js';
import type { Route } from './routes.js';
import { accueil } from './pages/accueil.js';
import { pageJuridictions } from './pages/juridictions.js';
import { routeurApi } from './api/v1/routes.js';

export interface Dependances {
  config: Config;
  pool: DatabasePool;
  temporal: Client;
  log: Logger;
  /** Health probes; defaults to the real components of `config`. */
  sondes?: Sonde[];
}

export function routes(deps: Dependances): Route[] {
  return [
    { methode: 'GET', chemin: '/', titre: 'Accueil', acces: 'public', handler: accueil },
    { methode: 'GET', chemin: '/juridictions', titre: 'Juridictions', acces: 'public', handler: pageJuridictions(deps.pool) },
  ];
}

export function createApp(deps: Dependances): Koa {
  const app = new Koa({ proxy: deps.config.PUBLIC_URL.startsWith('https:') });
  app.silent = true;
  app.keys = [deps.config.SESSION_SECRET];
  const enHttps = deps.config.PUBLIC_URL.startsWith('https:');

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
          'form-action': ["'self'"],
          // Over plain http (development on another host name), upgrading would break the page.
          'upgrade-insecure-requests': enHttps ? [] : null,
        },
      },
      strictTransportSecurity: enHttps ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  for (const m of fichiersStatiques()) app.use(m);

  const liste = deps.sondes ?? sondesParDefaut(deps.config, deps.pool, deps.temporal);
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const r = await etatSante(liste);
    ctx.status = r.status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = r.corps;
  });
  for (const r of routes(deps)) {
    if (r.methode === 'GET') router.get(r.chemin, r.handler);
    else router.post(r.chemin, r.handler);
  }
  app.use(router.routes()).use(router.allowedMethods());
  const api = routeurApi({ pool: deps.pool, temporal: deps.temporal, config: deps.config });
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}

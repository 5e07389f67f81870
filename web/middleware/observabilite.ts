// First middleware of the app: gives the request its id (a sane incoming X-Request-Id, else a
// new UUID), echoes it in the response, runs the rest inside `contexteRequete` (so every log line
// and every Temporal call of this request carries it: web/log.ts mixin, services/correlation.ts),
// then logs one line and observes the latency histogram. The line names the route template,
// never the URL: paths and query strings carry tokens (unsubscribe, calendar, OpenID `code`).
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { idRequeteAcceptable } from '../../domain/correlation.js';
import { contexteRequete } from '../../services/correlation.js';
import type { Logger } from '../log.js';
import type { Metriques } from '../metriques.js';

export function suiviRequetes(log: Logger, metriques: Metriques): Koa.Middleware {
  return async (ctx, next) => {
    const recu = ctx.get('X-Request-Id');
    const requestId = idRequeteAcceptable(recu) ? recu : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const debut = process.hrtime.bigint();
    await contexteRequete.run({ requestId }, async () => {
      try {
        await next();
      } finally {
        const secondes = Number(process.hrtime.bigint() - debut) / 1e9;
        // Koa's router leaves the matched template on the context; static files and 404s have none.
        const gabarit = (ctx as { _matchedRoute?: unknown })._matchedRoute;
        // A request stopped by a router-level middleware (the API's token check) matched its
        // prefix, written as a regular expression: keep the prefix.
        const route = typeof gabarit === 'string' ? gabarit.replace(/\(\?:\\\/\|\$\)$/, '') : ctx.path.startsWith('/static/') ? '/static' : '(aucune)';
        const statut = ctx.status;
        metriques.observerRequete({ methode: ctx.method, route, statut, secondes });
        // Probes and assets at debug: a health check every few seconds would drown the rest.
        const niveau = route === '/static' || route === '/healthz' || route === '/metrics' ? 'debug' : 'info';
        log[niveau]({ methode: ctx.method, route, statut, dureeMs: Math.round(secondes * 1000) }, 'requête http');
      }
    });
  };
}

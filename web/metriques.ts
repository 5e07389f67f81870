// Prometheus metrics of the web server, at GET /metrics (issue 10): HTTP latency by method,
// route template and status (never a raw path: ids and tokens stay out of labels), and the
// outbox backlog by status and channel, counted on each scrape. One registry per app, so several
// apps in one process (tests) do not share series. The worker's metrics are Temporal's own
// exporter (TEMPORAL_METRICS_BIND, worker.ts), which also carries the delivery failure counter.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { sql, type DatabasePool } from 'slonik';
import { compterEnSouffrance } from '../db/notifications.js';

const STATUTS = ['en_attente', 'echec_temporaire', 'echec_definitif'] as const;
const CANAUX = ['courriel', 'sms'] as const;
// Anything else (a client can send any token as method) is one bucket: bounded label values.
const METHODES = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const sqlDelai = sql.unsafe`SET LOCAL statement_timeout = '2s'`;

export interface Metriques {
  registre: Registry;
  observerRequete(o: { methode: string; route: string; statut: number; secondes: number }): void;
}

export function creerMetriques(pool: DatabasePool): Metriques {
  const registre = new Registry();
  collectDefaultMetrics({ register: registre });
  const duree = new Histogram({
    name: 'portail_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP, par méthode, modèle de route et statut',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registre],
  });
  new Gauge({
    name: 'portail_notifications_en_souffrance',
    help: 'Notifications (table notification) non envoyées, par statut et canal',
    labelNames: ['statut', 'canal'],
    registers: [registre],
    async collect() {
      const lignes = await pool.transaction(async (t) => {
        // A scrape must never pile up on a struggling database.
        await t.query(sqlDelai);
        return compterEnSouffrance(t);
      });
      // Every pair is set, zeros included: an alert on "echec_definitif > 0" needs the series.
      for (const statut of STATUTS) for (const canal of CANAUX) this.set({ statut, canal }, lignes.find((l) => l.statut === statut && l.canal === canal)?.n ?? 0);
    },
  });
  return {
    registre,
    observerRequete(o) {
      duree.observe({ method: METHODES.has(o.methode) ? o.methode : 'AUTRE', route: o.route, status: String(o.statut) }, o.secondes);
    },
  };
}

const empreinte = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics, outside sessions and CSRF like /healthz. Only with `Authorization: Bearer
 * METRICS_TOKEN`: the portal sits behind a public reverse proxy, so a source-address rule
 * (loopback) would let the proxy's own requests through. Without METRICS_TOKEN the route does
 * not exist (404), so nothing is exposed by default.
 */
export function routeMetriques(metriques: Metriques, jeton: string | undefined): (ctx: Koa.Context) => Promise<void> {
  const attendu = jeton ? empreinte(`Bearer ${jeton}`) : null;
  return async (ctx) => {
    if (!attendu) return;
    const recu = empreinte(ctx.get('Authorization'));
    if (!timingSafeEqual(recu, attendu)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = 'jeton de métriques requis\n';
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metriques.registre.contentType;
    ctx.body = await metriques.registre.metrics();
  };
}

// DSFR and htmx are served from our own origin (CSP 'self'), straight from their npm packages.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mount from 'koa-mount';
import serve from 'koa-static';
import type Koa from 'koa';

const require = createRequire(import.meta.url);
const dsfr = path.dirname(require.resolve('@gouvfr/dsfr/dist/dsfr.min.css'));
const htmx = path.dirname(require.resolve('htmx.org/dist/htmx.min.js'));

export function fichiersStatiques(): Koa.Middleware[] {
  const options = { maxage: 24 * 3600 * 1000, gzip: false, brotli: false } as const;
  const propres = fileURLToPath(new URL('./public', import.meta.url));
  return [mount('/static/dsfr', serve(dsfr, options)), mount('/static/htmx', serve(htmx, options)), mount('/static/portail', serve(propres, { maxage: 3600 * 1000 }))];
}

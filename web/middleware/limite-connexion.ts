// Rate limit of the login buttons (POST /connexion, POST /agent/connexion; issue 9 item 6): each
// press creates a login state in the session store and sends the browser to the identity
// provider, so a script pressing it in a loop fills our session table and the provider's logs.
//
// Why these limits: a person who gives up and tries again, or clicks twice, stays far below 10
// presses of one browser in 10 minutes; a script does not. The second key, the client IP, catches
// a script that drops its cookie each time; it is generous (300) because a whole court's agents,
// or a France Services office's visitors, may share one address. No secret is guessed here (the
// identity provider authenticates and has its own limits; the limits that protect secrets —
// identification numbers, SMS codes, contact form — are domain counters in the database,
// services/rattachement.ts and services/contact.ts). The check runs after the CSRF check, so only
// requests carrying a valid token of an existing session are counted.
//
// Why in PostgreSQL now (rate-limiter-flexible's RateLimiterPostgres, table `limites` of
// db/migrations/0013_limites.sql): the counts used to be kept in each process, so behind a load
// balancer the ceiling was the limit × the number of web instances, and a restart forgot them.
// The table is shared by every instance; the library, not hand-written code, does the counting.
// Its window is fixed, not sliding: it starts at a key's first press and the count starts again
// when it ends, which Retry-After announces. Costs and safeguards:
//  - a small dedicated `pg` pool (creerPoolLimites, 2 connections): the library speaks the `pg`
//    driver's API, not slonik's; it fails fast (connection and query timeouts) instead of holding
//    a login up;
//  - when the store fails or is slow, an in-memory limiter of the same limits takes over in that
//    process (`insuranceLimiter`): logins go on, counted per instance as before;
//  - a key over its limit is then refused from memory until its window ends
//    (`inMemoryBlockOnConsumed`): a script hammering the button does not write a row per press;
//  - rows expired for more than an hour are deleted every 5 minutes by each limiter
//    (`clearExpiredByTimeout`, the library's default), so the table holds about the last hour's keys;
//  - the session key is stored as a hash, as in the session table: reading `limites` gives no
//    usable cookie. The address is stored as is, for at most a window and an hour.
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ErreurPortail } from '../../domain/erreurs.js';
import type { Logger } from '../log.js';

export interface LimitesConnexion {
  fenetreMs: number;
  parSession: number;
  parIp: number;
}

export const LIMITES_CONNEXION: LimitesConnexion = { fenetreMs: 10 * 60_000, parSession: 10, parIp: 300 };

/** The table of db/migrations/0013_limites.sql. */
export const TABLE_LIMITES = 'limites';

/**
 * The pool the counters go through, on the portal's database. Two connections are plenty (two
 * short statements per press); whoever creates it ends it when the web server stops.
 */
export function creerPoolLimites(url: string, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    // Past these, the press is counted by the in-memory insurance instead of waiting.
    connectionTimeoutMillis: 2000,
    query_timeout: 2000,
    application_name: 'portail-limites',
  });
  // An idle connection the server drops (restart, network cut) is reported here; without a
  // listener Node would end the process. The pool opens a new one on the next press.
  pool.on('error', (err) => log.warn({ err }, 'connexion du compteur de limites perdue'));
  return pool;
}

function compteur(pool: pg.Pool, nom: string, max: number, fenetreMs: number): RateLimiterPostgres {
  const duree = fenetreMs / 1000;
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: TABLE_LIMITES,
    tableCreated: true,
    keyPrefix: nom,
    points: max,
    duration: duree,
    inMemoryBlockOnConsumed: max + 1,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: nom, points: max, duration: duree }),
  });
}

const empreinte = (cookie: string) => createHash('sha256').update(cookie).digest('base64url');

export function limiterConnexions(chemins: string[], cookieSession: string, limites: LimitesConnexion, pool: pg.Pool): Koa.Middleware {
  const parSession = compteur(pool, 'connexion_session', limites.parSession, limites.fenetreMs);
  const parIp = compteur(pool, 'connexion_ip', limites.parIp, limites.fenetreMs);
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !chemins.includes(ctx.path)) return next();
    const session = ctx.cookies.get(cookieSession);
    const cleSession = session ? `${ctx.path}:${empreinte(session)}` : null;
    try {
      // Session first: a browser already refused does not use up its network's allowance.
      if (cleSession) await parSession.consume(cleSession);
      try {
        await parIp.consume(`${ctx.path}:${ctx.ip}`);
      } catch (e) {
        // Refused for its network: the press does not count against the browser either.
        if (cleSession) await parSession.reward(cleSession).catch(() => {});
        throw e;
      }
    } catch (e) {
      // Anything else is a fault of the insurance itself: let the error middleware answer.
      if (!(e instanceof RateLimiterRes)) throw e;
      const secondes = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      ctx.set('Retry-After', String(secondes));
      const minutes = Math.ceil(secondes / 60);
      throw new ErreurPortail(
        'trop_de_connexions',
        `Trop de tentatives de connexion depuis ce navigateur ou ce réseau. Patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de recommencer.`,
        429,
      );
    }
    await next();
  };
}

// Server-side sessions (koa-session with a Postgres store): the cookie carries only a random
// key. HttpOnly, SameSite=Lax, Secure (and the __Host- prefix) behind HTTPS. The idle timeout
// is the cookie's rolling maxAge; the absolute lifetime is checked here.
import { randomBytes } from 'node:crypto';
import session from 'koa-session';
import type Koa from 'koa';
import type { DatabasePool } from 'slonik';
import * as sessions from '../../db/sessions.js';

export const INACTIVITE_MS = 30 * 60 * 1000;
export const DUREE_MAX_MS = 12 * 3600 * 1000;

export interface DonneesSession {
  compteId?: string;
  /** Kept for FranceConnect's end-session (id_token_hint). */
  idToken?: string;
  connecteLe?: number;
  /** Between the redirect to FranceConnect and its callback. */
  connexion?: { state: string; nonce: string; verifier: string; retour?: string };
  deconnexion?: { state: string };
  /**
   * The agent logged in (web/agent/connexion.ts). A session holds a citizen or an agent, never
   * both: an agent login empties and regenerates the session, a citizen login drops the agent.
   */
  agentId?: string;
  agentIdToken?: string;
  agentConnexion?: { state: string; nonce: string; verifier: string };
  agentDeconnexion?: { state: string };
  flash?: { type: 'succes' | 'info' | 'erreur'; titre?: string; message: string };
}

export function nomCookie(https: boolean): string {
  return https ? '__Host-portail' : 'portail';
}

export function sessionsServeur(app: Koa, pool: DatabasePool, https: boolean): Koa.Middleware {
  let ecritures = 0;
  return session(
    {
      key: nomCookie(https),
      maxAge: INACTIVITE_MS,
      rolling: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
      signed: true,
      genid: () => randomBytes(32).toString('base64url'),
      store: {
        get: async (cle: string) => (await sessions.lireSession(pool, cle)) ?? undefined,
        set: async (cle: string, donnees: Record<string, unknown>, maxAge: number | 'session' | undefined, o?: { changed?: boolean }) => {
          const duree = typeof maxAge === 'number' ? maxAge : INACTIVITE_MS;
          // A rolling save (session read, not changed) only extends the expiry: rewriting this
          // request's copy would undo what a concurrent request of the same browser wrote in the
          // meantime (a flash message set by a form while an htmx autosave was in flight).
          if (o?.changed === false && (await sessions.prolongerSession(pool, cle, donnees, duree))) return;
          await sessions.ecrireSession(pool, cle, donnees, duree);
          // Expired rows go now and then, not on every write.
          if (++ecritures % 500 === 0) await sessions.purgerSessionsExpirees(pool);
        },
        destroy: async (cle: string) => sessions.supprimerSession(pool, cle),
      },
    } as Parameters<typeof session>[0],
    app,
  );
}

/** Ends a session that has lived longer than DUREE_MAX_MS, whatever its activity. */
export const dureeMaximale: Koa.Middleware = async (ctx, next) => {
  const s = ctx.session as (DonneesSession & { regenerate?: unknown }) | null;
  if (s?.connecteLe && Date.now() - s.connecteLe > DUREE_MAX_MS) ctx.session = null;
  await next();
};

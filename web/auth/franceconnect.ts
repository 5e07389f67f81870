// FranceConnect (v2 contract) with openid-client: authorization code flow with PKCE, `state`,
// a nonce of at least 22 characters, `acr_values=eidas1`, scopes `openid identite_pivot email`,
// signed ID token and signed userinfo, RP-initiated logout. Any OpenID provider with the same
// contract works through FC_ISSUER / FC_CLIENT_ID / FC_CLIENT_SECRET.
import * as client from 'openid-client';
import type { Config } from '../../domain/config.js';
import { ErreurPortail } from '../../domain/erreurs.js';

export const SCOPES_FC = 'openid identite_pivot email';
export const NIVEAUX_ACCEPTES = ['eidas1', 'eidas2', 'eidas3'];

export interface ParametresOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back. */
  retour: string;
  retourDeconnexion: string;
  /** Scopes asked; FranceConnect's by default. */
  scope?: string;
  /** `acr_values` asked and the levels accepted back; null for a provider without eIDAS levels (agents). */
  acr?: { demande: string; acceptes: string[] } | null;
}

export function parametresFranceConnect(config: Config): ParametresOidc {
  return {
    issuer: config.FC_ISSUER, clientId: config.FC_CLIENT_ID, clientSecret: config.FC_CLIENT_SECRET,
    retour: `${config.PUBLIC_URL}/connexion/retour`, retourDeconnexion: `${config.PUBLIC_URL}/deconnexion/retour`,
  };
}

const indisponible = () =>
  new ErreurPortail('fournisseur_indisponible', 'Le service d’identification ne répond pas pour le moment. Réessayez dans quelques minutes.', 503);

/** Discovery once, retried on the next login if the provider was down. */
export function fournisseurOidc(p: ParametresOidc) {
  let configuration: Promise<client.Configuration> | null = null;
  const obtenir = () => {
    // http:// is admitted by the configuration only on a loopback host (development, tests).
    const options = new URL(p.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined;
    configuration ??= client
      .discovery(new URL(p.issuer), p.clientId, undefined, client.ClientSecretPost(p.clientSecret), options)
      .then((decouverte) => {
        // FranceConnect v2 signs ID tokens and userinfo with ES256 (recommended) or RS256: take
        // what the provider announces, ES256 first, and require signed userinfo either way.
        const meta = decouverte.serverMetadata();
        const choisir = (annonces: string[] | undefined) => (annonces?.includes('ES256') ? 'ES256' : 'RS256');
        const c = new client.Configuration(meta, p.clientId, {
          id_token_signed_response_alg: choisir(meta.id_token_signing_alg_values_supported),
          userinfo_signed_response_alg: choisir(meta.userinfo_signing_alg_values_supported as string[] | undefined),
        }, client.ClientSecretPost(p.clientSecret));
        if (options) client.allowInsecureRequests(c);
        return c;
      })
      .catch((e: unknown) => {
        configuration = null;
        throw e;
      });
    return configuration;
  };

  return {
    async urlAutorisation(): Promise<{ url: string; state: string; nonce: string; verifier: string }> {
      const c = await obtenir().catch(() => { throw indisponible(); });
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce(); // 43 characters, FranceConnect wants at least 22
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: p.retour, scope: p.scope ?? SCOPES_FC, ...(p.acr === null ? {} : { acr_values: p.acr?.demande ?? 'eidas1' }), state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
        prompt: 'login consent',
      });
      return { url: url.href, state, nonce, verifier };
    },

    /** Verifies the callback and returns the identity; any failure is an ErreurPortail. */
    async retour(urlCourante: URL, attendu: { state: string; nonce: string; verifier: string }) {
      const c = await obtenir().catch(() => { throw indisponible(); });
      let jetons: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
      try {
        jetons = await client.authorizationCodeGrant(c, urlCourante, {
          pkceCodeVerifier: attendu.verifier, expectedState: attendu.state, expectedNonce: attendu.nonce, idTokenExpected: true,
        });
      } catch {
        throw new ErreurPortail('connexion_non_verifiee', 'La connexion n’a pas pu être vérifiée. Recommencez depuis la page de connexion.', 400);
      }
      const claims = jetons.claims()!;
      if (p.acr !== null && !(p.acr?.acceptes ?? NIVEAUX_ACCEPTES).includes(String(claims.acr))) {
        throw new ErreurPortail('niveau_insuffisant', 'Le niveau de garantie de l’identification est insuffisant pour accéder à votre espace.', 403);
      }
      let info: client.UserInfoResponse;
      try {
        info = await client.fetchUserInfo(c, jetons.access_token, claims.sub);
      } catch {
        throw new ErreurPortail('connexion_non_verifiee', 'Votre identité n’a pas pu être vérifiée. Recommencez depuis la page de connexion.', 400);
      }
      const texte = (v: unknown) => (typeof v === 'string' && v ? v : null);
      return {
        idToken: jetons.id_token!,
        identite: {
          iss: String(claims.iss), sub: claims.sub,
          given_name: texte(info.given_name), family_name: texte(info.family_name),
          preferred_name: texte(info.preferred_username) ?? texte((info as Record<string, unknown>).preferred_name),
          birthdate: texte(info.birthdate), gender: texte(info.gender),
          birthplace: texte((info as Record<string, unknown>).birthplace), birthcountry: texte((info as Record<string, unknown>).birthcountry),
          email: texte(info.email),
        },
      };
    },

    /** FranceConnect's end-session URL, or null when the provider cannot be reached. */
    async urlDeconnexion(idToken: string, state: string): Promise<string | null> {
      try {
        const c = await obtenir();
        return client.buildEndSessionUrl(c, { id_token_hint: idToken, post_logout_redirect_uri: p.retourDeconnexion, state }).href;
      } catch {
        return null;
      }
    },
  };
}

export type FournisseurOidc = ReturnType<typeof fournisseurOidc>;

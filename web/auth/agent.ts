// The ministry's identity provider for agents (AGENT_OIDC_*): the same OpenID helper as
// FranceConnect (authorization code + PKCE, state, nonce, signed ID token and userinfo), with the
// scopes a ministry directory releases and no eIDAS level (agents' accounts are not FranceConnect
// identities). Agents are known by the e-mail claim; roles live in our database.
import type { Config } from '../../domain/config.js';
import type { ParametresOidc } from './franceconnect.js';

export const SCOPES_AGENTS = 'openid email given_name family_name';

export function parametresAgents(config: Config): ParametresOidc {
  return {
    issuer: config.AGENT_OIDC_ISSUER, clientId: config.AGENT_OIDC_CLIENT_ID, clientSecret: config.AGENT_OIDC_CLIENT_SECRET,
    retour: `${config.PUBLIC_URL}/agent/connexion/retour`, retourDeconnexion: `${config.PUBLIC_URL}/agent/deconnexion/retour`,
    scope: SCOPES_AGENTS, acr: null,
  };
}

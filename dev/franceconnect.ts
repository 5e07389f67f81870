// Local stand-in for FranceConnect v2 (citizens) and for the ministry's OpenID provider (agents),
// used only when FC_ISSUER / AGENT_OIDC_ISSUER are not configured. One oidc-provider instance,
// issuer `http://host:port/api/v2` like FranceConnect, with its own interaction pages: choice of
// identity provider, then a list of test identities (or of agent accounts). It reproduces what the
// portal must cope with in production (PEERS.md §3.2): RS256-signed ID token and userinfo JWT,
// pairwise `sub`, `acr` eidas1, mandatory nonce (≥ 22 characters) and state, short token lifetimes,
// error redirects, RP-initiated logout without a confirmation page.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import mount from 'koa-mount';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import Provider, {
  errors,
  interactionPolicy,
  type Adapter,
  type AdapterFactory,
  type AdapterPayload,
  type ClientMetadata,
  type Configuration,
} from 'oidc-provider';

export type Espace = 'citoyen' | 'agent';

export interface ClientOidc {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  espace: Espace;
  /** Shown on the login pages ("… pour accéder à <nom>"); defaults to client_id. */
  client_name?: string;
  /** FranceConnect accepts client_secret_post (the default here); the agent side may want basic. */
  token_endpoint_auth_method?: 'client_secret_post' | 'client_secret_basic';
}

export interface FournisseurIdentite {
  id: string;
  nom: string;
}

/** The three identity providers the real Portail du justiciable offers through FranceConnect. */
export const FOURNISSEURS_IDENTITE: readonly FournisseurIdentite[] = [
  { id: 'impots-gouv', nom: 'impots.gouv.fr' },
  { id: 'ameli', nom: 'ameli.fr' },
  { id: 'laposte', nom: "L'Identité Numérique La Poste" },
];

/** FranceConnect's "identité pivot" plus email and the usage name, as delivered by userinfo. */
export interface ClaimsPivot {
  given_name: string;
  family_name: string;
  birthdate: string;
  gender: 'female' | 'male';
  /** INSEE code of the commune of birth; empty for people born abroad (as FranceConnect does). */
  birthplace: string;
  /** INSEE country code (99100 = France). */
  birthcountry: string;
  email: string;
  /** Nom d'usage, when the person has one. */
  preferred_username?: string;
}

export interface IdentiteTest {
  id: string;
  /** One line for people: name, birth date and place. */
  libelle: string;
  fournisseur: string;
  claims: ClaimsPivot;
}

export const IDENTITES_TEST: readonly IdentiteTest[] = [
  {
    id: 'angela-dubois',
    libelle: 'Angela Claire Louise DUBOIS, née le 24 août 1962 à Paris 7e',
    fournisseur: 'impots-gouv',
    claims: {
      given_name: 'Angela Claire Louise',
      family_name: 'DUBOIS',
      birthdate: '1962-08-24',
      gender: 'female',
      birthplace: '75107',
      birthcountry: '99100',
      email: 'angela.dubois@example.org',
    },
  },
  {
    id: 'karim-benali',
    libelle: 'Karim Mohamed BENALI, né le 2 novembre 1990 à Casablanca (Maroc)',
    fournisseur: 'impots-gouv',
    claims: {
      given_name: 'Karim Mohamed',
      family_name: 'BENALI',
      birthdate: '1990-11-02',
      gender: 'male',
      birthplace: '',
      birthcountry: '99350',
      email: 'karim.benali@example.org',
    },
  },
  {
    id: 'marie-helene-lefevre',
    libelle: 'Marie-Hélène LEFEVRE, épouse BERNARD, née le 14 mars 1985 à Lyon 3e',
    fournisseur: 'ameli',
    claims: {
      given_name: 'Marie-Hélène',
      family_name: 'LEFEVRE',
      preferred_username: 'BERNARD',
      birthdate: '1985-03-14',
      gender: 'female',
      birthplace: '69383',
      birthcountry: '99100',
      email: 'marie-helene.bernard@example.org',
    },
  },
  {
    id: 'josiane-robert',
    libelle: 'Josiane Paulette ROBERT, née le 5 janvier 1948 à Rennes',
    fournisseur: 'ameli',
    claims: {
      given_name: 'Josiane Paulette',
      family_name: 'ROBERT',
      birthdate: '1948-01-05',
      gender: 'female',
      birthplace: '35238',
      birthcountry: '99100',
      email: 'josiane.robert@example.org',
    },
  },
  {
    id: 'lucas-petit',
    libelle: 'Lucas Thomas PETIT, né le 30 juin 2001 à Marseille 1er',
    fournisseur: 'laposte',
    claims: {
      given_name: 'Lucas Thomas',
      family_name: 'PETIT',
      birthdate: '2001-06-30',
      gender: 'male',
      birthplace: '13201',
      birthcountry: '99100',
      email: 'lucas.petit@example.org',
    },
  },
  {
    id: 'ana-da-silva-ferreira',
    libelle: 'Ana Beatriz DA SILVA FERREIRA, née le 17 septembre 1979 à Porto (Portugal)',
    fournisseur: 'laposte',
    claims: {
      given_name: 'Ana Beatriz',
      family_name: 'DA SILVA FERREIRA',
      birthdate: '1979-09-17',
      gender: 'female',
      birthplace: '',
      birthcountry: '99139',
      email: 'ana.dasilva@example.org',
    },
  },
];

export interface CompteAgent {
  id: string;
  /** Released as the `email` claim, by which the portal knows its agents. */
  courriel: string;
  prenom: string;
  nom: string;
  /** What the seed may grant; the provider itself knows nothing of roles (DESIGN.md). */
  roleSuggere: 'agent_greffe' | 'agent_accueil' | 'directeur_greffe' | 'magistrat' | 'statistiques_national' | null;
  juridictionSuggeree: string | null;
}

export const COMPTES_AGENTS: readonly CompteAgent[] = [
  { id: 'agent-greffe-paris', courriel: 'greffe.paris@justice.fr', prenom: 'Camille', nom: 'Martin', roleSuggere: 'agent_greffe', juridictionSuggeree: 'TJ-PARIS' },
  { id: 'agent-accueil-paris', courriel: 'accueil.paris@justice.fr', prenom: 'Sophie', nom: 'Durand', roleSuggere: 'agent_accueil', juridictionSuggeree: 'TJ-PARIS' },
  { id: 'agent-directeur-paris', courriel: 'directeur.greffe.paris@justice.fr', prenom: 'Nicolas', nom: 'Lefebvre', roleSuggere: 'directeur_greffe', juridictionSuggeree: 'TJ-PARIS' },
  { id: 'agent-magistrat-paris', courriel: 'magistrat.paris@justice.fr', prenom: 'Claire', nom: 'Moreau', roleSuggere: 'magistrat', juridictionSuggeree: 'TJ-PARIS' },
  { id: 'agent-greffe-lyon', courriel: 'greffe.lyon@justice.fr', prenom: 'Thomas', nom: 'Bernard', roleSuggere: 'agent_greffe', juridictionSuggeree: 'TJ-LYON' },
  { id: 'agent-statistiques', courriel: 'statistiques@justice.fr', prenom: 'Julien', nom: 'Girard', roleSuggere: 'statistiques_national', juridictionSuggeree: null },
  // an account the ministry knows but the portal does not: the agent pages must refuse it
  { id: 'agent-sans-role', courriel: 'nouvel.agent@justice.fr', prenom: 'Paul', nom: 'Roux', roleSuggere: null, juridictionSuggeree: null },
];

/**
 * FranceConnect gives each service its own `sub` for the same person. Deterministic, so a
 * restart keeps the link between a citizen and their cases, and the seed can compute the `sub`
 * a demo identity will have for the portal's client_id.
 */
export function sujetPairwise(clientId: string, compteId: string): string {
  return createHash('sha256').update(`${clientId}\n${compteId}`).digest('hex');
}

const PIVOT = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'] as const;

interface Compte {
  espace: Espace;
  claims: Record<string, string>;
}

const COMPTES = new Map<string, Compte>([
  ...IDENTITES_TEST.map((i): [string, Compte] => {
    const { preferred_username, ...pivot } = i.claims;
    // FranceConnect's claim is preferred_username; STACK.md's scope list says preferred_name:
    // both scopes are offered, each releasing the claim of its own name.
    const usage: Record<string, string> = preferred_username ? { preferred_username, preferred_name: preferred_username } : {};
    return [i.id, { espace: 'citoyen', claims: { ...pivot, ...usage } }];
  }),
  ...COMPTES_AGENTS.map((a): [string, Compte] => [
    a.id,
    { espace: 'agent', claims: { email: a.courriel, given_name: a.prenom, family_name: a.nom } },
  ]),
]);

// ---------------------------------------------------------------------------------------------
// HTML

function echapper(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
header p{margin:0;color:#3a3a3a}h1{font-size:1.6rem}fieldset{border:1px solid #929292;padding:1rem;margin:1rem 0}
legend{font-weight:700;padding:0 .25rem}ul.choix{list-style:none;padding:0}ul.choix li{margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;border:2px solid #000091;background:#000091;color:#fff;cursor:pointer}
button.secondaire{background:#fff;color:#000091}ul.choix button{width:100%;text-align:left}
.radio{margin:.5rem 0}.radio label{margin-left:.25rem}.avertissement{background:#fff4e5;border-left:4px solid #b34000;padding:.5rem 1rem}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}`;

// Auto-submits the logout form; its hash is allowed by the CSP below, no other script runs.
const SCRIPT_DECONNEXION = "document.addEventListener('DOMContentLoaded',function(){document.getElementById('op.logoutForm').submit()});";
const HASH_SCRIPT_DECONNEXION = `'sha256-${createHash('sha256').update(SCRIPT_DECONNEXION).digest('base64')}'`;

function page(titre: string, corps: string, tete = ''): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${echapper(titre)} — FranceConnect (simulation locale)</title>
<style>${STYLE}</style>
${tete}
</head>
<body>
<header><p>FranceConnect — <strong>simulation locale de développement</strong>, aucune donnée réelle</p></header>
<main>
${corps}
</main>
</body>
</html>`;
}

function nomClient(c: ClientOidc | undefined): string {
  return c?.client_name ?? c?.client_id ?? 'le service';
}

function formAnnuler(uid: string, client: ClientOidc | undefined): string {
  return `<form method="post" action="/interaction/${encodeURIComponent(uid)}/annuler">
<button type="submit" class="secondaire">Annuler et revenir sur ${echapper(nomClient(client))}</button>
</form>`;
}

function pageFournisseurs(uid: string, client: ClientOidc | undefined): string {
  const boutons = FOURNISSEURS_IDENTITE.map(
    (f) => `<li><button type="submit" name="fournisseur" value="${echapper(f.id)}">Se connecter avec ${echapper(f.nom)}</button></li>`,
  ).join('\n');
  return page(
    'Choix du compte',
    `<h1>Je choisis un compte pour me connecter sur ${echapper(nomClient(client))}</h1>
<form method="get" action="/interaction/${encodeURIComponent(uid)}">
<fieldset>
<legend>Fournisseurs d'identité</legend>
<ul class="choix">
${boutons}
</ul>
</fieldset>
</form>
${formAnnuler(uid, client)}`,
  );
}

function formulaireComptes(
  uid: string,
  legende: string,
  comptes: { id: string; libelle: string }[],
  cache: Record<string, string> = {},
): string {
  const radios = comptes
    .map(
      (c, i) => `<div class="radio"><input type="radio" id="compte-${echapper(c.id)}" name="identite" value="${echapper(c.id)}" required${i === 0 ? ' checked' : ''}><label for="compte-${echapper(c.id)}">${echapper(c.libelle)}</label></div>`,
    )
    .join('\n');
  const champsCaches = Object.entries(cache)
    .map(([k, v]) => `<input type="hidden" name="${echapper(k)}" value="${echapper(v)}">`)
    .join('\n');
  return `<form method="post" action="/interaction/${encodeURIComponent(uid)}/connexion">
${champsCaches}
<fieldset>
<legend>${echapper(legende)}</legend>
${radios}
</fieldset>
<button type="submit">Se connecter</button>
</form>`;
}

function pageIdentites(uid: string, client: ClientOidc | undefined, fournisseur: FournisseurIdentite): string {
  const identites = IDENTITES_TEST.filter((i) => i.fournisseur === fournisseur.id);
  return page(
    `Connexion avec ${fournisseur.nom}`,
    `<h1>Connexion avec ${echapper(fournisseur.nom)}</h1>
<p class="avertissement">Simulation : aucun mot de passe n'est demandé. Choisissez une identité de test.</p>
${formulaireComptes(uid, 'Identité de test', identites, { fournisseur: fournisseur.id })}
<p><a href="/interaction/${encodeURIComponent(uid)}">Choisir un autre fournisseur d'identité</a></p>
${formAnnuler(uid, client)}`,
  );
}

function pageAgents(uid: string, client: ClientOidc | undefined): string {
  const comptes = COMPTES_AGENTS.map((a) => ({ id: a.id, libelle: `${a.prenom} ${a.nom} — ${a.courriel}` }));
  return page(
    'Connexion des agents',
    `<h1>Connexion des agents du ministère de la Justice à ${echapper(nomClient(client))}</h1>
<p class="avertissement">Simulation de l'annuaire du ministère : aucun mot de passe n'est demandé. Les rôles et la juridiction de chaque agent sont gérés par le portail.</p>
${formulaireComptes(uid, 'Compte agent', comptes)}
${formAnnuler(uid, client)}`,
  );
}

function pageErreur(titre: string, message: string): string {
  return page(titre, `<h1>${echapper(titre)}</h1>\n<p>${echapper(message)}</p>`);
}

// ---------------------------------------------------------------------------------------------
// Storage: the same in-memory behaviour as oidc-provider's own adapter (which prints a
// production warning at every start), keyed by model, with grant and uid indexes.

function creerAdaptateurMemoire(): AdapterFactory {
  const entrees = new Map<string, { payload: AdapterPayload; expire: number }>();
  const parGrant = new Map<string, Set<string>>();
  const parUid = new Map<string, string>();
  const parCodeUtilisateur = new Map<string, string>();

  const lire = (cle: string): AdapterPayload | undefined => {
    const e = entrees.get(cle);
    if (!e) return undefined;
    if (e.expire <= Date.now()) {
      entrees.delete(cle);
      return undefined;
    }
    return e.payload;
  };
  const balayer = () => {
    const maintenant = Date.now();
    for (const [cle, e] of entrees) if (e.expire <= maintenant) entrees.delete(cle);
    for (const [uid, cle] of parUid) if (!entrees.has(cle)) parUid.delete(uid);
    for (const [code, cle] of parCodeUtilisateur) if (!entrees.has(cle)) parCodeUtilisateur.delete(code);
    for (const [grant, cles] of parGrant) {
      for (const cle of cles) if (!entrees.has(cle)) cles.delete(cle);
      if (cles.size === 0) parGrant.delete(grant);
    }
  };

  return (modele: string): Adapter => {
    const cleDe = (id: string) => `${modele}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const cle = cleDe(id);
        entrees.set(cle, { payload, expire: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
        if (payload.grantId) {
          const cles = parGrant.get(payload.grantId) ?? new Set<string>();
          cles.add(cle);
          parGrant.set(payload.grantId, cles);
        }
        if (modele === 'Session' && payload.uid) parUid.set(payload.uid, cle);
        if (payload.userCode) parCodeUtilisateur.set(payload.userCode, cle);
        if (entrees.size % 500 === 0) balayer();
      },
      async find(id) {
        return lire(cleDe(id));
      },
      async findByUid(uid) {
        const cle = parUid.get(uid);
        return cle ? lire(cle) : undefined;
      },
      async findByUserCode(code) {
        const cle = parCodeUtilisateur.get(code);
        return cle ? lire(cle) : undefined;
      },
      async consume(id) {
        const p = lire(cleDe(id));
        if (p) p.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entrees.delete(cleDe(id));
      },
      async revokeByGrantId(grantId) {
        for (const cle of parGrant.get(grantId) ?? []) entrees.delete(cle);
        parGrant.delete(grantId);
      },
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Signing key

type JwkPrive = Record<string, unknown> & { kty: string; kid: string };

export type Algorithme = 'RS256' | 'ES256';

function nouvelleCle(alg: Algorithme = 'RS256'): JwkPrive {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown> & { kty: string; n?: string; x?: string };
  const kid = createHash('sha256').update(String(jwk.n ?? jwk.x)).digest('base64url').slice(0, 16);
  return { ...jwk, kid, alg, use: 'sig' };
}

/** Persisting the key lets an app keep verifying id_token_hint (logout) across restarts. */
async function chargerCle(fichier: string | undefined, alg: Algorithme = 'RS256'): Promise<JwkPrive> {
  if (!fichier) return nouvelleCle(alg);
  try {
    const cle = JSON.parse(await readFile(fichier, 'utf8')) as JwkPrive;
    if (cle.alg === alg && typeof cle.d === 'string' && cle.kid) return cle;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`clé de signature illisible dans ${fichier} : ${(e as Error).message}`);
  }
  const cle = nouvelleCle(alg);
  await mkdir(path.dirname(fichier), { recursive: true });
  await writeFile(fichier, JSON.stringify(cle), { mode: 0o600 });
  return cle;
}

// ---------------------------------------------------------------------------------------------

export interface FournisseurOidc {
  /** `http://host:port/api/v2`, the value for FC_ISSUER / AGENT_OIDC_ISSUER. */
  issuer: string;
  /** `http://host:port`, where the stand-in's home page lists the test accounts. */
  url: string;
  arreter(): Promise<void>;
}

export async function demarrerFournisseurOidc(o: {
  port: number;
  host?: string;
  secretCookies: string;
  clients: ClientOidc[];
  /** Optional JSON file keeping the signing key across restarts (created when missing). */
  fichierCles?: string;
  /** FranceConnect v2 signs with ES256 (recommended) or RS256; RS256 by default. */
  algorithme?: Algorithme;
  /** Path of the issuer; FranceConnect's `/api/v2` by default. */
  chemin?: string;
}): Promise<FournisseurOidc> {
  const alg = o.algorithme ?? 'RS256';
  const chemin = o.chemin ?? '/api/v2';
  const host = o.host ?? '127.0.0.1';
  if (o.secretCookies.length < 16) throw new Error('secretCookies : 16 caractères au moins');
  const clients = new Map(o.clients.map((c) => [c.client_id, c]));
  for (const c of o.clients) {
    // oidc-provider computes pairwise subjects per "sector", the redirect URIs' host; several
    // hosts would require a sector_identifier_uri document that this stand-in does not serve.
    if (new Set(c.redirect_uris.map((u) => new URL(u).host)).size > 1) {
      throw new Error(`client ${c.client_id} : toutes ses redirect_uris doivent partager le même hôte`);
    }
  }
  const espaceDuClient = (clientId: string | undefined): Espace | undefined =>
    clientId === undefined ? undefined : clients.get(clientId)?.espace;

  const cle = await chargerCle(o.fichierCles, alg);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hoteUrl = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${hoteUrl}:${port}`;
  const issuer = `${url}${chemin}`;

  // A citizen session must not open the agent space (and vice versa): ask for a login again.
  const politique = interactionPolicy.base();
  politique.get('login')!.checks.add(
    new interactionPolicy.Check('espace_different', "le compte connecté n'appartient pas à l'espace de ce client", (ctx) => {
      const compte = ctx.oidc.session?.accountId ? COMPTES.get(ctx.oidc.session.accountId) : undefined;
      const espace = espaceDuClient(ctx.oidc.client?.clientId);
      return compte !== undefined && compte.espace !== espace
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
    0,
  );

  const seulementCitoyen = (client: { clientId: string }) => espaceDuClient(client.clientId) === 'citoyen';

  const configuration: Configuration = {
    adapter: creerAdaptateurMemoire(),
    clients: o.clients.map(
      (c): ClientMetadata => ({
        client_id: c.client_id,
        client_secret: c.client_secret,
        ...(c.client_name ? { client_name: c.client_name } : {}),
        redirect_uris: c.redirect_uris,
        post_logout_redirect_uris: c.post_logout_redirect_uris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_post',
        id_token_signed_response_alg: alg,
        // signed for both spaces: openid-client accepts a JWT userinfo even when not declared,
        // but rejects plain JSON when the client declared a signing algorithm
        userinfo_signed_response_alg: alg,
        subject_type: 'pairwise',
      }),
    ),
    jwks: { keys: [cle] },
    cookies: {
      keys: [o.secretCookies],
      // the portal runs on the same host (cookies ignore ports): avoid oidc-provider's generic names
      names: { session: 'fc_session', interaction: 'fc_interaction', resume: 'fc_interaction_resume' },
    },
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      identite_pivot: [...PIVOT],
      ...Object.fromEntries(PIVOT.map((c) => [c, [c]])),
      email: ['email'],
      preferred_username: ['preferred_username'],
      preferred_name: ['preferred_name'],
    },
    scopes: ['openid', 'identite_pivot', ...PIVOT, 'email', 'preferred_username', 'preferred_name'],
    acrValues: ['eidas1', 'eidas2', 'eidas3'],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => sujetPairwise(client.clientId, accountId),
    responseTypes: ['code'],
    pkce: { required: () => false }, // FranceConnect does not require PKCE; when sent, it is checked
    // FranceConnect v2 refuses an authorization request without state or with a short nonce
    extraParams: {
      async nonce(_ctx, value, client) {
        if (seulementCitoyen(client) && (value === undefined || value.length < 22)) {
          throw new errors.InvalidRequest('le paramètre nonce est obligatoire (22 caractères au moins)');
        }
      },
      async state(_ctx, value, client) {
        if (seulementCitoyen(client) && !value) {
          throw new errors.InvalidRequest('le paramètre state est obligatoire');
        }
      },
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      end_session: '/session/end',
      jwks: '/jwks',
      revocation: '/token/revoke',
    },
    // FranceConnect's lifetimes (PEERS.md §3.2); the interaction leaves time to read the pages
    ttl: {
      AuthorizationCode: 30,
      AccessToken: 60,
      IdToken: 60,
      Interaction: 15 * 60,
      Session: 30 * 60,
      Grant: 30 * 60,
    },
    features: {
      devInteractions: { enabled: false },
      // absent from FranceConnect: the portal must not come to rely on them
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        // FranceConnect does not ask "do you want to sign out?": submit the provider's own form
        // (it carries the xsrf token) at once, with a button for browsers without JavaScript.
        logoutSource(ctx, form) {
          const formulaire = form.replace(
            '</form>',
            '<input type="hidden" name="logout" value="yes"><noscript><p>Votre navigateur n\'exécute pas JavaScript.</p><button type="submit">Terminer la déconnexion</button></noscript></form>',
          );
          ctx.type = 'html';
          ctx.body = page(
            'Déconnexion',
            `<h1>Déconnexion de FranceConnect en cours…</h1>\n${formulaire}`,
            `<script>${SCRIPT_DECONNEXION}</script>`,
          );
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Déconnecté', '<h1>Vous êtes déconnecté de FranceConnect</h1>\n<p>Vous pouvez fermer cette page.</p>');
        },
      },
    },
    clientBasedCORS: () => false, // only servers talk to token/userinfo; discovery and JWKS stay open
    interactions: {
      policy: politique,
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, id) {
      const compte = COMPTES.get(id);
      if (!compte) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...compte.claims }) };
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      const details = Object.entries(out)
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => `<dt>${echapper(k)}</dt><dd>${echapper(v as string)}</dd>`)
        .join('');
      ctx.body = page('Erreur', `<h1>La connexion n'a pas pu aboutir</h1>\n<dl>${details}</dl>`);
    },
  };

  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (e) {
    server.close();
    throw e;
  }

  const app = new Koa();
  // koa-mount hands the provider the parent's ctx: cookies must be signed with the same keys
  app.keys = [o.secretCookies];
  app.silent = true;
  app.on('error', (err: Error & { status?: number }) => {
    if (!err.status || err.status >= 500) console.error('[franceconnect local]', err);
  });

  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', `default-src 'none'; script-src ${HASH_SCRIPT_DECONNEXION}; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    await next();
    // oidc-provider's own auto-submitted form (logout without a session, response_mode=form_post)
    // is in English and cannot be configured: translate its few words
    if (typeof ctx.body === 'string' && ctx.body.includes('<title>Submitting Callback</title>')) {
      ctx.body = ctx.body
        .replace('<html>', '<html lang="fr">')
        .replace('<title>Submitting Callback</title>', '<meta charset="utf-8"><title>Redirection en cours…</title>')
        .replace("Your browser does not support JavaScript or you've disabled it.", "Votre navigateur n'exécute pas JavaScript.")
        .replace('>Continue</button>', '>Continuer</button>');
    }
  });

  const router = new Router();

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.type = 'html';
      if (err instanceof errors.SessionNotFound) {
        ctx.status = 400;
        ctx.body = pageErreur('Demande expirée', 'Cette demande de connexion a expiré ou est introuvable. Recommencez depuis le service que vous vouliez utiliser.');
      } else if (err instanceof errors.OIDCProviderError) {
        ctx.status = err.statusCode ?? 400;
        ctx.body = pageErreur('Demande invalide', err.error_description ?? err.message);
      } else {
        ctx.status = 500;
        ctx.body = pageErreur('Erreur', 'Une erreur inattendue est survenue.');
        ctx.app.emit('error', err, ctx);
      }
    }
  });

  async function details(ctx: Koa.Context) {
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    // the cookie names the interaction; the path must agree, so that a stale tab cannot
    // complete another login
    if (d.uid !== ctx.params.uid) throw new errors.SessionNotFound('interaction inconnue');
    const client = clients.get(String(d.params.client_id));
    return { d, client };
  }

  async function terminer(ctx: Koa.Context, resultat: Parameters<Provider['interactionResult']>[2], fusion: boolean) {
    const cible = await provider.interactionResult(ctx.req, ctx.res, resultat, { mergeWithLastSubmission: fusion });
    ctx.status = 303;
    ctx.redirect(cible);
  }

  router.get('/', (ctx) => {
    const identites = IDENTITES_TEST.map((i) => {
      const f = FOURNISSEURS_IDENTITE.find((x) => x.id === i.fournisseur)!;
      return `<li>${echapper(i.libelle)} (${echapper(f.nom)})</li>`;
    }).join('\n');
    const agents = COMPTES_AGENTS.map((a) => `<li>${echapper(`${a.prenom} ${a.nom} — ${a.courriel}`)}</li>`).join('\n');
    ctx.type = 'html';
    ctx.body = page(
      'Accueil',
      `<h1>Fournisseur d'identité local</h1>
<p>Émetteur OpenID : <code>${echapper(issuer)}</code> (<a href="${echapper(chemin)}/.well-known/openid-configuration">configuration</a>).</p>
<h2>Identités de test (usagers)</h2>
<ul>${identites}</ul>
<h2>Comptes agents</h2>
<ul>${agents}</ul>`,
    );
  });

  router.get('/interaction/:uid', async (ctx) => {
    const { d, client } = await details(ctx);
    if (d.prompt.name === 'consent') {
      // FranceConnect does not ask for per-service consent: grant what was requested
      const accountId = d.session?.accountId;
      if (!accountId) throw new errors.SessionNotFound('session absente');
      const grant = d.grantId
        ? ((await provider.Grant.find(d.grantId)) ?? new provider.Grant({ accountId, clientId: String(d.params.client_id) }))
        : new provider.Grant({ accountId, clientId: String(d.params.client_id) });
      const manque = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (manque.missingOIDCScope) grant.addOIDCScope(manque.missingOIDCScope.join(' '));
      if (manque.missingOIDCClaims) grant.addOIDCClaims(manque.missingOIDCClaims);
      for (const [indicateur, scopes] of Object.entries(manque.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicateur, scopes.join(' '));
      }
      const grantId = await grant.save();
      await terminer(ctx, { consent: d.grantId ? {} : { grantId } }, true);
      return;
    }
    if (d.prompt.name !== 'login') {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = pageErreur('Demande invalide', `Étape « ${d.prompt.name} » non prise en charge.`);
      return;
    }
    ctx.type = 'html';
    if (client?.espace === 'agent') {
      ctx.body = pageAgents(d.uid, client);
      return;
    }
    const choisi = typeof ctx.query.fournisseur === 'string' ? ctx.query.fournisseur : undefined;
    const fournisseur = FOURNISSEURS_IDENTITE.find((f) => f.id === choisi);
    ctx.body = fournisseur ? pageIdentites(d.uid, client, fournisseur) : pageFournisseurs(d.uid, client);
  });

  const formulaire = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });

  router.post('/interaction/:uid/connexion', formulaire, async (ctx) => {
    const { d, client } = await details(ctx);
    const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
    const id = typeof corps.identite === 'string' ? corps.identite : '';
    const compte = COMPTES.get(id);
    const identite = IDENTITES_TEST.find((i) => i.id === id);
    const valide =
      d.prompt.name === 'login' &&
      client !== undefined &&
      compte !== undefined &&
      compte.espace === client.espace &&
      (client.espace === 'agent' || identite?.fournisseur === corps.fournisseur);
    if (!valide) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = pageErreur('Demande invalide', "Ce compte ne peut pas être utilisé ici. Revenez à la page précédente et choisissez un compte dans la liste.");
      return;
    }
    await terminer(ctx, { login: { accountId: id, acr: 'eidas1', amr: ['pwd'] } }, false);
  });

  router.post('/interaction/:uid/annuler', async (ctx) => {
    await details(ctx);
    await terminer(ctx, { error: 'access_denied', error_description: "L'usager a annulé la connexion" }, false);
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(mount(chemin, provider));

  server.on('request', app.callback());

  return {
    issuer,
    url,
    async arreter() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

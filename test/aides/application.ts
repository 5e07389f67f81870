// The whole portal for an integration test file: a fresh database, the local mail/SMS sinks,
// a real worker on its own task queue of the run's Temporal server, and the web app on a free
// port. Two court tokens: TJ-PARIS and TJ-LYON.
import type { DepotJuridiction } from '../../activities/requetes.js';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type pg from 'pg';
import { creerBaseDeTest, type BaseDeTest } from './base.js';
import { configDeTest } from './config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import { createApp } from '../../web/app.js';
import { creerPoolLimites } from '../../web/middleware/limite-connexion.js';
import { intercepteursClient } from '../../services/correlation.js';
import { creerJournal, type Logger } from '../../web/log.js';
import { creerWorker } from '../../worker.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';
import { demarrerFournisseurOidc, type FournisseurOidc } from '../../dev/franceconnect.js';
import { Navigateur, formulaire } from './navigateur.js';
import type { Config } from '../../domain/config.js';

export const JETON_PARIS = 'p'.repeat(20) + 'jeton-de-paris-0123456789';
export const JETON_LYON = 'l'.repeat(20) + 'jeton-de-lyon-0123456789';

export interface Application {
  url: string;
  pool: DatabasePool;
  /** The login limits' counters (table `limites`), as server.ts opens them. */
  poolLimites: pg.Pool;
  config: Config;
  temporal: Client;
  boites: Boites;
  /** The FranceConnect stand-in the portal is configured with. */
  fc: FournisseurOidc;
  /**
   * Logs a citizen in through the portal and the stand-in (identity provider, then identity of
   * dev/franceconnect.ts IDENTITES_TEST); returns the browser, on /espace or /espace/cgu.
   */
  connecter(identite?: string, o?: { fournisseur?: string; accepterCgu?: boolean }): Promise<Navigateur>;
  /** fetch on the court API with a token (Paris by default) and a JSON body. */
  api(methode: string, chemin: string, corps?: unknown, o?: { jeton?: string | null; entetes?: Record<string, string>; brut?: string }): Promise<Response>;
  courriels(destinataire?: string): Promise<{ subject: string; text: string; to: string[] }[]>;
  /** SMS received by the sink for one number (E.164), newest first. */
  sms(destinataire?: string): Promise<{ id: string; to: string; body: string; date: string }[]>;
  /**
   * The portal's clock for the case-linking rules (code validity, SMS limits, lockout,
   * retention): real time plus an offset that tests move forward instead of waiting.
   */
  horloge: { maintenant(): Date; avancer(ms: number): void };
  /** Stops or (re)starts the worker, as an operator's restart would. */
  arreterWorker(): Promise<void>;
  demarrerWorker(): Promise<void>;
  arreter(): Promise<void>;
}

export async function demarrerApplication(
  surcharges: Record<string, string> = {},
  fournisseur: { algorithme?: 'RS256' | 'ES256'; chemin?: string } = {},
  /**
   * `depot`: the court intake the worker transmits requêtes to (a flaky one, in tests).
   * `journaux`: where the web app and the worker log (default: the app silent, the worker at
   * LOG_LEVEL on stdout); the worker's one is the process's Temporal runtime logger, so it can
   * only be chosen by the first application of a test file.
   * `pgAdmin`: the maintenance URL of the PostgreSQL server to create the database on, instead of
   * the run's (a server the test stops and restarts).
   */
  options: { depot?: DepotJuridiction; journaux?: { web: Logger; worker: Logger }; pgAdmin?: string; /** Messages the sinks keep (1,000 by default). */ maximumBoites?: number } = {},
): Promise<Application> {
  const base: BaseDeTest = await creerBaseDeTest(options.pgAdmin);
  await appliquerMigrations(base.url);
  const boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0), maximum: options.maximumBoites });
  const port = await portLibre(0);
  const url = `http://127.0.0.1:${port}`;
  const fc = await demarrerFournisseurOidc({
    port: await portLibre(0),
    secretCookies: 'c'.repeat(32),
    ...fournisseur,
    clients: [
      { client_id: 'portail', client_secret: 'secret-portail-0123456789', espace: 'citoyen', redirect_uris: [`${url}/connexion/retour`], post_logout_redirect_uris: [`${url}/deconnexion/retour`] },
      // The agents' client (test/aides/agent.ts connecterAgent).
      { client_id: 'portail-agents', client_secret: 'secret-agents-0123456789', espace: 'agent', redirect_uris: [`${url}/agent/connexion/retour`], post_logout_redirect_uris: [`${url}/agent/deconnexion/retour`] },
    ],
  });
  const config = configDeTest({
    PUBLIC_URL: url,
    FC_ISSUER: fc.issuer,
    FC_CLIENT_ID: 'portail',
    FC_CLIENT_SECRET: 'secret-portail-0123456789',
    AGENT_OIDC_ISSUER: fc.issuer,
    AGENT_OIDC_CLIENT_ID: 'portail-agents',
    AGENT_OIDC_CLIENT_SECRET: 'secret-agents-0123456789',
    DATABASE_URL: base.url,
    SMTP_URL: boites.smtpUrl,
    TWILIO_API_URL: boites.twilioApiUrl,
    COURT_API_TOKENS: `TJ-PARIS:${JETON_PARIS},TJ-LYON:${JETON_LYON}`,
    ...surcharges,
  });
  const pool = await creerPool(base.url);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: intercepteursClient() });
  let worker: Awaited<ReturnType<typeof creerWorker>> | null = null;
  let enCours: Promise<void> = Promise.resolve();
  const demarrerWorker = async () => {
    worker = await creerWorker(config, { depot: options.depot, journal: options.journaux?.worker });
    enCours = worker.worker.run();
  };
  const arreterWorker = async () => {
    if (!worker) return;
    worker.worker.shutdown();
    await enCours;
    await worker.fermer();
    worker = null;
  };
  await demarrerWorker();
  let decalage = 0;
  const horloge = { maintenant: () => new Date(Date.now() + decalage), avancer: (ms: number) => void (decalage += ms) };
  const journalWeb = options.journaux?.web ?? creerJournal('test', 'silent');
  const poolLimites = creerPoolLimites(base.url, journalWeb);
  const app = createApp({ config, pool, poolLimites, temporal, log: journalWeb, maintenant: horloge.maintenant });
  const serveur: Server = app.listen(port, '127.0.0.1');
  await new Promise((r) => serveur.once('listening', r));
  const application: Application = {
    url, pool, poolLimites, config, temporal, boites, fc,
    async connecter(identite = 'angela-dubois', o = {}) {
      const nav = new Navigateur();
      const page = await (await nav.requete(`${url}/connexion`)).text();
      const f = formulaire(page, 'fr-connect');
      let r = await nav.suivre(new URL(f.action, url).toString(), fc.url, { form: f.champs });
      // On the stand-in: choose the identity provider, then the identity.
      r = await nav.suivre(r.url, fc.url);
      const choix = formulaire(r.page!, `value="${o.fournisseur ?? 'impots-gouv'}"`);
      r = await nav.suivre(new URL(`${choix.action}?fournisseur=${o.fournisseur ?? 'impots-gouv'}`, fc.url).toString(), fc.url);
      const f2 = formulaire(r.page!, `value="${identite}"`);
      r = await nav.suivre(new URL(f2.action, fc.url).toString(), fc.url, { form: { ...f2.champs, identite } });
      // Back at the portal's callback.
      const retour = await nav.requete(r.url);
      if (retour.status !== 302) throw new Error(`retour de FranceConnect : ${retour.status} ${await retour.text()}`);
      if (o.accepterCgu !== false) {
        const cgu = await nav.requete(`${url}/espace/cgu`);
        const fc2 = formulaire(await cgu.text(), 'accepte');
        await nav.requete(`${url}/espace/cgu`, { form: { ...fc2.champs, accepte: 'oui' } });
      }
      return nav;
    },
    api(methode, chemin, corps, o = {}) {
      const entetes: Record<string, string> = { ...(o.jeton === null ? {} : { Authorization: `Bearer ${o.jeton ?? JETON_PARIS}` }) };
      if (corps !== undefined || o.brut !== undefined) entetes['Content-Type'] = 'application/json';
      return fetch(`${url}/api/v1${chemin}`, { method: methode, headers: { ...entetes, ...o.entetes }, body: o.brut ?? (corps === undefined ? undefined : JSON.stringify(corps)) });
    },
    async courriels(destinataire) {
      const q = destinataire ? `?destinataire=${encodeURIComponent(destinataire)}` : '';
      return (await (await fetch(`${boites.urlPage.replace(/\/$/, '')}/api/courriels${q}`)).json()) as { subject: string; text: string; to: string[] }[];
    },
    async sms(destinataire) {
      const q = destinataire ? `?destinataire=${encodeURIComponent(destinataire)}` : '';
      return (await (await fetch(`${boites.urlPage.replace(/\/$/, '')}/api/sms${q}`)).json()) as { id: string; to: string; body: string; date: string }[];
    },
    horloge,
    arreterWorker,
    demarrerWorker,
    async arreter() {
      serveur.closeAllConnections();
      serveur.close();
      // Every step is tried even when one fails (a pool that lost its server during a fault
      // test): a step skipped leaves a process or a socket that keeps jest from exiting.
      const echecs: unknown[] = [];
      const etapes: [string, () => Promise<unknown>][] = [
        ['worker', arreterWorker],
        ['connexion Temporal', () => connection.close()],
        ['pool', () => pool.end()],
        ['pool des limites', () => poolLimites.end()],
        // A test may have replaced the sinks (SMTP outage): stop the current ones.
        ['boîtes', () => application.boites.arreter()],
        ['FranceConnect', () => fc.arreter()],
        ['base', () => base.supprimer()],
      ];
      for (const [nom, etape] of etapes) {
        await etape().catch((e: unknown) => echecs.push(new Error(`${nom} : ${String(e)}`, { cause: e })));
      }
      if (echecs.length) throw new AggregateError(echecs, `arrêt de l'application de test : ${echecs.map(String).join(' ; ')}`);
    },
  };
  return application;
}

/** A valid case for the court API. */
export function affaireValide(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    numeroDossier: '26/01234', nature: 'Divorce', etat: 'En cours', dateSaisine: '2026-09-01', suiviEnLigne: true,
    parties: [
      { id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'angela.dubois@example.fr', telephone: '06 12 34 56 78' },
      { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: 'Société Exemple SARL', formeJuridique: 'SARL' },
    ],
    ...o,
  };
}

export const JURIDICTION_VALIDE = { nom: 'Tribunal judiciaire de Paris', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', telephone: '01 44 32 51 51', latitude: 48.8951, longitude: 2.3146 };

/** A minimal valid PDF. */
export const PDF_MINIMAL = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

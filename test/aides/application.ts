// The whole portal for an integration test file: a fresh database, the local mail/SMS sinks,
// a real worker on its own task queue of the run's Temporal server, and the web app on a free
// port. Two court tokens: TJ-PARIS and TJ-LYON.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import { creerBaseDeTest, type BaseDeTest } from './base.js';
import { configDeTest } from './config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import { createApp } from '../../web/app.js';
import { creerJournal } from '../../web/log.js';
import { creerWorker } from '../../worker.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';
import type { Config } from '../../domain/config.js';

export const JETON_PARIS = 'p'.repeat(20) + 'jeton-de-paris-0123456789';
export const JETON_LYON = 'l'.repeat(20) + 'jeton-de-lyon-0123456789';

export interface Application {
  url: string;
  pool: DatabasePool;
  config: Config;
  temporal: Client;
  boites: Boites;
  /** fetch on the court API with a token (Paris by default) and a JSON body. */
  api(methode: string, chemin: string, corps?: unknown, o?: { jeton?: string | null; entetes?: Record<string, string>; brut?: string }): Promise<Response>;
  courriels(destinataire?: string): Promise<{ subject: string; text: string; to: string[] }[]>;
  /** Stops or (re)starts the worker, as an operator's restart would. */
  arreterWorker(): Promise<void>;
  demarrerWorker(): Promise<void>;
  arreter(): Promise<void>;
}

export async function demarrerApplication(surcharges: Record<string, string> = {}): Promise<Application> {
  const base: BaseDeTest = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  const boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0) });
  const config = configDeTest({
    DATABASE_URL: base.url,
    SMTP_URL: boites.smtpUrl,
    TWILIO_API_URL: boites.twilioApiUrl,
    COURT_API_TOKENS: `TJ-PARIS:${JETON_PARIS},TJ-LYON:${JETON_LYON}`,
    ...surcharges,
  });
  const pool = await creerPool(base.url);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  let worker: Awaited<ReturnType<typeof creerWorker>> | null = null;
  let enCours: Promise<void> = Promise.resolve();
  const demarrerWorker = async () => {
    worker = await creerWorker(config);
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
  const app = createApp({ config, pool, temporal, log: creerJournal('test', 'silent') });
  const serveur: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => serveur.once('listening', r));
  const url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
  const application: Application = {
    url, pool, config, temporal, boites,
    api(methode, chemin, corps, o = {}) {
      const entetes: Record<string, string> = { ...(o.jeton === null ? {} : { Authorization: `Bearer ${o.jeton ?? JETON_PARIS}` }) };
      if (corps !== undefined || o.brut !== undefined) entetes['Content-Type'] = 'application/json';
      return fetch(`${url}/api/v1${chemin}`, { method: methode, headers: { ...entetes, ...o.entetes }, body: o.brut ?? (corps === undefined ? undefined : JSON.stringify(corps)) });
    },
    async courriels(destinataire) {
      const q = destinataire ? `?destinataire=${encodeURIComponent(destinataire)}` : '';
      return (await (await fetch(`${boites.urlPage.replace(/\/$/, '')}/api/courriels${q}`)).json()) as { subject: string; text: string; to: string[] }[];
    },
    arreterWorker,
    demarrerWorker,
    async arreter() {
      serveur.closeAllConnections();
      serveur.close();
      await arreterWorker();
      await connection.close();
      await pool.end();
      // A test may have replaced the sinks (SMTP outage): stop the current ones.
      await application.boites.arreter();
      await base.supprimer();
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

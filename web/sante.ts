// GET /healthz: each component and its state. 200 once the server can serve (PostgreSQL and
// Temporal answer), 503 otherwise; the others are reported so an operator sees a degraded
// portal (no worker polling, identity provider or SMTP unreachable) before citizens do.
import net from 'node:net';
import { sql, type DatabasePool } from 'slonik';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

// CommonJS module whose named exports Node's ESM loader cannot detect.
const protos = proto.temporal;
import type { Config } from '../domain/config.js';

export type EtatComposant = { etat: 'ok' } | { etat: 'erreur'; message: string };
export interface Sonde {
  nom: string;
  /** The server cannot serve without it. */
  essentiel: boolean;
  verifier(): Promise<void>;
}

const DELAI_MS = 2500;

function avecDelai<T>(p: Promise<T>, ms = DELAI_MS): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`pas de réponse en ${ms} ms`)), ms).unref())]);
}

function connexionTcp(url: string, portParDefaut: number): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port) || portParDefaut;
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port }, () => {
      s.destroy();
      resolve();
    });
    s.once('error', reject);
  });
}

async function decouverte(issuer: string): Promise<void> {
  const r = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DELAI_MS) });
  if (!r.ok) throw new Error(`découverte OpenID : HTTP ${r.status}`);
  const meta = (await r.json()) as { issuer?: string };
  if (meta.issuer !== issuer) throw new Error(`l'émetteur annoncé (${meta.issuer}) diffère de ${issuer}`);
}

export function sondes(config: Config, pool: DatabasePool, client: Client): Sonde[] {
  return [
    { nom: 'postgres', essentiel: true, verifier: async () => { await pool.oneFirst(sql.unsafe`SELECT 1`); } },
    {
      nom: 'temporal', essentiel: true,
      verifier: async () => {
        // Reaches the frontend and the namespace: a server up with the namespace missing fails.
        await client.withDeadline(Date.now() + DELAI_MS, () => client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }));
      },
    },
    {
      nom: 'worker', essentiel: false,
      verifier: async () => {
        // A deadline, not only the race below: a call left running would outlive a closed channel.
        const r = await client.withDeadline(Date.now() + DELAI_MS, () => client.workflowService.describeTaskQueue({
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
          taskQueueType: protos.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }));
        if (!r.pollers?.length) throw new Error(`aucun worker n'écoute la file « ${config.TEMPORAL_TASK_QUEUE} »`);
      },
    },
    { nom: 'franceconnect', essentiel: false, verifier: () => decouverte(config.FC_ISSUER) },
    { nom: 'identite_agents', essentiel: false, verifier: () => decouverte(config.AGENT_OIDC_ISSUER) },
    { nom: 'smtp', essentiel: false, verifier: () => connexionTcp(config.SMTP_URL, config.SMTP_URL.startsWith('smtps:') ? 465 : 587) },
    { nom: 'sms', essentiel: false, verifier: () => connexionTcp(config.TWILIO_API_URL ?? 'https://api.twilio.com', 443) },
  ];
}

export async function etatSante(liste: Sonde[]): Promise<{ status: number; corps: { statut: string; composants: Record<string, EtatComposant> } }> {
  const resultats = await Promise.all(
    liste.map(async (s): Promise<[Sonde, EtatComposant]> => {
      try {
        await avecDelai(s.verifier());
        return [s, { etat: 'ok' }];
      } catch (e) {
        return [s, { etat: 'erreur', message: e instanceof Error ? e.message : String(e) }];
      }
    }),
  );
  const essentielsOk = resultats.every(([s, r]) => !s.essentiel || r.etat === 'ok');
  const tousOk = resultats.every(([, r]) => r.etat === 'ok');
  return {
    status: essentielsOk ? 200 : 503,
    corps: {
      statut: tousOk ? 'ok' : essentielsOk ? 'degrade' : 'indisponible',
      composants: Object.fromEntries(resultats.map(([s, r]) => [s.nom, r])),
    },
  };
}

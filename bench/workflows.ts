// Benchmark (d) of issue 10: N case workflows started through the court API (PUT of a case
// followed online, closed, so each `dossier-<id>` workflow then sleeps on its retention timer),
// next to a bare loop of `client.workflow.start` of the same workflow type on the same server;
// then the worker's memory while all of them stay open waiting on their timers — the shape of
// Temporal's own `long_idle_workflow` scenario. The worker is a separate process (the one
// `npm run worker` starts), so its resident memory is its own.
//
//   node --import tsx bench/workflows.ts        N=10000 CONNEXIONS=16
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import demarrer from '../test/aides/demarrage-tests.js';
import arreter from '../test/aides/arret-tests.js';
import { affaireValide, demarrerApplication, JETON_PARIS, JURIDICTION_VALIDE } from '../test/aides/application.js';
import { workerProcessus } from '../test/aides/worker-processus.js';
import { idWorkflowDossier } from '../workflows/ids.js';
import { executer, journal, publier } from './commun.js';

const N = Number(process.env.N ?? 10_000);
const CONNEXIONS = Number(process.env.CONNEXIONS ?? 16);

/** Resident memory of a process, in MiB (Linux). */
function memoireMio(pid: number | null): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function main(): Promise<void> {
  await demarrer();
  const app = await demarrerApplication({ LOG_LEVEL: 'warn' });
  await app.arreterWorker();
  const worker = workerProcessus(app.config);
  await worker.demarrer();
  try {
    await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
    const repos = memoireMio(worker.pid);
    // Closed on the day: each workflow waits a year on its purge timer.
    const affaire = affaireValide({ etat: 'Terminé', parties: [] });

    // Through the API: the case written in one transaction, then signal-with-start.
    const t0 = Date.now();
    let k = 0;
    const r = await autocannon({
      url: app.url, connections: CONNEXIONS, amount: N,
      requests: [{
        method: 'PUT',
        setupRequest: (req: Record<string, unknown>) => {
          const i = ++k;
          return { ...req, path: `/api/v1/affaires/WF-${i}`, headers: { authorization: `Bearer ${JETON_PARIS}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...affaire, numeroDossier: `26/W${i}` }) };
        },
      }],
    } as never);
    const apiS = (Date.now() - t0) / 1000;
    journal(`API : ${r.requests.total} affaires en ${apiS.toFixed(1)} s (non-2xx ${r.non2xx})`);

    // The bare loop: the same workflow type started directly, CONNEXIONS at a time.
    const t1 = Date.now();
    let suivant = 0;
    await Promise.all(
      Array.from({ length: CONNEXIONS }, async () => {
        while (suivant < N) {
          const i = suivant++;
          await app.temporal.workflow.start('dossier', {
            workflowId: idWorkflowDossier(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            args: [{ dossierId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, etat: 'Terminé', purgeLe: new Date(Date.now() + 365 * 86400000).toISOString() }],
          });
        }
      }),
    );
    const nuS = (Date.now() - t1) / 1000;
    journal(`boucle nue : ${N} démarrages en ${nuS.toFixed(1)} s`);

    // Everything started has run its first task and sleeps: the worker's memory once it stops
    // moving (the task backlog drained), read every 5 s.
    const fin = Date.now() + 5 * 60000;
    let ouverts = 0;
    while (ouverts < 2 * N && Date.now() < fin) {
      ouverts = (await app.temporal.workflow.count(`WorkflowType = 'dossier' AND ExecutionStatus = 'Running'`)).count;
      if (ouverts < 2 * N) await new Promise((res) => setTimeout(res, 3000));
    }
    let charge = memoireMio(worker.pid);
    for (let avant = 0; Math.abs(charge - avant) > Math.max(2, charge * 0.01) && Date.now() < fin; ) {
      avant = charge;
      await new Promise((res) => setTimeout(res, 5000));
      charge = memoireMio(worker.pid);
    }
    journal(`${ouverts} workflows ouverts ; worker ${repos} Mio au repos, ${charge} Mio avec eux`);

    await publier('workflows', `Workflows (d) — ${N} dossiers par l’API, ${N} par une boucle nue, ${CONNEXIONS} en parallèle`, { n: N, connexions: CONNEXIONS }, [
      { mesure: 'démarrages par l’API (PUT affaire → signalWithStart)', 'durée (s)': apiS.toFixed(1), 'par s': (N / apiS).toFixed(0), rapport: (apiS / nuS).toFixed(1), remarque: `non-2xx ${r.non2xx}` },
      { mesure: 'boucle nue client.workflow.start', 'durée (s)': nuS.toFixed(1), 'par s': (N / nuS).toFixed(0), rapport: '1', remarque: '' },
      { mesure: 'mémoire du worker (Mio), au repos → workflows ouverts', 'durée (s)': '—', 'par s': '—', rapport: '—', remarque: `${repos} → ${charge} (${ouverts} ouverts, en attente sur un minuteur)` },
    ]);
  } finally {
    await worker.arreter();
    await app.arreter();
    await arreter();
  }
}

executer(main);

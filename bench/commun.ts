// What every benchmark shares: the machine it ran on, exact percentiles, an autocannon run that
// keeps every response time, and the table printed and written as JSON under bench/resultats/.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ici = path.dirname(fileURLToPath(import.meta.url));

export const journal = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export function machine() {
  return { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memoire_go: Math.round(os.totalmem() / 2 ** 30), node: process.version, plateforme: `${os.platform()} ${os.release()}` };
}

/** Nearest-rank percentile, in ms with two decimals. */
export function centile(valeurs: number[], p: number): number {
  if (!valeurs.length) return NaN;
  const tri = [...valeurs].sort((a, b) => a - b);
  return Math.round(tri[Math.min(tri.length - 1, Math.ceil((p / 100) * tri.length) - 1)]! * 100) / 100;
}

export interface Mesure {
  requetes_par_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  erreurs: number;
  non_2xx: number;
  requetes: number;
}

/**
 * autocannon against `url` for `duree` seconds with `connexions` connections; `cookies`, when
 * given, are spread over the connections (one session each). autocannon's summary has p90 and
 * p97.5, not p95: every response time is kept for exact percentiles.
 */
export async function charger(o: { url: string; connexions: number; duree: number; entetes?: Record<string, string>; cookies?: string[] }): Promise<Mesure> {
  const durees: number[] = [];
  let n = 0;
  const instance = autocannon({
    url: o.url, connections: o.connexions, duration: o.duree, headers: o.entetes,
    setupClient: o.cookies?.length ? (client) => client.setHeaders({ ...o.entetes, cookie: o.cookies![n++ % o.cookies!.length]! }) : undefined,
  });
  instance.on('response', (_c: unknown, _s: number, _o: number, duree: number) => void durees.push(duree));
  const r = await instance;
  return {
    requetes_par_s: Math.round(r.requests.average), p50_ms: centile(durees, 50), p95_ms: centile(durees, 95), p99_ms: centile(durees, 99),
    erreurs: r.errors + r.timeouts, non_2xx: r.non2xx, requetes: r.requests.total,
  };
}

/** Prints a Markdown table and writes `{ ...entete, lignes }` to bench/resultats/<nom>-<date>.json. */
export async function publier(nom: string, titre: string, entete: Record<string, unknown>, lignes: Record<string, unknown>[]): Promise<string> {
  const date = new Date().toISOString();
  const sortie = { date, machine: machine(), ...entete, lignes };
  await mkdir(path.join(ici, 'resultats'), { recursive: true });
  const fichier = path.join(ici, 'resultats', `${nom}-${date.replace(/[:.]/g, '-')}.json`);
  await writeFile(fichier, `${JSON.stringify(sortie, null, 2)}\n`);
  const m = sortie.machine;
  console.log(`\n${titre}`);
  console.log(`Machine : ${m.nproc} CPU (${m.cpu}), ${m.memoire_go} Go, Node ${m.node}\n`);
  const colonnes = Object.keys(lignes[0] ?? {});
  console.log(`| ${colonnes.join(' | ')} |`);
  console.log(`|${colonnes.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const l of lignes) console.log(`| ${colonnes.map((c) => String(l[c])).join(' | ')} |`);
  console.log(`\n${path.relative(process.cwd(), fichier)}`);
  return fichier;
}

/** Runs a benchmark's main and exits with its outcome (open handles would keep it alive). */
export function executer(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

// `npm run bench`: every benchmark of issue 10, one after the other, each in its own process (each
// starts and stops what it needs). `npm run bench -- pages alertes` runs only those.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ici = path.dirname(fileURLToPath(import.meta.url));
// (a) pages, (b) search and filters on 5,000 cases, (c) alerts, (d) workflows, (e) cold start.
const TOUS = ['pages', 'tableau-de-bord', 'alertes', 'workflows', 'demarrage'];
const choisis = process.argv.slice(2).length ? process.argv.slice(2) : TOUS;
const inconnus = choisis.filter((c) => !TOUS.includes(c));
if (inconnus.length) {
  console.error(`banc inconnu : ${inconnus.join(', ')} (connus : ${TOUS.join(', ')})`);
  process.exit(2);
}
const debut = Date.now();
const echecs: string[] = [];
for (const nom of choisis) {
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ici, `${nom}.ts`)], { stdio: 'inherit', env: process.env });
  process.stderr.write(`[bench] ${nom} : ${((Date.now() - t) / 1000).toFixed(0)} s${r.status === 0 ? '' : ' — ÉCHEC'}\n`);
  if (r.status !== 0) echecs.push(nom);
}
process.stderr.write(`[bench] total : ${((Date.now() - debut) / 1000).toFixed(0)} s\n`);
process.exit(echecs.length ? 1 : 0);

// `npm start` as a newcomer runs it: every embedded component comes up, /healthz answers 200
// with each one `ok`, the demo data is there (pages, Temporal visibility, identification
// numbers in the mail sink), and Ctrl-C stops every child. Then with DATABASE_URL set, the
// launcher uses that server and starts no embedded PostgreSQL.
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { portLibre } from '../../dev/ports.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const aNettoyer: string[] = [];
const bases: BaseDeTest[] = [];

afterAll(async () => {
  for (const d of aNettoyer) await rm(d, { recursive: true, force: true });
  for (const b of bases) await b.supprimer();
});

interface Lancement {
  enfant: ChildProcess;
  sortie: () => string;
  /** Exit code, or the signal's name when npm re-raised it on itself (its Ctrl-C behaviour). */
  fin: Promise<number | string | null>;
}

function lancer(env: NodeJS.ProcessEnv): Lancement {
  const enfant = spawn('npm', ['start'], { cwd: racine, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let sortie = '';
  enfant.stdout!.on('data', (d: Buffer) => (sortie += d.toString()));
  enfant.stderr!.on('data', (d: Buffer) => (sortie += d.toString()));
  const fin = new Promise<number | string | null>((r) => enfant.once('exit', (code, signal) => r(code ?? signal)));
  return { enfant, sortie: () => sortie, fin };
}

async function attendre(l: Lancement, motif: RegExp, delaiMs: number): Promise<RegExpMatchArray> {
  const limite = Date.now() + delaiMs;
  for (;;) {
    const m = l.sortie().match(motif);
    if (m) return m;
    if (l.enfant.exitCode !== null) throw new Error(`npm start s'est arrêté (code ${l.enfant.exitCode}) :\n${l.sortie()}`);
    if (Date.now() > limite) throw new Error(`« ${motif} » absent après ${delaiMs} ms :\n${l.sortie()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ctrl-C on the process group, as a terminal does. */
async function arreter(l: Lancement): Promise<number | string | null> {
  process.kill(-l.enfant.pid!, 'SIGINT');
  let minuterie: NodeJS.Timeout | undefined;
  const code = await Promise.race([l.fin, new Promise<'bloque'>((r) => { minuterie = setTimeout(() => r('bloque'), 60000); })]);
  clearTimeout(minuterie);
  if (code === 'bloque') {
    process.kill(-l.enfant.pid!, 'SIGKILL');
    throw new Error(`npm start ne s'est pas arrêté après Ctrl-C :\n${l.sortie()}`);
  }
  return code;
}

function envPropre(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Only what a newcomer's shell has: nothing of the portal's configuration.
  for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TEMPORAL_CLI_PATH', 'PYENV_ROOT', 'PYENV_VERSION']) if (process.env[k]) env[k] = process.env[k];
  env.TEMPORAL_CLI_PATH ??= process.env.TEST_TEMPORAL_CLI;
  return { ...env, ...extra };
}

async function portsLibres(): Promise<{ port: number; dossier: string }> {
  const dossier = await mkdtemp(path.join(racine, '.data', 'lanceur-'));
  await chmod(dossier, 0o755);
  aNettoyer.push(dossier);
  return { port: await portLibre(0), dossier };
}

describe('npm start', () => {
  test('brings every embedded component up with the demo data, and Ctrl-C brings them down', async () => {
    const { port, dossier } = await portsLibres();
    const l = lancer(envPropre({ PORT: String(port), DATA_DIR: dossier }));
    try {
      await attendre(l, /Portail du justiciable démarré/, 240000);
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(r.status).toBe(200);
      const sante = (await r.json()) as { statut: string; composants: Record<string, { etat: string }> };
      expect(sante.statut).toBe('ok');
      expect(Object.keys(sante.composants).sort()).toEqual(['franceconnect', 'identite_agents', 'postgres', 'sms', 'smtp', 'temporal', 'worker']);

      // The URLs it printed answer.
      const sortie = l.sortie();
      const ui = sortie.match(/Temporal Web UI\s+(http:\S+)/)![1]!;
      expect((await fetch(ui)).status).toBe(200);
      const pageBoites = sortie.match(/Courriels et SMS\s+(http:\S+)/)![1]!;
      expect((await fetch(pageBoites)).status).toBe(200);
      expect(sortie).toMatch(/TJ-PARIS : \S{32,}/);
      expect(existsSync(path.join(dossier, 'pg', 'PG_VERSION'))).toBe(true);

      // The demo data: juridictions on their page, case workflows in Temporal, identification
      // numbers e-mailed (by the case workflows, once the worker runs them).
      const juridictions = await (await fetch(`http://127.0.0.1:${port}/juridictions`)).text();
      expect(juridictions).toContain('Tribunal judiciaire de Paris');
      const adresse = sortie.match(/Temporal \(gRPC\)\s+(\S+)/)![1]!;
      const connection = await Connection.connect({ address: adresse });
      try {
        const client = new Client({ connection });
        let nombre = 0;
        for (let i = 0; i < 40 && nombre < 3; i++) {
          nombre = (await client.workflow.count(`WorkflowType = 'dossier' AND Juridiction IN ('TJ-PARIS', 'TJ-LYON', 'TPRX-VANVES')`)).count;
          if (nombre < 3) await new Promise((res) => setTimeout(res, 500));
        }
        // Three demo cases are followed online; the fourth (suiviEnLigne: false) has no workflow.
        expect(nombre).toBe(3);
      } finally {
        await connection.close();
      }
      // Four identification numbers (one per consent), and the acknowledgment of the demo
      // requête Angela DUBOIS sent.
      let courriels: { subject: string; text: string }[] = [];
      const numeros = () => courriels.filter((c) => c.subject.startsWith("Votre numéro d'identification"));
      const accuses = () => courriels.filter((c) => c.subject.startsWith('Accusé de réception de votre requête RQ-'));
      for (let i = 0; i < 60 && (numeros().length < 4 || accuses().length < 1); i++) {
        courriels = (await (await fetch(`${pageBoites.replace(/\/$/, '')}/api/courriels`)).json()) as typeof courriels;
        if (numeros().length < 4 || accuses().length < 1) await new Promise((res) => setTimeout(res, 500));
      }
      expect(numeros()).toHaveLength(4);
      expect(accuses()).toHaveLength(1);
      expect(courriels).toHaveLength(5);
      for (const c of numeros()) expect(c.text).toMatch(/\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/);
    } finally {
      // npm answers a Ctrl-C by re-raising SIGINT on itself once its script has finished (or
      // exits 130); the launcher's own orderly stop is checked by its last line below.
      expect([0, 130, 'SIGINT']).toContain(await arreter(l));
    }
    // Every child is gone: nothing answers on the web port any more.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(l.sortie()).toContain('arrêté.');

    // A second start reuses .data/: same database (the demo is not loaded twice).
    const l2 = lancer(envPropre({ PORT: String(port), DATA_DIR: dossier }));
    try {
      await attendre(l2, /Portail du justiciable démarré/, 240000);
      expect(l2.sortie()).not.toContain('chargement des données de démonstration');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect([0, 130, 'SIGINT']).toContain(await arreter(l2));
      expect(l2.sortie()).toContain('arrêté.');
    }
  }, 600000);

  test('with DATABASE_URL set, it uses that server and starts no embedded PostgreSQL', async () => {
    const { port, dossier } = await portsLibres();
    const b = await creerBaseDeTest();
    bases.push(b);
    const l = lancer(envPropre({ PORT: String(port), DATA_DIR: dossier, DATABASE_URL: b.url }));
    try {
      await attendre(l, /Portail du justiciable démarré/, 240000);
      expect(l.sortie()).toMatch(/postgres = DATABASE_URL/);
      expect(existsSync(path.join(dossier, 'pg'))).toBe(false);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect([0, 130, 'SIGINT']).toContain(await arreter(l));
      expect(l.sortie()).toContain('arrêté.');
    }
  }, 400000);

  test('a wrong configuration value stops it with a message naming the variable', async () => {
    const { port, dossier } = await portsLibres();
    const b = await creerBaseDeTest();
    bases.push(b);
    const l = lancer(envPropre({ PORT: String(port), DATA_DIR: dossier, DATABASE_URL: b.url, REMINDER_LEAD: 'trois jours' }));
    const code = await l.fin;
    expect(code).not.toBe(0);
    expect(l.sortie()).toMatch(/REMINDER_LEAD : durée ISO-8601/);
    // Checked before anything starts: no embedded component was brought up.
    expect(l.sortie()).not.toMatch(/démarré|installation/);
  }, 120000);
});

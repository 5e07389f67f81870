// A real browser for end-to-end tests: Debian's Chromium driven by playwright-core (STACK.md §13),
// and axe-core for accessibility (ANCHORS.md C2 item 29). Chromium comes from apt (`.ci/run`),
// never from Playwright's download: `CHROMIUM_PATH` overrides `/usr/bin/chromium`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The flags that work on these machines (no sandbox, no GPU, nothing phoning home). */
export const ARGUMENTS_CHROMIUM = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function cheminChromium(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function lancerChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: cheminChromium(), headless: true, args: ARGUMENTS_CHROMIUM });
}

export interface Contexte {
  contexte: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page of the context (CSP refusals show here). */
  erreurs: string[];
}

/** A fresh context (no cookies, no storage) per test, in French, wide enough for the DSFR header. */
export async function nouveauContexte(navigateur: Browser): Promise<Contexte> {
  const contexte = await navigateur.newContext({
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
  });
  contexte.setDefaultTimeout(15_000);
  contexte.setDefaultNavigationTimeout(20_000);
  const erreurs: string[] = [];
  const suivre = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() !== 'error') return;
      // The document's own status (a 422 form with errors, a 404 page) is the test's business;
      // a failed style sheet, font, icon or script is not.
      const source = m.location().url;
      if (/^Failed to load resource/.test(m.text()) && source === p.url()) return;
      erreurs.push(`${p.url()} : ${m.text()}${source && source !== p.url() ? ` (${source})` : ''}`);
    });
    p.on('pageerror', (e) => erreurs.push(`${p.url()} : ${e.message}`));
  };
  contexte.on('page', suivre);
  const page = await contexte.newPage();
  return { contexte, page, erreurs };
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  noeuds: { cible: string; html: string; resume: string }[];
}

let sourceAxe: string | undefined;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the page and returns its serious and critical
 * violations. axe is injected with `page.evaluate(source)`: the portal's CSP refuses
 * `page.addScriptTag` (STACK.md §5), while evaluate runs outside the page's CSP.
 */
export async function verifierAccessibilite(page: Page, o: { impacts?: string[] } = {}): Promise<Violation[]> {
  const impacts = o.impacts ?? ['serious', 'critical'];
  await page.waitForLoadState('load');
  sourceAxe ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const present = await page.evaluate('typeof window.axe === "object"');
  if (!present) await page.evaluate(sourceAxe);
  // Runs in the page: no DOM types in this project's lib, hence the globalThis casts.
  const violations = await page.evaluate(async (impactsRetenus: string[]) => {
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] }[] }> };
    };
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact !== null && impactsRetenus.includes(v.impact))
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        noeuds: v.nodes.map((n) => ({ cible: JSON.stringify(n.target), html: n.html.slice(0, 300), resume: n.failureSummary ?? '' })),
      }));
  }, impacts);
  return violations;
}

/** One readable block per violation, for an assertion message: `expect(rapport(v, url)).toBe('')`. */
export function rapportAccessibilite(violations: Violation[], url = ''): string {
  return violations
    .map((v) =>
      [
        `[${v.impact}] ${v.id} — ${v.help}${url ? ` (${url})` : ''}`,
        `  ${v.helpUrl}`,
        ...v.noeuds.map((n) => `  • ${n.cible} ${n.html}\n    ${n.resume.replace(/\n/g, '\n    ')}`),
      ].join('\n'),
    )
    .join('\n');
}

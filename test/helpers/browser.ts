/**
 * Shared pieces of the site tests: building a copy of the site from a given warehouse (so the
 * tests never touch src/data or dist/), serving it, starting Debian's Chromium, and knowing when a
 * page has finished drawing. The site most tests read is built once per run: ./shared-site.ts.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeSiteData, type SiteDataOptions } from '../../scripts/site-data.ts';
import { HANG_MS } from './wait.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const BROWSER_HINT = 'apt-get install -y chromium fonts-noto-cjk';
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

/**
 * Whether the browser tests can run. A missing browser skips them with an install hint, unless
 * STEWARD_REQUIRE_BROWSER=1 (CI), where it is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.STEWARD_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} not found (STEWARD_REQUIRE_BROWSER=1): ${BROWSER_HINT}`);
  console.warn(`browser tests skipped: ${CHROMIUM} not found; ${BROWSER_HINT}`);
  return false;
}

export interface BuiltSite {
  srcDir: string;
  distDir: string;
}

/**
 * Copies src/ (without its generated data) to `workDir/src`, writes page data from `db` into
 * it and builds to `workDir/dist` with the project's config. Framework's bundle cache is copied
 * along when present so the build does not rebundle d3 and Plot each time.
 */
export function buildSite(db: string, workDir: string, { fresh = true, data = {} }: { fresh?: boolean; data?: Omit<SiteDataOptions, 'db' | 'out'> } = {}): Promise<BuiltSite> {
  const srcDir = join(workDir, 'src');
  const distDir = join(workDir, 'dist');
  if (fresh) {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    cpSync(join(ROOT, 'src'), srcDir, {
      recursive: true,
      filter: (p) => !p.startsWith(join(ROOT, 'src/data')) && !p.startsWith(join(ROOT, 'src/.observablehq')),
    });
    const cache = join(ROOT, 'src/.observablehq/cache/_node');
    if (existsSync(cache)) cpSync(cache, join(srcDir, '.observablehq/cache/_node'), { recursive: true });
  }
  return rebuildSite(db, srcDir, distDir, data);
}

/** Page data from `db` (and any other site-data options: reference tables, catalog), then the build. */
export async function rebuildSite(db: string, srcDir: string, distDir: string, data: Omit<SiteDataOptions, 'db' | 'out'> = {}): Promise<BuiltSite> {
  await writeSiteData({ ...data, db, out: join(srcDir, 'data') });
  const r = spawnSync(join(ROOT, 'node_modules/.bin/observable'), ['build'], {
    cwd: ROOT,
    env: { ...process.env, STEWARD_SITE_ROOT: srcDir, STEWARD_SITE_OUT: distDir, OBSERVABLE_TELEMETRY_DISABLE: 'true' },
    encoding: 'utf8',
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
  });
  if (r.status !== 0) throw new Error(`observable build ${r.signal ? `hung (stopped after ${HANG_MS / 1000} s)` : 'failed'} (${r.status}):\n${r.stdout?.slice(-3000)}\n${r.stderr?.slice(-3000)}`);
  return { srcDir, distDir };
}

/**
 * Chromium whose pages wait as long as a wait in any test may (HANG_MS) instead of Playwright's
 * 30 s: a selector, a navigation or a download that comes late on a busy machine is not a failure.
 * Framework's runtime is made findable in every page, for pageSettled.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: HANG_MS });
  const newPage = browser.newPage.bind(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newPage = async (...args) => prepared(await newPage(...args));
  browser.newContext = async (...args) => prepared(await newContext(...args));
  return browser;
}

async function prepared<T extends Page | BrowserContext>(target: T): Promise<T> {
  target.setDefaultTimeout(HANG_MS);
  target.setDefaultNavigationTimeout(HANG_MS);
  await target.route('**/_observablehq/runtime.*.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: withRuntimesListed(await response.text()) });
  });
  return target;
}

/**
 * Framework's copy of @observablehq/runtime, changed only to list each Runtime that computes in
 * globalThis.__stewardRuntimes: the page keeps its runtime to itself, and pageSettled needs it.
 */
function withRuntimesListed(bundle: string): string {
  const local = /([\w$]+) as Runtime[,}]/.exec(bundle)?.[1];
  if (!local) throw new Error('Framework\'s runtime bundle no longer exports Runtime as this test helper expects (test/helpers/browser.ts)');
  return `${bundle}\n{const p=${local}.prototype,c=p._compute;p._compute=function(){(globalThis.__stewardRuntimes??=new Set).add(this);return c.call(this)};}\n`;
}

/**
 * Resolves once the page has finished drawing: every cell of Framework's runtime has run (or
 * failed, which the page shows as .observablehq--error) and nothing more is scheduled, including
 * the redraw a viewport change sets off. A condition on the page's own state, not a delay: on a
 * busy machine it just comes later. Reads @observablehq/runtime's fields (_variables, _promise,
 * _computing); the page must come from a browser of launchChromium().
 */
export async function pageSettled(page: Page): Promise<void> {
  await page.evaluate(SETTLED);
}

// Kept as text so that it runs in the page exactly as written.
const SETTLED = `(async () => {
  const runtimes = [...(globalThis.__stewardRuntimes ?? [])];
  if (!runtimes.length) throw new Error(location.pathname + ': no Framework runtime has computed (was the page opened through launchChromium?)');
  // Two frames first: a resize reaches the width generators (ResizeObserver) before the check starts.
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame();
  await frame();
  for (const runtime of runtimes) {
    for (;;) {
      if (runtime._computing) await runtime._computing;
      const promises = [...runtime._variables].map((v) => v._promise);
      await Promise.allSettled(promises);
      await frame();
      const now = [...runtime._variables];
      if (!runtime._computing && now.length === promises.length && now.every((v, i) => v._promise === promises[i])) break;
    }
  }
})()`;

/** Every page of the site, as paths relative to its root (district pages from the units reference). */
export function sitePages(unitCodes: string[]): string[] {
  return ['index', 'pool', 'vehicles', 'energy', 'carbon', 'procurement', 'opcost', 'districts/index', ...unitCodes.map((u) => `districts/${u}`), 'quality', 'models'];
}

/**
 * Shared pieces of the site tests: building a copy of the site from a given warehouse (so the
 * tests never touch src/data or dist/), serving it, starting Debian's Chromium, and knowing when a
 * page has finished drawing. The site most tests read is built once per run: ./shared-site.ts.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page, Request } from 'playwright-core';
import { writeSiteData, type SiteDataOptions } from '../../scripts/site-data.ts';
import { HANG_MS, waitFor } from './wait.ts';

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
 * Each page's requests are followed from its creation, for pageSettled.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: HANG_MS });
  const newPage = browser.newPage.bind(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newPage = async (...args) => followed(await newPage(...args));
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.setDefaultTimeout(HANG_MS);
    context.setDefaultNavigationTimeout(HANG_MS);
    context.on('page', followed);
    return context;
  };
  return browser;
}

/** Requests each page has sent and not yet seen finish or fail. */
const inFlight = new WeakMap<Page, Set<Request>>();

function followed(page: Page): Page {
  if (inFlight.has(page)) return page;
  const open = new Set<Request>();
  inFlight.set(page, open);
  page.on('request', (r) => open.add(r));
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  page.setDefaultTimeout(HANG_MS);
  page.setDefaultNavigationTimeout(HANG_MS);
  return page;
}

/**
 * Resolves once the page has finished drawing: no request of it is open (page data, the modules
 * its cells import) and its document has not changed for three animation frames in a row, the
 * frames in which Framework's runtime runs cells and a resize redraws the charts. A condition on
 * the page's own state: on a busy machine the frames just come later.
 */
export async function pageSettled(page: Page): Promise<void> {
  const open = inFlight.get(page);
  if (!open) throw new Error('pageSettled needs a page opened through launchChromium()');
  // The page marks itself drawn (html[data-ready]) once its last cell has rendered.
  await page.waitForSelector('html[data-ready]', { state: 'attached' });
  for (;;) {
    await waitFor(() => open.size === 0, `${page.url()} to finish its requests (${[...open].map((r) => r.url()).join(', ')})`);
    await page.evaluate(QUIET_FRAMES);
    if (open.size === 0) return;
  }
}

// Kept as text so that it runs in the page exactly as written.
const QUIET_FRAMES = `new Promise((resolve) => {
  let changed = false;
  let quiet = 0;
  const watcher = new MutationObserver(() => (changed = true));
  watcher.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => {
    quiet = changed ? 0 : quiet + 1;
    changed = false;
    if (quiet >= 3) {
      watcher.disconnect();
      resolve();
    } else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** Every page of the site, as paths relative to its root (district pages from the units reference). */
export function sitePages(unitCodes: string[]): string[] {
  return ['index', 'pool', 'vehicles', 'energy', 'carbon', 'procurement', 'opcost', 'districts/index', ...unitCodes.map((u) => `districts/${u}`), 'quality', 'models'];
}

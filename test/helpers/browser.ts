/**
 * Shared pieces of the site tests: building a copy of the site from a given warehouse (so the
 * tests never touch src/data or dist/), serving it, and starting Debian's Chromium.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeSiteData, type SiteDataOptions } from '../../scripts/site-data.ts';

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
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`observable build failed (${r.status}):\n${r.stdout?.slice(-3000)}\n${r.stderr?.slice(-3000)}`);
  return { srcDir, distDir };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** Every page of the site, as paths relative to its root (district pages from the units reference). */
export function sitePages(unitCodes: string[]): string[] {
  return ['index', 'pool', 'vehicles', 'energy', 'carbon', 'procurement', 'opcost', 'districts/index', ...unitCodes.map((u) => `districts/${u}`), 'quality', 'models'];
}

/**
 * The built site, shared by every test file that only reads it: built once per test run, by
 * whichever file asks first (the others wait for it), in the run's folder that
 * test/global-setup.ts creates and removes.
 *
 *   const { distDir, db } = await sharedSite();   // from the bundled sample warehouse
 *
 * Read it, serve it, open its warehouse read-only; never write to either. A test that changes
 * the warehouse rebuilds a copy (copyOfSharedSite, then rebuildSite from ./browser.ts); one that
 * needs other pages or page-data options builds its own (buildSite), in a folder from runScratch.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, type BuiltSite } from './browser.ts';
import { isAlive } from '../../warehouse/events.ts';
import { waitFor } from './wait.ts';

export type SiteSource = 'sample';

export interface SharedSite extends BuiltSite {
  /** The warehouse the site was built from (open it read-only). */
  db: string;
}

/** This run's scratch folder (inside the project: the site build resolves packages from node_modules). */
export function runDir(): string {
  const dir = process.env.STEWARD_TEST_RUN_DIR;
  if (!dir) throw new Error('STEWARD_TEST_RUN_DIR is not set: run the tests through vitest (test/global-setup.ts sets it)');
  return dir;
}

/** A folder of this run for one test file's own scratch work, emptied first. */
export function runScratch(name: string): string {
  const dir = join(runDir(), 'own', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

function paths(from: SiteSource) {
  const dir = join(runDir(), 'shared', `site-${from}`);
  const db = join(process.env.STEWARD_SAMPLE_DIR ?? '', 'warehouse.duckdb');
  return { dir, db, site: join(dir, 'site'), builder: join(dir, 'builder.pid'), ready: join(dir, 'ready'), failed: join(dir, 'failed') };
}

/** The shared site built from `from`'s warehouse: built here if no other process has started it. */
export async function sharedSite(from: SiteSource = 'sample'): Promise<SharedSite> {
  const p = paths(from);
  const built: SharedSite = { db: p.db, srcDir: join(p.site, 'src'), distDir: join(p.site, 'dist') };
  let mine = true;
  try {
    mkdirSync(join(p.dir, '..'), { recursive: true });
    mkdirSync(p.dir); // atomic: exactly one process gets to build
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    mine = false;
  }
  if (mine) {
    writeFileSync(p.builder, String(process.pid));
    try {
      if (!existsSync(p.db)) throw new Error(`the sample warehouse ${p.db} was not built (STEWARD_SKIP_SAMPLE?)`);
      await buildSite(p.db, p.site);
      writeFileSync(p.ready, '');
      return built;
    } catch (e) {
      writeFileSync(p.failed, (e as Error).stack ?? String(e));
      throw e;
    }
  }
  const builder = () => Number(existsSync(p.builder) ? readFileSync(p.builder, 'utf8') : NaN);
  await waitFor(() => existsSync(p.ready) || existsSync(p.failed) || (builder() > 0 && !isAlive(builder())), `the shared ${from} site, built by pid ${builder() || '?'} in ${p.site}`);
  if (existsSync(p.ready)) return built;
  if (existsSync(p.failed)) throw new Error(`building the shared ${from} site failed in pid ${builder()}:\n${readFileSync(p.failed, 'utf8')}`);
  throw new Error(`pid ${builder()} died while building the shared ${from} site in ${p.site}`);
}

/**
 * A copy of the shared site in `workDir`: sources, page data, Framework's cache and the built
 * pages. For a test that changes a copy of the warehouse and rebuilds over an existing build
 * (rebuildSite from ./browser.ts), as a user's `npm run build` after a load does.
 */
export async function copyOfSharedSite(from: SiteSource, workDir: string): Promise<BuiltSite> {
  const shared = await sharedSite(from);
  const copy = { srcDir: join(workDir, 'src'), distDir: join(workDir, 'dist') };
  rmSync(workDir, { recursive: true, force: true });
  cpSync(shared.srcDir, copy.srcDir, { recursive: true });
  cpSync(shared.distDir, copy.distDir, { recursive: true });
  return copy;
}

// `tsx test/helpers/shared-site.ts sample`: test/global-setup.ts starts the build once the sample is in.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await sharedSite(process.argv[2] as SiteSource);
}

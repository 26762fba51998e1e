/**
 * The built site, shared by every test file that only reads it: built once per test run from the
 * bundled sample warehouse (see ./run.ts; test/global-setup.ts starts the build with the run), in
 * the run's folder.
 *
 *   const { distDir, db } = await sharedSite();   // from the bundled sample warehouse
 *
 * Read it, serve it, open its warehouse read-only; never write to either. A test that changes
 * the warehouse rebuilds a copy (copyOfSharedSite, then rebuildSite from ./browser.ts); one that
 * needs other pages or page-data options builds its own (buildSite), in a folder from runScratch.
 */
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, type BuiltSite } from './browser.ts';
import { buildOnce } from './run.ts';

export type SiteSource = 'sample';

export interface SharedSite extends BuiltSite {
  /** The warehouse the site was built from (open it read-only). */
  db: string;
}

/** The shared site built from the sample warehouse. */
export async function sharedSite(from: SiteSource = 'sample'): Promise<SharedSite> {
  const db = await sampleWarehouse();
  const dir = await buildOnce(`${from}-site`, async (dir) => {
    await buildSite(db, join(dir, 'site'));
  });
  return { db, srcDir: join(dir, 'site', 'src'), distDir: join(dir, 'site', 'dist') };
}

async function sampleWarehouse(): Promise<string> {
  // Imported here, not above: importing it waits for the sample warehouse.
  const { haveSample, sampleDir } = await import('./sample.ts');
  if (!haveSample) throw new Error('the sample site needs the sample warehouse, which this run does not build (STEWARD_SKIP_SAMPLE?)');
  return join(sampleDir, 'warehouse.duckdb');
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

// `tsx test/helpers/shared-site.ts`: test/global-setup.ts starts this build with the run.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await sharedSite();
}

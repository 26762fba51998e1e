/**
 * The whole pipeline behind `npm start` and `npm run build`: sample exports when the inbox is
 * empty, load the inbox, build the models, test them and write the catalog.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DB } from '../warehouse/db.ts';
import { INBOX, expandPaths } from '../loaders/cli.ts';

function inboxHasExports(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0 && expandPaths([dir]).length > 0;
}

export async function pipelineCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string', default: DEFAULT_DB }, inbox: { type: 'string', default: INBOX }, 'skip-tests': { type: 'boolean' } } });
  const started = performance.now();
  const step = (name: string) => console.log(`\n── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}`);
  if (!inboxHasExports(values.inbox)) {
    step(`sample → ${values.inbox}`);
    const { sampleCommand } = await import('../sample/cli.ts');
    const rc = await sampleCommand(['--out', values.inbox]);
    if (rc) return rc;
  }
  step('load');
  const { loadCommand } = await import('../loaders/cli.ts');
  const loadRc = await loadCommand([values.inbox, '--db', values.db, '--quiet']);
  // Exit 1 of a load: some file was refused or loaded nothing; the rest is loaded, so the models
  // are still built. Any other code means the load could not run.
  if (loadRc === 1) console.log('(some files were refused or loaded no rows; see above — the rest is loaded)');
  else if (loadRc) return loadRc;
  const engine = await import('../engine/cli.ts');
  step('run models');
  const runRc = await engine.runCommand(['--db', values.db]);
  if (runRc) return runRc;
  if (!values['skip-tests']) {
    step('test models');
    const testRc = await engine.testCommand(['--db', values.db]);
    if (testRc) return testRc;
  }
  step('catalog');
  // The catalog sits beside its warehouse (data/catalog.json for the default one).
  const docsRc = await engine.docsCommand(['--db', values.db, '--out', join(dirname(values.db), 'catalog.json')]);
  if (docsRc) return docsRc;
  console.log(`\npipeline finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

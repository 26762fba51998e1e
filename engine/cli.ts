/** `steward run | test | docs | new`: thin wrappers over the engine API with user-facing output. */
import { parseArgs } from 'node:util';
import { DEFAULT_DB, openWarehouse } from '../warehouse/db.ts';
import { stopwatch } from '../warehouse/profile.ts';
import { writeCatalog, DEFAULT_CATALOG } from './catalog.ts';
import { ModelError } from './dag.ts';
import { DEFAULT_SQL_DIR, ProjectError } from './project.ts';
import { runModels } from './runner.ts';
import { scaffoldModel } from './scaffold.ts';
import { SpecError } from './spec.ts';
import { testModels } from './tests.ts';

const common = { db: { type: 'string', default: DEFAULT_DB }, sql: { type: 'string', default: DEFAULT_SQL_DIR } } as const;

/** Problems in the model files themselves are printed as `file:line: message`, one per line. */
async function reportingModelErrors(cmd: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ModelError || e instanceof ProjectError || e instanceof SpecError) {
      console.error(`steward ${cmd}: the models could not be read:\n${e.message}`);
      return 1;
    }
    throw e;
  }
}

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, select: { type: 'string', short: 's', multiple: true }, full: { type: 'boolean' }, 'as-of': { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } });
  const w = await openWarehouse(values.db);
  try {
    return await reportingModelErrors('run', async () => {
      const started = performance.now();
      const r = await runModels(w.conn, { sqlDir: values.sql, select: values.select, full: values.full, asOf: values['as-of'], log: values.quiet ? undefined : (l) => console.log(l) });
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`as of ${r.asOf}: ${r.built.length} built, ${r.skipped.length} skipped, ${r.failures.length} failed in ${secs} s`);
      for (const f of r.failures) console.error(`model ${f.model} failed: ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
      return r.failures.length ? 1 : 0;
    });
  } finally {
    const lap = stopwatch();
    w.close();
    lap('closing the warehouse (its checkpoint)');
  }
}

export async function testCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, 'as-of': { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } });
  const w = await openWarehouse(values.db);
  try {
    return await reportingModelErrors('test', async () => {
      const r = await testModels(w.conn, { sqlDir: values.sql, asOf: values['as-of'], log: (l) => { if (!values.quiet || !l.startsWith('PASS')) console.log(l); } });
      console.log(`as of ${r.asOf}: ${r.passed} passed, ${r.warned} warned, ${r.failed} failed`);
      return r.failed ? 1 : 0;
    });
  } finally {
    w.close();
  }
}

export async function docsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, out: { type: 'string', short: 'o', default: DEFAULT_CATALOG } } });
  const w = await openWarehouse(values.db);
  try {
    return await reportingModelErrors('docs', async () => {
      const catalog = await writeCatalog(w.conn, values.out, { sqlDir: values.sql });
      console.log(`wrote ${values.out}: ${catalog.models.length} models, ${catalog.sources.length} sources, ${catalog.tests.length} tests`);
      return 0;
    });
  } finally {
    w.close();
  }
}

export async function newCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { sql: common.sql, layer: { type: 'string', default: 'marts' } } });
  if (positionals[0] !== 'model' || !positionals[1]) {
    console.error('usage: steward new model NAME [--layer staging|intermediate|marts] [--sql DIR]');
    return 2;
  }
  const files = scaffoldModel(values.sql, positionals[1], values.layer);
  for (const f of files) console.log(`created ${f}`);
  console.log('edit the SELECT, describe its columns in the YAML, then: steward run --select ' + positionals[1] + '+ && steward test');
  return 0;
}

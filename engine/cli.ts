/** `steward run | test | docs | new`: thin wrappers over the engine API with user-facing output. */
import { parseArgs } from 'node:util';
import { DEFAULT_DB, openWarehouse } from '../warehouse/db.ts';
import { stopwatch } from '../warehouse/profile.ts';
import { writeCatalog, DEFAULT_CATALOG } from './catalog.ts';
import { ModelError } from './dag.ts';
import { DEFAULT_SQL_DIR, loadModels, ProjectError } from './project.ts';
import { sortKpis } from './kpis.ts';
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

/** `steward kpis [--sql]`: the declared KPIs, where each is declared, and the SQL written from them. */
export async function kpisCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { sql: { type: 'string', default: DEFAULT_SQL_DIR }, 'show-sql': { type: 'boolean' } } });
  return reportingModelErrors('kpis', async () => {
    const models = loadModels(values.sql);
    if (values['show-sql']) {
      for (const m of models.filter((x) => x.generatedFrom)) console.log(`-- ${m.name}\n${m.sql}\n`);
      return 0;
    }
    const kpis = sortKpis(models.flatMap((m) => m.spec.kpis ?? [])).sort((a, b) => a.area.localeCompare(b.area));
    const rows = kpis.map((k) => [k.id, k.area, k.kind, k.unit.en || '-', k.direction, k.measure.value ? 'period' : k.measure.denominator ? 'ratio' : 'sum', `${k.file}${k.line ? `:${k.line}` : ''}`]);
    const head = ['kpi', 'area', 'kind', 'unit', 'better', 'measure', 'declared in'];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
    console.log(`${kpis.length} KPIs in ${new Set(kpis.map((k) => k.area)).size} areas; \`steward kpis --show-sql\` prints the SQL the KPI layer writes from them`);
    return 0;
  });
}

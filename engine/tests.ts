/**
 * `steward test`: every test is a query returning failing rows (0 rows = pass) — the YAML tests
 * are compiled to such queries, free tests in sql/tests/ are written that way, and freshness
 * returns the stale units. Results are kept in meta.test_results for the catalog.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, sqlString } from '../warehouse/db.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { resolveAsOf } from './asof.ts';
import { freshnessFile, freshnessSql, loadFreshnessRules } from './freshness.ts';
import { mapDuckDbError } from './errors.ts';
import { DEFAULT_SQL_DIR, loadFreeTests, loadModels, type Model } from './project.ts';
import type { Severity, TestSpec } from './spec.ts';
import { ensureStateTables, existingModelTables } from './state.ts';

export interface CompiledTest {
  id: string;
  /** The model tested; absent for free tests and freshness. */
  model?: string;
  kind: TestSpec['kind'] | 'sql' | 'freshness';
  column?: string;
  severity: Severity;
  /** Where the test is declared, for messages. */
  file: string;
  /** A SELECT returning the failing rows. */
  sql: string;
}

export interface TestResult extends Omit<CompiledTest, 'sql'> {
  status: 'pass' | 'fail' | 'warn' | 'error';
  failures: number;
  sample: Record<string, unknown>[];
  message?: string;
  sql: string;
}

export interface TestRunResult {
  passed: number;
  /** Tests of error severity that failed, plus tests that could not run. */
  failed: number;
  warned: number;
  results: TestResult[];
  asOf: string;
}

export interface TestOptions {
  sqlDir?: string;
  asOf?: string;
  sampleSize?: number;
  log?: (line: string) => void;
}

const q = (c: string) => `"${c.replace(/"/g, '""')}"`;

function literal(v: string | number | boolean): string {
  return typeof v === 'string' ? sqlString(v) : String(v);
}

/** `to:` of a relationships test: a model name, or ref./raw./meta. table. */
function relationTarget(to: string): string {
  const parts = to.split('.');
  return parts.length === 2 ? `${q(parts[0])}.${q(parts[1])}` : `main.${q(to)}`;
}

export function compileModelTest(model: string, t: TestSpec): { id: string; column?: string; sql: string } {
  const table = `main.${q(model)}`;
  switch (t.kind) {
    case 'not_null':
      return { id: `${model}.not_null.${t.column}`, column: t.column, sql: `select * from ${table} where ${q(t.column)} is null` };
    case 'unique': {
      const cols = t.columns.map(q).join(', ');
      return { id: `${model}.unique.${t.columns.join('+')}`, column: t.columns.join(', '), sql: `select ${cols}, count(*) as n_rows from ${table} group by ${cols} having count(*) > 1 order by n_rows desc` };
    }
    case 'accepted_values':
      return { id: `${model}.accepted_values.${t.column}`, column: t.column, sql: `select ${q(t.column)}, count(*) as n_rows from ${table} where ${q(t.column)} is not null and ${q(t.column)} not in (${t.values.map(literal).join(', ')}) group by 1 order by n_rows desc` };
    case 'relationships':
      return { id: `${model}.relationships.${t.column}`, column: t.column, sql: `select c.${q(t.column)}, count(*) as n_rows from ${table} as c where c.${q(t.column)} is not null and not exists (select 1 from ${relationTarget(t.to)} as p where p.${q(t.field)} = c.${q(t.column)}) group by 1 order by n_rows desc` };
    case 'expression':
      // Rows where the expression is false fail; NULL passes (add `x is not null` to forbid it).
      return { id: `${model}.expression.${t.expression}`, column: t.column, sql: `select * from ${table} where not (${t.expression})` };
  }
}

export async function compileTests(conn: DuckDBConnection, opts: { sqlDir?: string; asOf: string; models?: Model[] }): Promise<CompiledTest[]> {
  const sqlDir = opts.sqlDir ?? DEFAULT_SQL_DIR;
  const tests: CompiledTest[] = [];
  for (const m of opts.models ?? loadModels(sqlDir)) {
    const all = [...m.spec.columns.flatMap((c) => c.tests), ...m.spec.tests];
    const seen = new Set<string>();
    for (const t of all) {
      const c = compileModelTest(m.name, t);
      if (seen.has(c.id)) continue; // `grain` and an explicit unique on the same columns are one test
      seen.add(c.id);
      tests.push({ ...c, model: m.name, kind: t.kind, severity: t.severity, file: m.yamlFile ?? m.file });
    }
  }
  for (const f of loadFreeTests(sqlDir)) tests.push({ id: `tests.${f.name}`, kind: 'sql', severity: f.severity, file: f.file, sql: f.sql });
  const { rules, configured } = await loadFreshnessRules(conn, sqlDir);
  for (const r of rules) {
    tests.push({ id: `freshness.${r.table}`, kind: 'freshness', column: r.dateColumn, severity: configured ? 'error' : 'warn', file: configured ? freshnessFile(sqlDir) : 'ref.thresholds', sql: freshnessSql(r, opts.asOf) });
  }
  return tests;
}

export async function testModels(conn: DuckDBConnection, opts: TestOptions = {}): Promise<TestRunResult> {
  const log = opts.log ?? (() => {});
  await ensureWarehouseSchema(conn);
  await ensureStateTables(conn);
  const asOf = await resolveAsOf(conn, opts.asOf);
  const models = loadModels(opts.sqlDir ?? DEFAULT_SQL_DIR);
  const tests = await compileTests(conn, { sqlDir: opts.sqlDir, asOf, models });
  const tables = await existingModelTables(conn);
  const results: TestResult[] = [];
  for (const t of tests) {
    const { sql, ...rest } = t;
    let r: TestResult;
    if (t.model && !tables.has(t.model)) {
      r = { ...rest, sql, status: 'error', failures: 0, sample: [], message: `table main.${t.model} does not exist: run \`steward run\` first` };
    } else {
      try {
        r = await runOne(conn, t, opts.sampleSize ?? 5);
      } catch (e) {
        const mapped = mapDuckDbError((e as Error).message, 0);
        r = { ...rest, sql, status: 'error', failures: 0, sample: [], message: `${t.file}: the test could not run: ${mapped.message}` };
      }
    }
    results.push(r);
    logResult(log, r);
  }
  await saveResults(conn, results);
  const count = (s: TestResult['status'][]) => results.filter((r) => s.includes(r.status)).length;
  return { passed: count(['pass']), failed: count(['fail', 'error']), warned: count(['warn']), results, asOf };
}

async function runOne(conn: DuckDBConnection, t: CompiledTest, sampleSize: number): Promise<TestResult> {
  const { sql, ...rest } = t;
  const [{ n }] = await all<{ n: number }>(conn, `select count(*) as n from (\n${sql}\n)`);
  if (n === 0) return { ...rest, sql, status: 'pass', failures: 0, sample: [] };
  const reader = await conn.runAndReadAll(`select * from (\n${sql}\n) limit ${sampleSize}`);
  const sample = reader.getRowObjectsJson() as Record<string, unknown>[];
  // Freshness failing rows carry their own level: only 'error' rows make an error-severity test fail.
  const isError = t.severity === 'error' && (t.kind !== 'freshness' || (await all(conn, `select 1 from (\n${sql}\n) where level = 'error' limit 1`)).length > 0);
  return { ...rest, sql, status: isError ? 'fail' : 'warn', failures: n, sample };
}

function logResult(log: (l: string) => void, r: TestResult) {
  const tag = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', error: 'ERROR' }[r.status];
  if (r.status === 'pass') return log(`${tag}  ${r.id}`);
  log(`${tag}  ${r.id} — ${r.message ?? `${r.failures} failing row${r.failures === 1 ? '' : 's'} (${r.file})`}`);
  for (const row of r.sample) log(`        ${JSON.stringify(row)}`);
  // A free test's query is its file; a compiled test's query is printed on one line to paste.
  const query = r.kind === 'sql' ? r.file : r.sql.replace(/\s+/g, ' ');
  if (r.failures > r.sample.length) log(`        … ${r.failures - r.sample.length} more; all of them: ${query}`);
}

async function saveResults(conn: DuckDBConnection, results: TestResult[]) {
  await conn.run('begin transaction');
  try {
    await conn.run('delete from meta.test_results');
    for (const r of results) {
      await conn.run(`insert into meta.test_results values ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, (now() at time zone 'UTC'))`, [r.id, r.model ?? null, r.kind, r.column ?? null, r.severity, r.status, r.failures, r.message ?? null, JSON.stringify(r.sample)] as never);
    }
    await conn.run('commit');
  } catch (e) {
    await conn.run('rollback').catch(() => {});
    throw e;
  }
}

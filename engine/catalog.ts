/**
 * The catalog `steward docs` writes for the dashboard: every model with its description, columns
 * (type, description, tests, input columns), dependencies both ways, tests with their last
 * result, row counts and build times — and the sources the models read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../warehouse/db.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { resolveAsOf } from './asof.ts';
import { planModels } from './dag.ts';
import { columnLineage, type UnresolvedLineage } from './lineage.ts';
import { DEFAULT_SQL_DIR, loadModels } from './project.ts';
import { ensureStateTables, readState } from './state.ts';
import type { PartitionSpec } from './spec.ts';
import { compileTests } from './tests.ts';

export const DEFAULT_CATALOG = 'data/catalog.json';

export interface CatalogTest {
  id: string;
  /** The model tested; absent for free SQL tests and freshness. */
  model?: string;
  kind: string;
  column?: string;
  severity: string;
  file: string;
  /** Last result: pass, fail, warn, error, or `not run` when `steward test` has not run it yet. */
  status: string;
  failures?: number;
  message?: string;
  ran_at?: string;
  sql: string;
}

export interface CatalogColumn {
  name: string;
  type?: string;
  description?: string;
  tests: string[];
  /** Direct input columns, `model.column` or `raw.table.column`. */
  inputs: string[];
  /** The source columns (raw/ref/meta) the value comes from, following inputs through models. */
  origins: string[];
}

export interface CatalogModel {
  name: string;
  layer: string;
  file: string;
  yaml_file?: string;
  description?: string;
  grain?: string[];
  /** Rebuilt by unit-month of this raw table when only it changed (docs/analysts.md). */
  partition_by?: PartitionSpec;
  depends_on: { models: string[]; sources: string[] };
  dependents: string[];
  columns: CatalogColumn[];
  lineage_unresolved: UnresolvedLineage[];
  tests: CatalogTest[];
  /** `built` (table current with its SQL and YAML), `changed` (edited since), `not built`. */
  state: 'built' | 'changed' | 'not built';
  row_count?: number;
  built_at?: string;
  duration_ms?: number;
  sql: string;
}

export interface Catalog {
  generated_at: string;
  as_of: string;
  models: CatalogModel[];
  sources: { name: string; columns: { name: string; type: string }[]; row_count: number; used_by: string[] }[];
  /** Every test, model tests included, with its last result. */
  tests: CatalogTest[];
  summary: { models: number; built: number; tests: number; passed: number; failed: number; warned: number; not_run: number };
}

export async function buildCatalog(conn: DuckDBConnection, opts: { sqlDir?: string; asOf?: string } = {}): Promise<Catalog> {
  const sqlDir = opts.sqlDir ?? DEFAULT_SQL_DIR;
  await ensureWarehouseSchema(conn);
  await ensureStateTables(conn);
  const models = loadModels(sqlDir);
  const plan = await planModels(conn, models);
  const state = await readState(conn);
  const asOf = await resolveAsOf(conn, opts.asOf);

  const colRows = await all<{ s: string; t: string; c: string; ty: string }>(conn, `select table_schema as s, table_name as t, column_name as c, data_type as ty from information_schema.columns where table_catalog = current_database() and table_schema in ('main', 'raw', 'ref', 'meta') order by table_schema, table_name, ordinal_position`);
  const columns = new Map<string, { name: string; type: string }[]>();
  for (const r of colRows) {
    const key = r.s === 'main' ? r.t.toLowerCase() : `${r.s}.${r.t}`.toLowerCase();
    if (!columns.has(key)) columns.set(key, []);
    columns.get(key)!.push({ name: r.c, type: r.ty });
  }
  const columnsOf = (t: string) => columns.get(t)?.map((c) => c.name);

  const results = new Map((await all<{ test_id: string; status: string; failures: number; message: string | null; ran_at: string }>(conn, `select test_id, status, failures, message, strftime(ran_at, '%Y-%m-%dT%H:%M:%S') as ran_at from meta.test_results`)).map((r) => [r.test_id, r]));
  const tests: CatalogTest[] = (await compileTests(conn, { sqlDir, asOf, models })).map((t) => {
    const r = results.get(t.id);
    return { id: t.id, model: t.model, kind: t.kind, column: t.column, severity: t.severity, file: t.file, status: r?.status ?? 'not run', failures: r?.failures, message: r?.message ?? undefined, ran_at: r?.ran_at, sql: t.sql };
  });

  const catalogModels: CatalogModel[] = plan.order.map((m) => {
    const s = state.get(m.name);
    const built = columns.get(m.name);
    const lineage = columnLineage(m.ast, columnsOf, built?.map((c) => c.name));
    const modelTests = tests.filter((t) => t.model === m.name);
    const names = built?.map((c) => c.name) ?? lineage.columns.map((c) => c.column);
    const cols: CatalogColumn[] = names.map((name) => {
      const spec = m.spec.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
      return {
        name,
        type: built?.find((c) => c.name === name)?.type,
        description: spec?.description,
        tests: modelTests.filter((t) => t.column?.split(', ').includes(name)).map((t) => t.id),
        inputs: lineage.columns.find((c) => c.column === name)?.inputs ?? [],
        origins: [],
      };
    });
    // Columns described in YAML but absent from the table are kept, so the gap is visible.
    for (const c of m.spec.columns) if (!cols.some((x) => x.name.toLowerCase() === c.name.toLowerCase())) cols.push({ name: c.name, description: c.description, tests: [], inputs: [], origins: [] });
    return {
      name: m.name,
      layer: m.layer,
      file: m.file,
      yaml_file: m.yamlFile,
      description: m.spec.description,
      grain: m.spec.grain,
      partition_by: m.spec.partitionBy,
      depends_on: { models: m.deps.filter((d) => d.kind === 'model').map((d) => d.name), sources: m.deps.filter((d) => d.kind === 'source').map((d) => d.name) },
      dependents: m.dependents,
      columns: cols,
      lineage_unresolved: lineage.unresolved,
      tests: modelTests,
      state: !s || !built ? 'not built' : s.sql_hash === m.sqlHash && s.yaml_hash === m.yamlHash ? 'built' : 'changed',
      row_count: s?.row_count,
      built_at: s?.built_at,
      duration_ms: s?.duration_ms,
      sql: m.sql,
    };
  });

  resolveOrigins(catalogModels);

  const used = new Map<string, string[]>();
  for (const m of plan.order) for (const d of m.deps) if (d.kind === 'source') used.set(d.name, [...(used.get(d.name) ?? []), m.name]);
  const sources = [];
  for (const name of [...used.keys()].sort()) {
    const [{ n }] = await all<{ n: number }>(conn, `select count(*) as n from ${name}`);
    sources.push({ name, columns: columns.get(name) ?? [], row_count: n, used_by: used.get(name)! });
  }
  const count = (s: string) => tests.filter((t) => t.status === s).length;
  return {
    generated_at: new Date().toISOString(),
    as_of: asOf,
    models: catalogModels,
    sources,
    tests,
    summary: { models: catalogModels.length, built: catalogModels.filter((m) => m.state !== 'not built').length, tests: tests.length, passed: count('pass'), failed: count('fail') + count('error'), warned: count('warn'), not_run: count('not run') },
  };
}

export async function writeCatalog(conn: DuckDBConnection, path: string = DEFAULT_CATALOG, opts: { sqlDir?: string; asOf?: string } = {}): Promise<Catalog> {
  const catalog = await buildCatalog(conn, opts);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(catalog, null, 2) + '\n');
  return catalog;
}

/** Follows each column's inputs through upstream models (already in dependency order) to sources. */
function resolveOrigins(models: CatalogModel[]): void {
  const origins = new Map<string, string[]>();
  for (const m of models) {
    for (const c of m.columns) {
      const found = new Set<string>();
      for (const input of c.inputs) {
        const upstream = input.split('.').length === 2 ? origins.get(input) : undefined;
        if (upstream) upstream.forEach((o) => found.add(o));
        else if (input.split('.').length === 3) found.add(input);
      }
      c.origins = [...found].sort();
      origins.set(`${m.name}.${c.name.toLowerCase()}`, c.origins);
    }
  }
}

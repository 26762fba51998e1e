/**
 * Run state kept in the warehouse itself (meta.model_state), so "what is built, from what" travels
 * with the data: a copied warehouse knows which of its tables are current.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, sqlString } from '../warehouse/db.ts';

export interface ModelState {
  model: string;
  layer: string;
  file: string;
  input_key: string;
  sql_hash: string;
  yaml_hash: string;
  built_at: string;
  duration_ms: number;
  row_count: number;
  /** JSON [[dependency, fingerprint], …] the table was built from. */
  inputs: string;
  /** Content fingerprint of the table built: what models downstream compare against. */
  output_key?: string | null;
  /**
   * For a model with partition_by: its key with the partitioned source left out. Unchanged while
   * the input key changed means only that source did, so only its changed unit-months are rebuilt.
   */
  rest_key?: string | null;
}

export async function ensureStateTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(`
    create schema if not exists meta;
    create table if not exists meta.model_state (
      model VARCHAR primary key,
      layer VARCHAR,
      file VARCHAR,
      input_key VARCHAR not null,
      sql_hash VARCHAR,
      yaml_hash VARCHAR,
      built_at TIMESTAMP,
      duration_ms BIGINT,
      row_count BIGINT,
      inputs VARCHAR,
      output_key VARCHAR
    );
    alter table meta.model_state add column if not exists output_key VARCHAR;
    alter table meta.model_state add column if not exists rest_key VARCHAR;
    create table if not exists meta.model_partitions (
      model VARCHAR,
      unit_code VARCHAR,
      month DATE,
      n BIGINT,
      h HUGEINT
    );
    create table if not exists meta.model_runs (
      run_id VARCHAR,
      model VARCHAR,
      status VARCHAR,
      reason VARCHAR,
      started_at TIMESTAMP,
      duration_ms BIGINT,
      row_count BIGINT,
      message VARCHAR
    );
    create table if not exists meta.test_results (
      test_id VARCHAR,
      model VARCHAR,
      kind VARCHAR,
      "column" VARCHAR,
      severity VARCHAR,
      status VARCHAR,
      failures BIGINT,
      message VARCHAR,
      sample JSON,
      ran_at TIMESTAMP
    );
    create table if not exists meta.run_context (as_of DATE);
  `);
}

export async function readState(conn: DuckDBConnection): Promise<Map<string, ModelState>> {
  const rows = await all<ModelState>(conn, `select model, layer, file, input_key, sql_hash, yaml_hash, strftime(built_at, '%Y-%m-%dT%H:%M:%S') as built_at, duration_ms, row_count, inputs, output_key, rest_key from meta.model_state`);
  return new Map(rows.map((r) => [r.model, r]));
}

/**
 * The SQL that records a successful build; run inside the build's transaction. Columns are named,
 * so a warehouse whose state table has gained columns since stays writable.
 */
export function writeStateSql(s: ModelState): string {
  return `insert or replace into meta.model_state (model, layer, file, input_key, sql_hash, yaml_hash, built_at, duration_ms, row_count, inputs, output_key, rest_key) values (${[s.model, s.layer, s.file, s.input_key, s.sql_hash, s.yaml_hash].map(sqlString).join(', ')}, now()::TIMESTAMP, ${s.duration_ms}, ${s.row_count}, ${sqlString(s.inputs)}, ${s.output_key ? sqlString(s.output_key) : 'null'}, ${s.rest_key ? sqlString(s.rest_key) : 'null'})`;
}

export async function existingModelTables(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = await all<{ t: string }>(conn, `select table_name as t from information_schema.tables where table_catalog = current_database() and table_schema = 'main'`);
  return new Set(rows.map((r) => r.t.toLowerCase()));
}

/**
 * A content fingerprint of a source table: row count plus the sum of every row's hash. Any edit,
 * insert or delete changes it (up to hash collisions), whoever made it — a loader, a reference
 * CSV refresh, or a hand-run UPDATE.
 */
export async function sourceFingerprint(conn: DuckDBConnection, qualified: string): Promise<string> {
  const [schema, table] = qualified.split('.');
  const rows = await all<{ n: number; h: string }>(conn, `select count(*) as n, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR as h from "${schema}"."${table}" as t`);
  return `${rows[0].n}:${rows[0].h}`;
}

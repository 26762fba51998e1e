/**
 * Partitioned builds. A model that declares `partition_by` (a raw fact table, and the model's
 * unit and month columns) promises that its rows of one unit and month come only from that
 * table's rows of the same unit-month: the unit-month a district's re-export replaces. When
 * nothing but that table changed since the model's last build, the runner deletes and rebuilds
 * only the unit-months whose rows changed, so a corrected month costs what the month costs, not
 * what the whole history costs.
 *
 * Which unit-months changed is found by content, like every other change the runner sees: the
 * source table is fingerprinted per unit-month (row count and the sum of the rows' hashes) in the
 * same read that fingerprints the whole table, and each partitioned model keeps, in
 * meta.model_partitions, the fingerprints of the unit-months it was last built from. A hand-made
 * UPDATE is seen exactly as a load is.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES } from '../contract/contract.ts';
import { all, ident, sqlString } from '../warehouse/db.ts';
import { monthStartExpr } from '../warehouse/schema.ts';
import type { PartitionSpec } from './spec.ts';

/** Past this many changed unit-months (or half of them all), a whole rebuild is cheaper. */
export const MAX_PARTIAL_PARTITIONS = 64;

/** The SQL of a raw fact table's month (the DATE of its first day), or why the table has none. */
export function sourceMonthExpr(source: string): { expr?: string; problem?: string } {
  const [schema, name] = source.split('.');
  const t = schema === 'raw' ? TABLES[name] : undefined;
  if (!t) return { problem: `partition_by: source ${source} is not a raw table of the loader contract (raw.<table>)` };
  const expr = monthStartExpr(t, 't.');
  if (!expr) return { problem: `partition_by: ${source} is a dimension table; only fact tables have unit-months (${Object.values(TABLES).filter((x) => monthStartExpr(x)).map((x) => `raw.${x.name}`).join(', ')})` };
  return { expr };
}

const tempName = (source: string) => `partitions_${source.replace('.', '_')}`;

/**
 * Fingerprints a raw fact table per unit-month into a temp table, and returns the whole table's
 * fingerprint in the same form as sourceFingerprint (the sums of the parts are the whole's sums).
 */
export async function fingerprintPartitions(conn: DuckDBConnection, source: string): Promise<string> {
  const { expr, problem } = sourceMonthExpr(source);
  if (!expr) throw new Error(problem);
  const [schema, table] = source.split('.');
  await conn.run(`create or replace temp table ${tempName(source)} as
    select t.unit_code, ${expr} as month, count(*) as n, sum(hash(t)::HUGEINT) as h
    from ${ident(schema)}.${ident(table)} as t group by all`);
  const [row] = await all<{ n: number; h: string }>(conn, `select coalesce(sum(n), 0)::BIGINT as n, coalesce(sum(h), 0)::HUGEINT::VARCHAR as h from ${tempName(source)}`);
  return `${row.n}:${row.h}`;
}

export interface Partition {
  unit: string | null;
  /** YYYY-MM-DD, the first day of the month. */
  month: string | null;
}

/** The unit-months whose rows differ from those the model was last built from, and how many there are now. */
export async function changedPartitions(conn: DuckDBConnection, model: string, source: string): Promise<{ changed: Partition[]; total: number }> {
  const changed = await all<Partition>(conn, `
    select coalesce(c.unit_code, p.unit_code) as unit, strftime(coalesce(c.month, p.month), '%Y-%m-%d') as month
    from ${tempName(source)} c
    full join (select * from meta.model_partitions where model = ${sqlString(model)}) p
      on c.unit_code is not distinct from p.unit_code and c.month is not distinct from p.month
    where c.n is distinct from p.n or c.h is distinct from p.h
    order by all`);
  const [{ n }] = await all<{ n: number }>(conn, `select count(*) as n from ${tempName(source)}`);
  return { changed, total: Number(n) };
}

/** The WHERE condition selecting the given unit-months of the model's rows. */
export function partitionFilter(spec: PartitionSpec, parts: Partition[]): string {
  const eq = (col: string, v: string | null, lit: (v: string) => string) => (v === null ? `${ident(col)} is null` : `${ident(col)} = ${lit(v)}`);
  // Literal conditions, not a join: DuckDB pushes them through the model's grouping and views down
  // to the scan of the source, so only the changed months' rows are aggregated.
  return parts.map((p) => `(${eq(spec.unit, p.unit, sqlString)} and ${eq(spec.month, p.month, (v) => `DATE '${v}'`)})`).join('\n   or ') || 'false';
}

/** Records the unit-months the model's table now holds; run inside the build's transaction. */
export async function recordPartitions(conn: DuckDBConnection, model: string, source: string): Promise<void> {
  await conn.run(`delete from meta.model_partitions where model = ${sqlString(model)};
    insert into meta.model_partitions select ${sqlString(model)}, unit_code, month, n, h from ${tempName(source)}`);
}

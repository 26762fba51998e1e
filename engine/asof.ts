/**
 * The as-of date of a run: the day freshness is measured against and the value models read from
 * `meta.run_context` (e.g. "loans overdue as of"). Default: the last day of the warehouse's
 * current month, so a historical warehouse (like the bundled sample) is judged as of its own
 * data, not as of the calendar; pass `--as-of today` for day-to-day monitoring. The current month
 * comes from the load ledger (the latest main period of a file with rows in raw, as the model
 * data_as_of reads it), so one mistyped date in one row cannot move it; a warehouse loaded before
 * the ledger kept main periods falls back to the latest month in the raw tables.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT } from '../contract/contract.ts';
import { all } from '../warehouse/db.ts';

export async function latestDataMonthEnd(conn: DuckDBConnection): Promise<string | undefined> {
  const hasMainPeriod = await all(conn, `select 1 from information_schema.columns where table_catalog = current_database() and table_schema = 'meta' and table_name = 'load_ledger' and column_name = 'main_period'`);
  if (hasMainPeriod.length) {
    const [ledger] = await all<{ d: string | null }>(conn, `select strftime(last_day(strptime(max(main_period), '%Y-%m')), '%Y-%m-%d') as d from meta.load_ledger
      where status = 'loaded' and main_period is not null and rows_loaded > rows_superseded`);
    if (ledger?.d) return ledger.d;
  }
  const parts = CONTRACT.filter((t) => t.monthColumn).map((t) => `select max("${t.monthColumn}")::DATE as d from raw.${t.name}`);
  const rows = await all<{ d: string | null }>(conn, `select strftime(last_day(max(d)), '%Y-%m-%d') as d from (${parts.join(' union all ')})`);
  return rows[0]?.d ?? undefined;
}

export async function resolveAsOf(conn: DuckDBConnection, asOf?: string): Promise<string> {
  if (!asOf || asOf === 'data') return (await latestDataMonthEnd(conn)) ?? new Date().toISOString().slice(0, 10);
  if (asOf === 'today') return new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`--as-of ${asOf}: expected a date YYYY-MM-DD, "today" or "data" (last day of the latest month in the raw data)`);
  return asOf;
}

/** Stores the as-of date for models; rewritten only when it changes so models reading it stay current. */
export async function writeRunContext(conn: DuckDBConnection, asOf: string): Promise<void> {
  const rows = await all<{ d: string }>(conn, `select strftime(as_of, '%Y-%m-%d') as d from meta.run_context`);
  if (rows.length === 1 && rows[0].d === asOf) return;
  await conn.run(`begin; delete from meta.run_context; insert into meta.run_context values ('${asOf}'::DATE); commit;`);
}

/** steward load | check | status | query */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTRACT, TABLES } from '../contract/contract.ts';
import { DEFAULT_DB, all, attachWarehouse, openWarehouse, sqlString, type Warehouse } from '../warehouse/db.ts';
import { loadFiles, loadOrder, type FileResult, type LoadOptions } from './load.ts';
import { checkMappingPatterns, readMapping } from './mapping.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { formatRows, printSummary, progressLine } from './report.ts';

export const INBOX = 'data/inbox';

/** Files under the given paths; names starting with `_` or `.` are skipped (manifests, notes). */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new Error(`${p}: no such file or folder`);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('_') && !name.startsWith('.')) walk(join(p, name));
    } else out.push(p);
  };
  paths.forEach(walk);
  return loadOrder(out);
}

function knownTable(name: string | undefined): string | undefined {
  if (name !== undefined && !TABLES[name]) throw new Error(`--table ${name} is not a table of the contract (${CONTRACT.map((t) => t.name).join(', ')})`);
  return name;
}

async function prepare(w: Warehouse): Promise<void> {
  await ensureWarehouseSchema(w.conn);
  await loadReferenceTables(w.conn);
}

/** Loads files into an open warehouse, reporting each as it finishes. */
export async function loadPaths(w: Warehouse, files: string[], opts: LoadOptions & { quiet?: boolean } = {}): Promise<FileResult[]> {
  if (opts.mapping) await checkMappingPatterns(w.conn, opts.mapping);
  return loadFiles(w.conn, files, opts, (r, position) => {
    if (!opts.quiet) console.log(progressLine(r, position, files.length));
  });
}

const common = {
  db: { type: 'string' as const, default: DEFAULT_DB },
  mapping: { type: 'string' as const },
  table: { type: 'string' as const },
  quiet: { type: 'boolean' as const, short: 'q' },
};

export async function loadCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: common, allowPositionals: true });
  const files = expandPaths(positionals.length ? positionals : [INBOX]);
  if (!files.length) {
    console.error(`steward load: no export files under ${positionals.join(' ') || INBOX}`);
    return 1;
  }
  const mapping = values.mapping ? readMapping(values.mapping) : undefined;
  const w = await openWarehouse(values.db);
  try {
    await prepare(w);
    const results = await loadPaths(w, files, { mapping, table: knownTable(values.table), quiet: values.quiet });
    printSummary(results, 'load');
    return results.some((r) => r.status === 'refused') ? 1 : 0;
  } finally {
    w.close();
  }
}

/** Validates files in a scratch database: the warehouse is only read, for the registers it holds. */
export async function checkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: common, allowPositionals: true });
  if (!positionals.length) {
    console.error('usage: steward check FILE… [--mapping FILE] [--table TABLE]');
    return 2;
  }
  const files = expandPaths(positionals);
  const mapping = values.mapping ? readMapping(values.mapping) : undefined;
  const w = await openWarehouse(':memory:');
  try {
    await prepare(w);
    if (existsSync(values.db)) {
      // Trips are checked against the vehicles already in the warehouse, readings against its buildings.
      await attachWarehouse(w.conn, values.db, 'wh', { readOnly: true });
      for (const t of CONTRACT.filter((t) => !t.monthColumn)) {
        const has = await all(w.conn, `select 1 from duckdb_tables() where database_name = 'wh' and schema_name = 'raw' and table_name = ?`, [t.name]);
        if (has.length) await w.conn.run(`insert into raw.${t.name} select * from wh.raw.${t.name}`);
      }
      await w.conn.run('detach wh');
    }
    const results = await loadPaths(w, files, { mapping, table: knownTable(values.table), quiet: values.quiet });
    printSummary(results, 'check');
    return results.some((r) => r.status === 'refused' || r.rowsQuarantined > 0) ? 1 : 0;
  } finally {
    w.close();
  }
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: common.db }, allowPositionals: false });
  if (!existsSync(values.db)) {
    console.error(`steward status: no warehouse at ${values.db} (run steward load first)`);
    return 1;
  }
  const w = await openWarehouse(values.db, { readOnly: true });
  try {
    const perTable = await all(w.conn, `select table_name as "table", count(*) as files, sum(rows_read) as "read", sum(rows_loaded) as loaded,
        sum(rows_quarantined) as quarantined, sum(rows_superseded) as superseded, max(loaded_at)::VARCHAR as last_load
      from meta.load_ledger group by 1 order by 1`);
    console.log('Load ledger');
    console.log(formatRows(perTable, 'table'));
    const reasons = await all(w.conn, `select table_name as "table", "column", regexp_replace(reason, '"[^"]*"', '"…"', 'g') as reason, count(*) as "rows"
      from meta.quarantine group by all order by "rows" desc limit 25`);
    console.log('\nQuarantine by reason');
    console.log(reasons.length ? formatRows(reasons, 'table') : '(nothing quarantined)');
    return 0;
  } finally {
    w.close();
  }
}

export async function queryCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { db: common.db, format: { type: 'string', default: 'table' } }, allowPositionals: true });
  const sql = positionals.join(' ').trim();
  if (!sql) {
    console.error('usage: steward query [--db FILE] [--format table|csv|json] SQL');
    return 2;
  }
  const w = await openWarehouse(values.db, { readOnly: existsSync(values.db) });
  try {
    const rows = await all(w.conn, sql);
    console.log(formatRows(rows, values.format as 'table' | 'csv' | 'json'));
    return 0;
  } finally {
    w.close();
  }
}

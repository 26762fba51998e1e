/** steward load | check | status | query | history */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTRACT, TABLES } from '../contract/contract.ts';
import { DEFAULT_DB, all, attachWarehouse, openWarehouse, sqlString, type Warehouse } from '../warehouse/db.ts';
import { loadFiles, loadOrder, type FileResult, type LoadOptions } from './load.ts';
import { checkMappingPatterns, readMapping } from './mapping.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { OUTPUT_CLOSED, formatRows, printSummary, progressLine, safeText, watchOutput } from './report.ts';
import { fingerprint } from './sources.ts';
import { entriesToRestore, normaliseMonth, resolveUnit, restoreEntry, unitMonthHistory } from './history.ts';

export const INBOX = 'data/inbox';

/**
 * Files under the given paths; names starting with `_` or `.` are skipped (manifests, notes), and
 * so, with a warning, are symbolic links that lead nowhere or in a circle: the rest still loads.
 */
export function expandPaths(paths: string[], warn: (message: string) => void = (m) => console.error(safeText(m))): string[] {
  const out: string[] = [];
  const walk = (p: string, folders: Set<string>, named: boolean) => {
    let st;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') throw e;
      warn(`warning: ${p}: a symbolic link that leads back to itself: skipped`);
      return;
    }
    if (!st) {
      if (lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) return warn(`warning: ${p}: a symbolic link to something that does not exist: skipped`);
      if (named) throw new Error(`${p}: no such file or folder`);
      return warn(`warning: ${p}: vanished while the folder was read: skipped`);
    }
    if (st.isDirectory()) {
      const real = realpathSync(p);
      if (folders.has(real)) return warn(`warning: ${p}: a symbolic link to a folder it is inside (a loop): skipped`);
      const inside = new Set(folders).add(real);
      for (const name of readdirSync(p).sort()) if (!name.startsWith('_') && !name.startsWith('.')) walk(join(p, name), inside, false);
    } else out.push(p);
  };
  for (const p of paths) walk(p, new Set(), true);
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

/** Loads files into an open warehouse, reporting each as it finishes (while anyone reads the output). */
export async function loadPaths(w: Warehouse, files: string[], opts: LoadOptions & { quiet?: boolean } = {}, output = { closed: false }): Promise<FileResult[]> {
  if (opts.mapping) await checkMappingPatterns(w.conn, opts.mapping);
  return loadFiles(w.conn, files, opts, (r, position) => {
    if (!opts.quiet && !output.closed) console.log(progressLine(r, position, files.length));
  });
}

const common = {
  db: { type: 'string' as const, default: DEFAULT_DB },
  mapping: { type: 'string' as const },
  table: { type: 'string' as const },
  quiet: { type: 'boolean' as const, short: 'q' },
};

export async function loadCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...common, replace: { type: 'boolean' }, restore: { type: 'boolean' } }, allowPositionals: true });
  if (values.replace && values.restore) throw new Error('--replace loads a file over what is there, --restore brings back what a file loaded before: give one of them');
  const files = expandPaths(positionals.length ? positionals : [INBOX]);
  if (!files.length) {
    console.error(`steward load: no export files under ${positionals.join(' ') || INBOX}`);
    return 1;
  }
  const mapping = values.mapping ? readMapping(values.mapping) : undefined;
  const output = watchOutput();
  const w = await openWarehouse(values.db);
  let failed = true;
  try {
    await prepare(w);
    if (values.restore) {
      const rc = await restoreFiles(w, files, mapping?.source);
      failed = false;
      return rc;
    }
    const results = await loadPaths(w, files, { mapping, table: knownTable(values.table), quiet: values.quiet, replace: values.replace, stop: () => output.closed }, output);
    failed = false;
    if (output.closed) return OUTPUT_CLOSED;
    printSummary(results, 'load');
    return results.some((r) => r.status === 'refused') ? 1 : 0;
  } finally {
    closeAfter(w, failed);
  }
}

/** Closes the warehouse; when the command already failed, that error is the one to report. */
function closeAfter(w: Warehouse, failed: boolean): void {
  try {
    w.close();
  } catch (e) {
    if (!failed) throw e;
  }
}

/** `steward load FILE --restore`: each file's replaced rows become current again. */
async function restoreFiles(w: Warehouse, files: string[], mapping: string | undefined): Promise<number> {
  let rc = 0;
  for (const path of files) {
    const fp = await fingerprint(path);
    const entries = await entriesToRestore(w.conn, fp.sha256, mapping);
    if (!entries.length) {
      console.log(`✗ ${safeText(path)}: was never loaded, so there is nothing to restore; load it (with --replace to swap the months it holds)`);
      rc = 1;
      continue;
    }
    if (entries.every((e) => Number(e.rows_superseded) === 0)) {
      console.log(`= ${safeText(path)}: file ${entries.map((e) => e.file_id).join(', ')} is current: nothing to restore`);
      continue;
    }
    for (const e of entries.filter((x) => Number(x.rows_superseded) > 0)) {
      const r = await restoreEntry(w.conn, Number(e.file_id), TABLES[e.table_name]);
      const where = r.groups.map((g) => [g.unit, g.month].filter(Boolean).join(' ')).slice(0, 6).join(', ') + (r.groups.length > 6 ? ', …' : '');
      const moved = r.displaced.map((d) => `${d.rows} rows of file ${d.fileId} (${safeText(d.path)})`).join(', ');
      console.log(`✓ ${safeText(r.part ? `${path} [${r.part}]` : path)}: file ${r.fileId} is current again for ${where}: ${r.rows} rows back in raw.${r.table}${moved ? `; ${moved} moved to the archive (steward history shows them)` : ''}`);
    }
  }
  return rc;
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

/** `steward history UNIT MONTH`: every file that supplied a unit-month, current or replaced, and by what. */
export async function historyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { db: common.db, table: common.table }, allowPositionals: true });
  if (positionals.length !== 2) {
    console.error('usage: steward history UNIT MONTH [--table TABLE] [--db FILE]   (e.g. steward history 余杭区 2024-03)');
    return 2;
  }
  if (!existsSync(values.db)) {
    console.error(`steward history: no warehouse at ${values.db} (run steward load first)`);
    return 1;
  }
  const month = normaliseMonth(positionals[1]);
  if (!month) throw new Error(`"${positionals[1]}" is not a month (2024-03, 202403 or 2024年3月)`);
  const table = knownTable(values.table);
  if (table && !TABLES[table].monthColumn) throw new Error(`--table ${table} is a register: it has no months (its rows are replaced by key)`);
  const w = await openWarehouse(values.db, { readOnly: true });
  try {
    const unit = await resolveUnit(w.conn, positionals[0]);
    if (!unit) throw new Error(`unknown unit "${positionals[0]}" (use a code, name or pinyin from the units table)`);
    const hasArchive = await all(w.conn, `select 1 from duckdb_tables() where schema_name = 'archive'`);
    const rows = hasArchive.length ? await unitMonthHistory(w.conn, unit, month, table ? [TABLES[table]] : undefined) : [];
    console.log(`${unit} ${month}: the files that supplied it`);
    if (!rows.length) {
      console.log('(no file has rows for this unit and month)');
      return 0;
    }
    console.log(formatRows(rows.map((r) => ({
      table: r.table, file: r.file_id, loaded: r.loaded_at, path: r.part ? `${r.path} [${r.part}]` : r.path, rows: r.rows,
      now: r.state === 'current' ? 'current' : `replaced by file ${r.by_file_id} (${r.reason}, ${r.replaced_at})`,
    })), 'table'));
    const replaced = [...new Set(rows.filter((r) => r.state === 'replaced').map((r) => r.path))];
    if (replaced.length) console.log(`\nsteward load FILE --restore makes a replaced file current again (e.g. steward load ${safeText(replaced[0])} --restore).`);
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

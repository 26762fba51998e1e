/** steward load | check | status | query | history */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTRACT, TABLES } from '../contract/contract.ts';
import { DEFAULT_DB, all, attachWarehouse, openWarehouse, type Warehouse } from '../warehouse/db.ts';
import { loadFiles, loadOrder, type FileResult, type LoadOptions } from './load.ts';
import { checkMappingPatterns, readMapping, type Mapping } from './mapping.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { ensureWarehouseSchema, rawColumns } from '../warehouse/schema.ts';
import { rawColumnExprs } from './validate.ts';
import { OUTPUT_CLOSED, formatRows, printSummary, progressLine, safeText, watchOutput } from './report.ts';
import { fingerprint } from './sources.ts';
import { entriesToRestore, normaliseMonth, resolveUnit, restoreEntry, unitMonthHistory } from './history.ts';

export const INBOX = 'data/inbox';

/**
 * Exit codes of `steward load` (and `check`), documented in README.md:
 *   0  every file loaded rows, or was unchanged since an earlier load (quarantined rows are
 *      reported, not failures: the rest of each file is loaded);
 *   1  at least one file was refused, or loaded no row (all quarantined or skipped);
 *      `check` also when a row would be quarantined;
 *   2  the command could not run as asked: an unknown option, no files, a mapping with problems.
 * Anything else that stops a command (the warehouse in use past the wait) exits 1 with its
 * reason; output cut off by a closed pipe ends it with 141.
 */
export const EXIT = { ok: 0, files: 1, usage: 2 } as const;

/** Whether a load's results call for exit code 1: a file refused, or one that loaded nothing. */
export function filesFailed(results: FileResult[]): boolean {
  return results.some((r) => r.status === 'refused' || (r.status !== 'unchanged' && r.rowsLoaded === 0));
}

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

/** Options, files and mapping of a load or check; a mistake in them is a usage error (exit 2). */
function parseLoadArgs(args: string[], name: 'load' | 'check') {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...common, replace: { type: 'boolean' }, restore: { type: 'boolean' } }, allowPositionals: true });
    if (name === 'check' && (values.replace || values.restore)) throw new Error('check writes nothing: --replace and --restore are options of steward load');
    if (values.replace && values.restore) throw new Error('--replace loads a file over what is there, --restore brings back what a file loaded before: give one of them');
    const mapping = values.mapping ? readMapping(values.mapping) : undefined;
    const table = knownTable(values.table);
    const files = positionals.length || name === 'load' ? expandPaths(positionals.length ? positionals : [INBOX]) : [];
    return { values, positionals, mapping, table, files };
  } catch (e) {
    console.error(`steward ${name}: ${(e as Error).message}`);
    return undefined;
  }
}

/** A mapping's patterns, tried in DuckDB before any file is read; a bad one is a usage error. */
async function patternsAccepted(w: Warehouse, mapping: Mapping | undefined, name: string): Promise<boolean> {
  if (!mapping) return true;
  try {
    await checkMappingPatterns(w.conn, mapping);
    return true;
  } catch (e) {
    console.error(`steward ${name}: ${(e as Error).message}`);
    return false;
  }
}

export async function loadCommand(args: string[]): Promise<number> {
  const parsed = parseLoadArgs(args, 'load');
  if (!parsed) return EXIT.usage;
  const { values, positionals, mapping, table, files } = parsed;
  if (!files.length) {
    console.error(`steward load: no export files under ${positionals.join(' ') || INBOX}`);
    return EXIT.usage;
  }
  const output = watchOutput();
  const w = await openWarehouse(values.db);
  let failed = true;
  try {
    await prepare(w);
    if (!(await patternsAccepted(w, mapping, 'load'))) {
      failed = false;
      return EXIT.usage;
    }
    if (values.restore) {
      const rc = await restoreFiles(w, files, mapping?.source);
      failed = false;
      return rc;
    }
    const results = await loadPaths(w, files, { mapping, table, quiet: values.quiet, replace: values.replace, stop: () => output.closed }, output);
    failed = false;
    if (output.closed) return OUTPUT_CLOSED;
    printSummary(results, 'load');
    return filesFailed(results) ? EXIT.files : EXIT.ok;
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

/** A scratch database to check files in, holding the registers (vehicles, buildings, …) of the warehouse at `db`. */
async function checkWarehouse(db: string): Promise<Warehouse> {
  const w = await openWarehouse(':memory:');
  try {
    await prepare(w);
    if (existsSync(db)) {
      // Trips are checked against the vehicles already in the warehouse, readings against its buildings.
      await attachWarehouse(w.conn, db, 'wh', { readOnly: true });
      for (const t of CONTRACT.filter((t) => !t.monthColumn)) {
        const has = await all(w.conn, `select 1 from duckdb_tables() where database_name = 'wh' and schema_name = 'raw' and table_name = ?`, [t.name]);
        if (has.length) await w.conn.run(`insert into raw.${t.name} select * from wh.raw.${t.name}`);
      }
      await w.conn.run('detach wh');
    }
    return w;
  } catch (e) {
    w.close();
    throw e;
  }
}

/**
 * The first rows of a file as a mapping would load them (checked, nothing written): what
 * `steward map` shows under its draft. Returns what it printed.
 */
export async function previewLoad(file: string, mappingPath: string, db = DEFAULT_DB, rows = 5): Promise<string> {
  const lines: string[] = [];
  const w = await checkWarehouse(db);
  try {
    const mapping = readMapping(mappingPath);
    await checkMappingPatterns(w.conn, mapping);
    const results = await loadFiles(w.conn, [file], { check: true, mapping });
    const r = results[0];
    if (r.status === 'refused') lines.push(`as drafted, the file is refused: ${r.message}`);
    else {
      const t = TABLES[mapping.table];
      const cols = rawColumns(t).map(([c]) => c).filter((c) => !c.startsWith('_'));
      // The values as the raw table would hold them (energy readings normalised), by the loader's own expressions.
      const first = await all<Record<string, unknown>>(w.conn, `select "row", outcome, ${cols.map((c) => `"${c}"::VARCHAR as "${c}"`).join(', ')} from (
          select _row as "row", case when len(problems) = 0 then 'loads' else problems[1].rule || ': ' || problems[1].reason end as outcome, ${rawColumnExprs(t).join(', ')}
          from checked order by _row limit ${rows})`);
      const shown = cols.filter((c) => first.some((x) => x[c] !== null));
      lines.push(`the first ${first.length} rows as they would load (${r.rowsLoaded} of ${r.rowsRead} rows load, ${r.rowsQuarantined} quarantined, ${r.rowsSkipped} skipped):`);
      lines.push(formatRows(first.map((x) => Object.fromEntries(['row', ...shown, 'outcome'].map((c) => [c, x[c]]))), 'table'));
      for (const warning of r.warnings) lines.push(`warning: ${warning}`);
    }
  } finally {
    w.close();
  }
  console.log(lines.join('\n'));
  return lines.join('\n');
}

/** Validates files in a scratch database: the warehouse is only read, for the registers it holds. */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseLoadArgs(args, 'check');
  if (!parsed) return EXIT.usage;
  const { values, mapping, table, files } = parsed;
  if (!files.length) {
    console.error('usage: steward check FILE… [--mapping FILE] [--table TABLE]');
    return EXIT.usage;
  }
  const w = await checkWarehouse(values.db);
  try {
    if (!(await patternsAccepted(w, mapping, 'check'))) return EXIT.usage;
    const results = await loadPaths(w, files, { mapping, table, quiet: values.quiet });
    printSummary(results, 'check');
    return filesFailed(results) || results.some((r) => r.rowsQuarantined > 0) ? EXIT.files : EXIT.ok;
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
    const hasSkipped = (await all(w.conn, `select 1 from duckdb_tables() where schema_name = 'meta' and table_name = 'skipped'`)).length > 0;
    const skippedCol = hasSkipped ? 'sum(coalesce(rows_skipped, 0))' : '0';
    const perTable = await all(w.conn, `select table_name as "table", count(*) as files, sum(rows_read) as "read", sum(rows_loaded) as loaded,
        sum(rows_quarantined) as quarantined, ${skippedCol} as skipped, sum(rows_superseded) as superseded, max(loaded_at)::VARCHAR as last_load
      from meta.load_ledger group by 1 order by 1`);
    console.log('Load ledger');
    console.log(formatRows(perTable, 'table'));
    const reasons = await all<Record<string, unknown>>(w.conn, `select table_name as "table", outcome, rule, "column", "rows", files,
        example_path || ' row ' || example_row || ': ' || example_reason as example
      from (${reasonGroupsSql(hasSkipped)}) order by "rows" desc, 1, 2, 3, 4`);
    console.log('\nRows not loaded, by rule and column (they add up to the ledger above)');
    console.log(reasons.length ? formatRows(reasons, 'table') : '(nothing quarantined or skipped)');
    return 0;
  } finally {
    w.close();
  }
}

/**
 * The grouping of quarantined and skipped rows, read from its model's SQL so that `status`, which
 * runs right after a load, and the quality page, built from the model, group alike.
 */
export function reasonGroupsSql(hasSkipped = true): string {
  const sql = readFileSync(new URL('../sql/marts/quality_quarantine_reasons.sql', import.meta.url), 'utf8').replace(/;\s*$/, '');
  // A warehouse written before rows could be skipped has no meta.skipped: it skipped none.
  return hasSkipped ? sql : sql.replace(/from meta\.skipped/, 'from meta.quarantine where false');
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

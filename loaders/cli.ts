/** steward load | check | status | query */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTRACT, TABLES } from '../contract/contract.ts';
import { DEFAULT_DB, all, attachWarehouse, openWarehouse, type Warehouse } from '../warehouse/db.ts';
import { loadFiles, loadOrder, type FileResult, type LoadOptions } from './load.ts';
import { checkMappingPatterns, readMapping, type Mapping } from './mapping.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { ensureWarehouseSchema, rawColumns } from '../warehouse/schema.ts';
import { rawColumnExprs } from './validate.ts';
import { formatRows, printSummary, progressLine } from './report.ts';

export const INBOX = 'data/inbox';

/**
 * Exit codes of `steward load` (and `check`), documented in README.md:
 *   0  every file loaded rows, or was unchanged since an earlier load (quarantined rows are
 *      reported, not failures: the rest of each file is loaded);
 *   1  at least one file was refused, or loaded no row (all quarantined or skipped);
 *      `check` also when a row would be quarantined;
 *   2  the command could not run as asked: an unknown option, no files, a mapping with problems.
 * Anything else that stops a command (the warehouse in use past the wait) exits 1 with its reason.
 */
export const EXIT = { ok: 0, files: 1, usage: 2 } as const;

/** Whether a load's results call for exit code 1: a file refused, or one that loaded nothing. */
export function filesFailed(results: FileResult[]): boolean {
  return results.some((r) => r.status === 'refused' || (r.status !== 'unchanged' && r.rowsLoaded === 0));
}

/** Options and mapping of a load or check; a mistake in them is a usage error (exit 2). */
function parseLoadArgs(args: string[], name: string) {
  try {
    const { values, positionals } = parseArgs({ args, options: common, allowPositionals: true });
    const mapping = values.mapping ? readMapping(values.mapping) : undefined;
    return { values, positionals, mapping, table: knownTable(values.table) };
  } catch (e) {
    console.error(`steward ${name}: ${(e as Error).message}`);
    return undefined;
  }
}

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
  const parsed = parseLoadArgs(args, 'load');
  if (!parsed) return EXIT.usage;
  const { values, positionals, mapping, table } = parsed;
  let files: string[];
  try {
    files = expandPaths(positionals.length ? positionals : [INBOX]);
  } catch (e) {
    console.error(`steward load: ${(e as Error).message}`);
    return EXIT.usage;
  }
  if (!files.length) {
    console.error(`steward load: no export files under ${positionals.join(' ') || INBOX}`);
    return EXIT.usage;
  }
  const w = await openWarehouse(values.db);
  try {
    await prepare(w);
    if (!(await patternsAccepted(w, mapping, 'load'))) return EXIT.usage;
    const results = await loadPaths(w, files, { mapping, table, quiet: values.quiet });
    printSummary(results, 'load');
    return filesFailed(results) ? EXIT.files : EXIT.ok;
  } finally {
    w.close();
  }
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
    const [r] = await loadFiles(w.conn, [file], { check: true, mapping });
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
  const { values, positionals, mapping, table } = parsed;
  if (!positionals.length) {
    console.error('usage: steward check FILE… [--mapping FILE] [--table TABLE]');
    return EXIT.usage;
  }
  const files = expandPaths(positionals);
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

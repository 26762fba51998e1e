/**
 * What "the warehouse never loses or invents a row" means, as queries: the ledger invariant
 * checked after every step, and a content digest that ignores only what legitimately differs
 * between two equal histories (file ids, timestamps).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { CONTRACT } from '../../contract/contract.ts';
import { all, openWarehouse } from '../../warehouse/db.ts';
import { HANG_MS } from '../helpers/wait.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'steward.js');

/**
 * Runs the steward command as a district clerk would: a separate process, from the project folder.
 * Only a hang stops it (HANG_MS; then `signal` is set), never a slow machine.
 */
export function steward(args: string[], opts: { env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL', env: { ...process.env, ...opts.env } });
}

/** The same, not waited for (to be killed, or to race another). */
export function stewardAsync(args: string[], env: Record<string, string> = {}) {
  return watched(spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A started process with what it prints so far and whether it has ended: conditions a test waits on. */
export function watched(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout?.on('data', (b) => (stdout += b));
  child.stderr?.on('data', (b) => (stderr += b));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr });
    }));
  return { child, done, stdout: () => stdout, stderr: () => stderr, exited: () => exited };
}

/** A stack-trace line, which bad input must never produce. */
export const STACK = /^\s+at .+[:(]\d+|node:internal/m;

export interface Violation { file_id: number; path: string; problem: string }

/**
 * The ledger invariant, for every file: rows read = loaded + quarantined + skipped; the raw table
 * holds exactly its loaded rows minus those replaced since, and the archive exactly those, each
 * naming a recorded replacement of this file by a known one; the quarantine holds exactly its
 * quarantined rows and meta.skipped its skipped ones; and no raw, archive or quarantine row
 * belongs to a file the ledger does not know.
 */
export async function invariantViolations(db: string): Promise<Violation[]> {
  const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
  try {
    const raw = CONTRACT.map((t) => `select '${t.name}' as table_name, _file_id, count(*) as n from raw.${t.name} group by all`).join(' union all ');
    const archive = CONTRACT.map((t) => `select '${t.name}' as table_name, a._file_id, count(*) as n,
        count(*) filter (where e.replacement_id is null or e.replaced_file_id <> a._file_id or e.table_name <> '${t.name}'
          or e.by_file_id not in (select file_id from meta.load_ledger)) as unexplained
      from archive.${t.name} a left join meta.replacements e on e.replacement_id = a._replacement_id group by all`).join(' union all ');
    return await all<Violation>(w.conn, `
      with raw_counts as (${raw}),
      archive_counts as (${archive}),
      q_counts as (select file_id, count(*) as n from meta.quarantine group by 1),
      s_counts as (select file_id, count(*) as n from meta.skipped group by 1),
      per_file as (
        select l.file_id, l.path, l.rows_read, l.rows_loaded, l.rows_quarantined, l.rows_superseded, coalesce(l.rows_skipped, 0) as rows_skipped,
          coalesce((select sum(n) from raw_counts r where r._file_id = l.file_id), 0) as in_raw,
          coalesce((select sum(n) from archive_counts a where a._file_id = l.file_id), 0) as in_archive,
          coalesce((select n from q_counts q where q.file_id = l.file_id), 0) as in_quarantine,
          coalesce((select n from s_counts s where s.file_id = l.file_id), 0) as in_skipped
        from meta.load_ledger l)
      select file_id, path, 'rows read ' || rows_read || ' <> loaded ' || rows_loaded || ' + quarantined ' || rows_quarantined || ' + skipped ' || rows_skipped as problem
        from per_file where rows_read <> rows_loaded + rows_quarantined + rows_skipped
      union all select file_id, path, 'meta.skipped holds ' || in_skipped || ' rows, ledger says ' || rows_skipped
        from per_file where in_skipped <> rows_skipped
      union all select file_id, path, 'raw holds ' || in_raw || ' rows, ledger says ' || rows_loaded || ' loaded - ' || rows_superseded || ' superseded'
        from per_file where in_raw <> rows_loaded - rows_superseded
      union all select file_id, path, 'archive holds ' || in_archive || ' rows, ledger says ' || rows_superseded || ' superseded'
        from per_file where in_archive <> rows_superseded
      union all select file_id, path, 'quarantine holds ' || in_quarantine || ' rows, ledger says ' || rows_quarantined
        from per_file where in_quarantine <> rows_quarantined
      union all select _file_id, table_name, 'raw rows of a file the ledger does not know'
        from raw_counts where _file_id not in (select file_id from meta.load_ledger)
      union all select _file_id, table_name, 'archive rows of a file the ledger does not know'
        from archive_counts where _file_id not in (select file_id from meta.load_ledger)
      union all select _file_id, table_name, unexplained || ' archived rows without a replacement naming their file and a known replacing file'
        from archive_counts where unexplained > 0
      union all select file_id, '', 'quarantine rows of a file the ledger does not know'
        from q_counts where file_id not in (select file_id from meta.load_ledger)
      order by 1`);
  } finally {
    w.close();
  }
}

/**
 * The warehouse's content with file ids replaced by file paths: raw rows, archived rows,
 * quarantine, extra columns and the ledger's counts. Two warehouses with equal snapshots hold the
 * same data.
 */
export async function snapshot(db: string, opts: { models?: string[]; upToFile?: number } = {}): Promise<Record<string, string>> {
  const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
  // With upToFile, only what belongs to the files loaded up to it: what a later load must not touch.
  const upTo = (column: string) => (opts.upToFile === undefined ? '' : ` where ${column} <= ${opts.upToFile}`);
  try {
    const out: Record<string, string> = {};
    const digest = async (name: string, sql: string) => {
      const [r] = await all<{ n: number; h: string }>(w.conn, `select count(*) as n, coalesce(sum(hash(x))::VARCHAR, '0') as h from (${sql}) x`);
      out[name] = `${r.n} rows #${r.h}`;
    };
    for (const t of CONTRACT) {
      await digest(`raw.${t.name}`, `select r.* exclude (_file_id), l.path from raw.${t.name} r join meta.load_ledger l on l.file_id = r._file_id${upTo('r._file_id')}`);
    }
    for (const t of CONTRACT) {
      await digest(`archive.${t.name}`, `select a.* exclude (_file_id, _replacement_id), l.path, e.reason, b.path as by_path from archive.${t.name} a
        join meta.load_ledger l on l.file_id = a._file_id join meta.replacements e on e.replacement_id = a._replacement_id join meta.load_ledger b on b.file_id = e.by_file_id${upTo('a._file_id')}`);
    }
    await digest('meta.quarantine', `select * exclude (file_id) from meta.quarantine${upTo('file_id')}`);
    await digest('meta.extra_columns', `select * exclude (file_id) from meta.extra_columns${upTo('file_id')}`);
    await digest('meta.skipped', `select * exclude (file_id) from meta.skipped${upTo('file_id')}`);
    await digest('meta.load_ledger', `select l.path, l.part, l.sha256, l.table_name, l.rows_read, l.rows_loaded, l.rows_quarantined, l.rows_superseded, l.rows_skipped, s.path as superseded_by, l.status, l.message, l.main_period
      from meta.load_ledger l left join meta.load_ledger s on s.file_id = l.superseded_by${upTo('l.file_id')}`);
    // Doubles to 12 significant digits: a sum of doubles may differ in its last bit from one run to
    // the next, as DuckDB's threads add partial sums in varying order.
    for (const m of opts.models ?? []) {
      const cols = await all<{ c: string; t: string }>(w.conn, `select column_name as c, data_type as t from information_schema.columns where table_schema = 'main' and table_name = ? order by ordinal_position`, [m]);
      const list = cols.map(({ c, t }) => (t === 'DOUBLE' || t === 'FLOAT' ? `format('{:.12g}', "${c}") as "${c}"` : `"${c}"`)).join(', ');
      await digest(`main.${m}`, `select ${list || '*'} from main."${m}"`);
    }
    return out;
  } finally {
    w.close();
  }
}

/** Model tables the engine has built (those with a state row). */
export async function builtModels(db: string): Promise<string[]> {
  const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
  try {
    const has = await all(w.conn, `select 1 from duckdb_tables() where schema_name = 'meta' and table_name = 'model_state'`);
    if (!has.length) return [];
    return (await all<{ model: string }>(w.conn, `select model from meta.model_state order by 1`)).map((r) => r.model);
  } finally {
    w.close();
  }
}

/** Opening the warehouse and the few query helpers every module shares. */
import { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { step } from './events.ts';

export const DEFAULT_DB = 'data/warehouse.duckdb';

export interface Warehouse {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  path: string;
  close(): void;
}

/** Another process holds the warehouse: DuckDB allows one writer (or several readers) per file. */
export class WarehouseBusyError extends Error {
  constructor(public path: string, public pid: number | undefined, waitMs: number) {
    super(`the warehouse ${path} is in use by another steward process${pid ? ` (pid ${pid})` : ''}; try again when it finishes`
      + (waitMs ? ` (waited ${(waitMs / 1000).toFixed(0)} s; STEWARD_LOCK_WAIT_MS sets how long to wait)` : ''));
  }
}

const LOCK_ERROR = /Could not set lock on file/;
const LOCK_PID = /\(PID (\d+)\)/;

/** A setting given in the environment that Steward cannot use: refused by name, never guessed around. */
export class SettingError extends Error {}

/** An environment setting, trimmed; unset and blank both mean "use the default". */
function setting(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

/** How long to wait for another process to release the warehouse: STEWARD_LOCK_WAIT_MS, else 30 s. */
export function lockWaitMs(): number {
  const given = setting('STEWARD_LOCK_WAIT_MS');
  if (given === undefined) return 30_000;
  const v = Number(given);
  if (!Number.isFinite(v) || v < 0) throw new SettingError(`STEWARD_LOCK_WAIT_MS=${JSON.stringify(given)} is not a number of milliseconds (such as 60000); unset it for the default of 30 s`);
  return v;
}

/**
 * DuckDB's buffer pool for a warehouse: STEWARD_MEMORY_LIMIT in DuckDB's syntax (2GB, 512MB,
 * 1.5GiB), else 2GB. DuckDB itself only says "Failed to set config" for a value it cannot read.
 */
export function memoryLimit(): string {
  const given = setting('STEWARD_MEMORY_LIMIT');
  if (given === undefined) return '2GB';
  if (!/^\d+(\.\d+)?\s*([KMGT]B?|[KMGT]iB|B)$/i.test(given)) {
    throw new SettingError(`STEWARD_MEMORY_LIMIT=${JSON.stringify(given)} is not a memory size (such as 4GB or 512MB); unset it for the default of 2GB`);
  }
  return given;
}

/**
 * Runs `open` until another process stops holding the warehouse: retried for a bounded time with
 * one notice on stderr, then refused with a message naming the holder — never a raw lock error.
 */
async function whenFree<T>(path: string, waitMs: number, open: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let delay = 50;
  let noticed = false;
  for (;;) {
    try {
      return await open();
    } catch (e) {
      const message = (e as Error).message;
      if (!LOCK_ERROR.test(message)) throw e;
      const pid = Number(LOCK_PID.exec(message)?.[1]) || undefined;
      const waited = Date.now() - started;
      if (waited >= waitMs) throw new WarehouseBusyError(path, pid, waitMs);
      if (!noticed) {
        console.error(`waiting for the warehouse ${path}: in use by another steward process${pid ? ` (pid ${pid})` : ''}…`);
        noticed = true;
      }
      await new Promise((r) => setTimeout(r, Math.min(delay, waitMs - waited)));
      delay = Math.min(delay * 2, 1000);
    }
  }
}

/** Opens the warehouse, waiting (STEWARD_LOCK_WAIT_MS) while another process holds it. */
export async function openWarehouse(path: string = DEFAULT_DB, opts: { readOnly?: boolean; waitMs?: number } = {}): Promise<Warehouse> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const options: Record<string, string> = {};
  if (opts.readOnly) options.access_mode = 'READ_ONLY';
  // A bounded buffer pool: big loads and model runs spill to <warehouse>.tmp instead of growing
  // past what the machine has (STEWARD_MEMORY_LIMIT, DuckDB syntax such as '3GB').
  if (path !== ':memory:') options.memory_limit = memoryLimit();
  if (path !== ':memory:' && CATALOG_NAMES_TAKEN.has(catalogName(path))) return openAttached(path, options, opts);
  const instance = await whenFree(path, opts.waitMs ?? lockWaitMs(), () => DuckDBInstance.create(path, options));
  const conn = await instance.connect();
  step('warehouse opened');
  return warehouseOf(instance, conn, path);
}

function warehouseOf(instance: DuckDBInstance, conn: DuckDBConnection, path: string): Warehouse {
  return {
    instance,
    conn,
    path,
    close() {
      step('warehouse closing');
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB names a database after its file (`raw.duckdb` is catalog `raw`). */
const catalogName = (path: string) => basename(path).replace(/\.[^.]*$/, '').toLowerCase();

/** Names a warehouse file may not give its catalog: the schemas inside it, and DuckDB's own. */
const CATALOG_NAMES_TAKEN = new Set(['raw', 'meta', 'ref', 'archive', 'main', 'temp', 'system', 'memory', 'information_schema', 'pg_catalog']);

/**
 * A warehouse whose file name would shadow a schema (`raw.duckdb` makes `raw.vehicles` ambiguous)
 * is attached under the name `warehouse` to an in-memory instance and made the default, so every
 * query reads the same as for any other file name. Spilling goes beside the file, as it would.
 */
async function openAttached(path: string, options: Record<string, string>, opts: { readOnly?: boolean; waitMs?: number }): Promise<Warehouse> {
  const { access_mode: _mode, ...rest } = options;
  const instance = await DuckDBInstance.create(':memory:', { ...rest, temp_directory: `${resolve(path)}.tmp` });
  const w = warehouseOf(instance, await instance.connect(), path);
  try {
    await whenFree(path, opts.waitMs ?? lockWaitMs(), () => w.conn.run(`attach ${sqlString(path)} as warehouse${opts.readOnly ? ' (read_only)' : ''}`));
    await w.conn.run('use warehouse');
  } catch (e) {
    w.close();
    throw e;
  }
  return w;
}

/**
 * ATTACHes the warehouse to another connection (a scratch database that reads it), waiting the
 * same way: a build or check started during a load waits for it instead of failing on the lock.
 * While attached read-only, no other process can write: what is read is one consistent state.
 */
export async function attachWarehouse(conn: DuckDBConnection, path: string, alias: string, opts: { readOnly?: boolean; waitMs?: number } = {}): Promise<void> {
  await whenFree(path, opts.waitMs ?? lockWaitMs(), () => conn.run(`attach ${sqlString(path)} as ${ident(alias)}${opts.readOnly ? ' (read_only)' : ''}`));
}

/** Rows as plain objects; BIGINT and DECIMAL come back as JS numbers, dates as ISO strings. */
export async function all<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<T[]> {
  return (await allWithColumns<T>(conn, sql, params)).rows;
}

/** The same, with the result's column names in order (known even when there is no row). */
export async function allWithColumns<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<{ columns: string[]; rows: T[] }> {
  const reader = params ? await conn.runAndReadAll(sql, params as never) : await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const numeric = reader.columnTypes().map((t) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL)/.test(t.toString()));
  const rows = reader.getRowObjectsJson().map((row) => {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]];
      if (numeric[i] && typeof v === 'string') (row as Record<string, unknown>)[names[i]] = Number(v);
    }
    return row;
  }) as T[];
  return { columns: names, rows };
}

export async function exec(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

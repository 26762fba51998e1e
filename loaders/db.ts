/** Opening the warehouse and the few query helpers every module shares. */
import { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const DEFAULT_DB = 'data/warehouse.duckdb';

export interface Warehouse {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  path: string;
  close(): void;
}

/** Another process holds the warehouse: DuckDB allows one writer (or several readers) per file. */
export class WarehouseBusyError extends Error {
  constructor(public path: string, public pid: number | undefined, waitedMs: number) {
    super(`the warehouse ${path} is in use by another steward process${pid ? ` (pid ${pid})` : ''}; try again when it finishes`
      + (waitedMs ? ` (waited ${(waitedMs / 1000).toFixed(1)} s; STEWARD_LOCK_WAIT_MS sets how long to wait)` : ''));
  }
}

const LOCK_ERROR = /Could not set lock on file/;
const LOCK_PID = /\(PID (\d+)\)/;

/** How long to wait for another process to release the warehouse: STEWARD_LOCK_WAIT_MS, else 30 s. */
export function lockWaitMs(): number {
  const v = Number(process.env.STEWARD_LOCK_WAIT_MS);
  return Number.isFinite(v) && v >= 0 ? v : 30_000;
}

/**
 * Opens the warehouse. When another process holds it (a load or a run in progress) the open is
 * retried for a bounded time, with one notice on stderr, and then refused with a message naming
 * the holder — never a raw lock error.
 */
export async function openWarehouse(path: string = DEFAULT_DB, opts: { readOnly?: boolean; waitMs?: number } = {}): Promise<Warehouse> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const options: Record<string, string> = {};
  if (opts.readOnly) options.access_mode = 'READ_ONLY';
  const waitMs = opts.waitMs ?? lockWaitMs();
  const started = Date.now();
  let delay = 50;
  let noticed = false;
  let instance: DuckDBInstance;
  for (;;) {
    try {
      instance = await DuckDBInstance.create(path, options);
      break;
    } catch (e) {
      const message = (e as Error).message;
      if (!LOCK_ERROR.test(message)) throw e;
      const pid = Number(LOCK_PID.exec(message)?.[1]) || undefined;
      const waited = Date.now() - started;
      if (waited >= waitMs) throw new WarehouseBusyError(path, pid, waited);
      if (!noticed) {
        console.error(`waiting for the warehouse ${path}: in use by another steward process${pid ? ` (pid ${pid})` : ''}…`);
        noticed = true;
      }
      await new Promise((r) => setTimeout(r, Math.min(delay, waitMs - waited)));
      delay = Math.min(delay * 2, 1000);
    }
  }
  const conn = await instance.connect();
  return {
    instance,
    conn,
    path,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Rows as plain objects; BIGINT and DECIMAL come back as JS numbers, dates as ISO strings. */
export async function all<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<T[]> {
  const reader = params ? await conn.runAndReadAll(sql, params as never) : await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const numeric = reader.columnTypes().map((t) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL)/.test(t.toString()));
  return reader.getRowObjectsJson().map((row) => {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]];
      if (numeric[i] && typeof v === 'string') (row as Record<string, unknown>)[names[i]] = Number(v);
    }
    return row;
  }) as T[];
}

export async function exec(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

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

export async function openWarehouse(path: string = DEFAULT_DB, opts: { readOnly?: boolean } = {}): Promise<Warehouse> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const options: Record<string, string> = {};
  if (opts.readOnly) options.access_mode = 'READ_ONLY';
  const instance = await DuckDBInstance.create(path, options);
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

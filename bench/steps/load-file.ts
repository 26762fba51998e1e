/**
 * Bench step: loads one export file through the Steward loader (loaders/load.ts `loadFile`) into
 * a file warehouse copied from a base that already holds the vehicles, and prints the timing.
 * Timed: everything `steward load` does for the file — hashing and UTF-8 check, header detection,
 * staging (read_csv / transcoding / XLSX or JSON parsing), parsing and validation in SQL, unit
 * resolution, duplicate and replacement checks, the write of raw rows, quarantine and ledger in
 * one transaction — and a final CHECKPOINT so the rows are in the database file.
 * Not timed: process start, opening the warehouse, the reference tables (once per command).
 *
 *   node --import tsx bench/steps/load-file.ts --base BASE.duckdb --db OUT.duckdb --file PATH
 */
import { copyFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openWarehouse } from '../../warehouse/db.ts';
import { loadFile } from '../../loaders/load.ts';
import { loadReferenceTables } from '../../warehouse/reference.ts';
import { ensureWarehouseSchema } from '../../warehouse/schema.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, db: { type: 'string' }, file: { type: 'string' } } });
if (!values.db || !values.file) throw new Error('usage: load-file.ts [--base BASE.duckdb] --db OUT.duckdb --file PATH');
rmSync(values.db, { force: true });
rmSync(`${values.db}.wal`, { force: true });
if (values.base) copyFileSync(values.base, values.db);
const w = await openWarehouse(values.db);
await ensureWarehouseSchema(w.conn);
await loadReferenceTables(w.conn);
await warmPageCache(values.file);
const started = performance.now();
const cpu0 = process.cpuUsage();
const r = await loadFile(w.conn, values.file);
await w.conn.run('checkpoint');
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
w.close();
console.log(JSON.stringify({ seconds, cpuSeconds, status: r.status, message: r.message, rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsQuarantined: r.rowsQuarantined, bytes: r.bytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

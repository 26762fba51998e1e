/**
 * Bench step: the physical limit a CSV load is compared with — DuckDB alone reading the same
 * file into a table of a new database file: `create table t as select * from read_csv(PATH)`
 * (DuckDB's own dialect and type detection, every thread), then CHECKPOINT so the rows are in the
 * database file. No hashing, no validation, no row numbers, no quarantine, no ledger.
 *
 * With --row-numbers, the same read numbers its rows in file order (`row_number() over ()`, the
 * one order-keeping row number DuckDB's read_csv allows, which runs on a single thread): what the
 * contract's row numbers cost before anything is checked.
 *
 *   node --import tsx bench/steps/bare-read-csv.ts --db OUT.duckdb --file PATH [--row-numbers]
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, file: { type: 'string' }, 'row-numbers': { type: 'boolean' } } });
if (!values.db || !values.file) throw new Error('usage: bare-read-csv.ts --db OUT.duckdb --file PATH [--row-numbers]');
rmSync(values.db, { force: true });
rmSync(`${values.db}.wal`, { force: true });
const db = await DuckDBInstance.create(values.db);
const conn = await db.connect();
await warmPageCache(values.file);
const started = performance.now();
const cpu0 = process.cpuUsage();
await conn.run(`create table t as select ${values['row-numbers'] ? 'row_number() over () as _row, ' : ''}* from read_csv('${values.file.replace(/'/g, "''")}')`);
await conn.run('checkpoint');
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rows = Number((await conn.runAndReadAll('select count(*) from t')).getRows()[0][0]);
conn.closeSync();
db.closeSync();
console.log(JSON.stringify({ seconds, cpuSeconds, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

/**
 * Bench step: the floor under any checked CSV load — DuckDB filling Steward's own raw table from
 * the file with nothing checked. Each contract column is read by read_csv with its warehouse type
 * (DuckDB's own typed parsing, every thread), the unit cell is taken as written, and the rows are
 * inserted into raw.<table> in one transaction, then CHECKPOINT, as load-file.ts does. No hashing,
 * no header detection, no unit resolution, no rules, no duplicates, no row numbers, no quarantine,
 * no ledger: a cell that does not parse fails the whole statement. Afterwards, and timed apart,
 * the one check the contract makes unavoidable: grouping the file's rows by key for duplicates. What separates this from bare
 * read_csv is the contract's table itself (its columns and types); what separates the loader from
 * this is everything the loader checks.
 *
 *   node --import tsx bench/steps/unchecked-insert-csv.ts --base BASE.duckdb --db OUT.duckdb --file PATH
 */
import { copyFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { duckType } from '../../loaders/contract.ts';
import { ident, openWarehouse, sqlString } from '../../loaders/db.ts';
import { detectHeader, mapHeaders } from '../../loaders/headers.ts';
import { ensureWarehouseSchema, rawColumns } from '../../loaders/schema.ts';
import { readHead, sniffDelimiter, splitCsvLines } from '../../loaders/sources.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, db: { type: 'string' }, file: { type: 'string' } } });
if (!values.db || !values.file) throw new Error('usage: unchecked-insert-csv.ts [--base BASE.duckdb] --db OUT.duckdb --file PATH');
const file = values.file;
rmSync(values.db, { force: true });
rmSync(`${values.db}.wal`, { force: true });
if (values.base) copyFileSync(values.base, values.db);

// The header row and the table, found as the loader finds them (not timed).
const text = (await readHead(file)).toString('utf8').replace(/^\uFEFF/, '');
const delim = sniffDelimiter(text);
const preview = splitCsvLines(text, delim, 31);
const det = detectHeader(preview);
if (!det.table) throw new Error(`${file}: ${det.reason ?? 'no header row found'}`);
const headers = preview[det.headerRow];
const mapping = mapHeaders(det.table, headers);
const byIndex = new Map(mapping.columns.map((mc) => [mc.index, mc.column]));
// Each cell typed by read_csv itself (a coded column such as purpose is kept as written);
// unmapped cells are read as text and not kept.
const columns = headers.map((_, i) => {
  const c = byIndex.get(i);
  return `'c${i}': '${c && c.name !== 'unit' && !c.values ? duckType(c) : 'VARCHAR'}'`;
}).join(', ');
const indexOf = new Map(mapping.columns.map((mc) => [mc.column.name, mc.index]));
const select = rawColumns(det.table).map(([name, type]) => {
  const source = name === 'unit_code' ? 'unit' : name;
  const i = indexOf.get(source);
  if (name === '_file_id') return '0';
  return i === undefined ? `null::${type}` : `c${i}`;
});

const w = await openWarehouse(values.db);
await ensureWarehouseSchema(w.conn);
await warmPageCache(file);
const started = performance.now();
const cpu0 = process.cpuUsage();
await w.conn.run('begin transaction');
await w.conn.run(`insert into raw.${det.table.name} select ${select.join(', ')}
  from read_csv(${sqlString(file)}, header = false, skip = ${det.headerRow + 1}, delim = ${sqlString(delim)}, quote = '"', escape = '"',
    auto_detect = false, columns = {${columns}})`);
await w.conn.run('commit');
await w.conn.run('checkpoint');
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
// One check no load can skip, timed apart: are the file's keys unique? (contract: a repeated
// key is quarantined, so every load groups the file's rows by key at least once.)
const keyStarted = performance.now();
const key = det.table.key.map(ident).join(', ');
const repeated = Number((await w.conn.runAndReadAll(`select count(*) from (select ${key} from raw.${ident(det.table.name)} where _file_id = 0 group by all having count(*) > 1)`)).getRows()[0][0]);
const keyCheckSeconds = (performance.now() - keyStarted) / 1000;
const rows = Number((await w.conn.runAndReadAll(`select count(*) from raw.${ident(det.table.name)} where _file_id = 0`)).getRows()[0][0]);
w.close();
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, keyCheckSeconds, repeatedKeys: repeated, rows, table: det.table.name, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

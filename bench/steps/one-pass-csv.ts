/**
 * Bench step: the floor under any checked CSV load, DuckDB filling Steward's own raw table from the
 * file in one statement. Each contract column is read by read_csv with its warehouse type (DuckDB's
 * own typed parsing, every thread), the unit cell is taken as written, and the rows are inserted
 * into raw.<table> in one transaction, then CHECKPOINT, as load-file.ts does. No hashing, no header
 * detection, no unit resolution, no rules, no duplicates, no row numbers, no quarantine, no ledger:
 * a cell that does not parse fails the whole statement. Afterwards, and timed apart, the one check
 * the contract makes unavoidable: grouping the file's rows by key for duplicates. What separates
 * this from bare read_csv is the contract's table itself (its columns and types); what separates
 * the loader from this is everything the loader checks.
 *
 * With --row-checks, the same single statement also does what the loader checks row by row: text
 * trimmed, units resolved through the units table, non-finite numbers refused and money rounded as
 * the loader does, required columns, ranges, the contract's cross-column rules and references;
 * only rows that pass are inserted. Still no row numbers, no quarantine (failing rows are dropped)
 * and no ledger: what a load that reads each file once could cost at best, before those.
 *
 *   node --import tsx bench/steps/one-pass-csv.ts --base BASE.duckdb --db OUT.duckdb --file PATH [--row-checks]
 */
import { copyFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { duckType, type Column } from '../../contract/contract.ts';
import { ident, openWarehouse, sqlString } from '../../warehouse/db.ts';
import { detectHeader, mapHeaders } from '../../loaders/headers.ts';
import { ensureWarehouseSchema, rawColumns } from '../../warehouse/schema.ts';
import { readHead, sniffDelimiter, splitCsvLines } from '../../loaders/sources.ts';
import { installParsers, ruleCondition } from '../../loaders/validate.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, db: { type: 'string' }, file: { type: 'string' }, 'row-checks': { type: 'boolean' } } });
if (!values.db || !values.file) throw new Error('usage: one-pass-csv.ts [--base BASE.duckdb] --db OUT.duckdb --file PATH [--row-checks]');
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
const checks = !!values['row-checks'];
const t = det.table;
// Each cell typed by read_csv itself (a coded column such as purpose is kept as written; with row
// checks, money is read as a number and rounded as the loader rounds it); unmapped cells are read
// as text and not kept.
const readType = (c: Column | undefined) => (!c || c.name === 'unit' || c.values ? 'VARCHAR' : checks && c.type === 'money' ? 'DOUBLE' : duckType(c));
const columns = headers.map((_, i) => `'c${i}': '${readType(byIndex.get(i))}'`).join(', ');
const indexOf = new Map(mapping.columns.map((mc) => [mc.column.name, mc.index]));
const read = `read_csv(${sqlString(file)}, header = false, skip = ${det.headerRow + 1}, delim = ${sqlString(delim)}, quote = '"', escape = '"',
    auto_detect = false, columns = {${columns}})`;
let insert: string;
if (!checks) {
  const select = rawColumns(t).map(([name, type]) => {
    const i = indexOf.get(name === 'unit_code' ? 'unit' : name);
    if (name === '_file_id') return '0';
    return i === undefined ? `null::${type}` : `c${i}`;
  });
  insert = `insert into raw.${t.name} select ${select.join(', ')} from ${read}`;
} else {
  // Each contract column by its name, as the rules and references name them.
  const parsed = t.columns.map((c) => {
    const i = indexOf.get(c.name);
    if (c.name === 'unit') return i === undefined ? 'null::VARCHAR as unit_code' : `coalesce(ux.unit_code, ua.unit_code) as unit_code`;
    if (i === undefined) return `null::${duckType(c)} as ${ident(c.name)}`;
    const cell = `f.c${i}`;
    const e = c.type === 'text' || c.values ? `nullif(trim(${cell}), '')` : c.type === 'num' ? `st_finite(${cell})` : c.type === 'money' ? `try_cast(round(st_finite(${cell}), 2) as DECIMAL(18,2))` : cell;
    return `${e} as ${ident(c.name)}`;
  });
  const unitCell = indexOf.get('unit');
  // A unit written exactly as a key of the alias table needs no normalising (st_key of a key is the
  // key); only the other spellings go through st_key's regular expressions.
  const unitJoin = (cell: string) => `left join st_unit_alias ux on ux.alias = ${cell}
      left join st_unit_alias ua on ua.alias = case when ux.unit_code is null then st_key(${cell}) end`;
  const refs = t.references ?? [];
  const fails = [
    ...t.columns.filter((c) => c.required).map((c) => `${ident(c.name === 'unit' ? 'unit_code' : c.name)} is null`),
    ...t.columns.filter((c) => c.min !== undefined).map((c) => `${ident(c.name)} ${c.minInclusive ? '<' : '<='} ${c.min}`),
    ...t.columns.filter((c) => c.max !== undefined).map((c) => `${ident(c.name)} > ${c.max}`),
    ...(t.rules ?? []).map((r) => `(${ruleCondition(r)})`),
    ...refs.map((r, k) => `(${ident(r.column)} is not null and _r${k}._key is null)`),
  ];
  const out = rawColumns(t).map(([name]) => (name === '_file_id' ? '0' : name === '_row' ? 'null' : `p.${ident(name)}`));
  insert = `insert into raw.${t.name} select ${out.join(', ')}
    from (select ${parsed.join(', ')} from ${read} f
      ${unitCell === undefined ? '' : unitJoin(`f.c${unitCell}`)}) p
    ${refs.map((r, k) => `left join (select distinct ${ident(r.targetColumn)} as _key from raw.${r.table}) _r${k} on _r${k}._key = p.${ident(r.column)}`).join('\n    ')}
    where not coalesce(${fails.join(' or ') || 'false'}, false)`;
}

const w = await openWarehouse(values.db);
await ensureWarehouseSchema(w.conn);
if (checks) await installParsers(w.conn);
await warmPageCache(file);
const started = performance.now();
const cpu0 = process.cpuUsage();
await w.conn.run('begin transaction');
await w.conn.run(insert);
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

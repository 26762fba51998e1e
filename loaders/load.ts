/**
 * Loading one export file: fingerprint → stage → parse and validate in SQL → duplicates and
 * replacement → one transaction that writes raw rows, quarantine and the ledger together.
 * Every row read ends in exactly one place: loaded or quarantined.
 */
import { readFileSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { CONTRACT, TABLES, type Table } from './contract.ts';
import { all, ident, sqlString } from './db.ts';
import { detectHeader, mapHeaders, type HeaderMapping } from './headers.ts';
import {
  FileError, StagingAppender, fingerprint, formatOf, jsonValueText, readHead, scratchDir, sniffDelimiter, splitCsvLines,
  stageCsv, transcodeToUtf8, type Fingerprint, type Format,
} from './sources.ts';
import { readXlsxRows, XlsxError } from './xlsx.ts';
import { installParsers, planDerived, planValidation, rawColumnExprs } from './validate.ts';
import { mappedHeaders, mappingSql, type Mapping } from './mapping.ts';

export interface FileResult {
  path: string;
  table?: string;
  format?: Format;
  encoding?: string;
  status: 'loaded' | 'unchanged' | 'refused' | 'checked';
  message?: string;
  fileId?: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  rowsSuperseded: number;
  units: string[];
  months: string[];
  extras: string[];
  reasons: { rule: string; column: string; count: number; example: string; row: number }[];
  bytes: number;
  seconds: number;
}

export interface LoadOptions {
  /** Validate only: nothing is written (the connection is a scratch database). */
  check?: boolean;
  /** A mapping for a foreign source (data/mappings/<source>.yaml). */
  mapping?: Mapping;
  /** Table named by the caller; otherwise from the folder, otherwise from the header row. */
  table?: string;
}

/** Table known from the file's place: a folder named like a contract table (data/inbox/<table>/…). */
export function tableFromPath(path: string): Table | undefined {
  const parts = resolve(path).split(sep);
  for (let i = parts.length - 2; i >= 0; i--) if (Object.hasOwn(TABLES, parts[i])) return TABLES[parts[i]];
  return undefined;
}

/** The month a fact row belongs to, for replacement; dimension tables have none. */
export function monthExpr(t: Table, alias = ''): string | undefined {
  // A procurement not yet awarded has no contract date: its announcement month places it.
  if (t.name === 'procurement') return `strftime(coalesce(${alias}contracted_on, ${alias}announced_on), '%Y-%m')`;
  return t.monthColumn ? `strftime(${alias}${ident(t.monthColumn)}, '%Y-%m')` : undefined;
}

const keyExpr = (t: Table, alias = '') => t.key.map((k) => `${alias}${ident(k)}`).join(', ');
const keyText = (t: Table, alias = '') => (t.key.length === 1 ? `${alias}${ident(t.key[0])}::VARCHAR` : `concat_ws(' / ', ${t.key.map((k) => `${alias}${ident(k)}::VARCHAR`).join(', ')})`);

const parsersInstalled = new WeakSet<DuckDBConnection>();
async function ensureParsers(conn: DuckDBConnection): Promise<void> {
  if (!parsersInstalled.has(conn)) {
    await installParsers(conn);
    parsersInstalled.add(conn);
  }
}

interface Staged {
  table: Table;
  mapping: HeaderMapping;
  rowsRead: number;
  format: Format;
  encoding: string;
  fileProblem?: string;
  /** Header cells as written in the file. */
  headers: string[];
}

async function stage(conn: DuckDBConnection, path: string, fp: Fingerprint, opts: LoadOptions): Promise<Staged> {
  const head = await readHead(path);
  const format = formatOf(path, head);
  if (!format) throw new FileError(path, 'is not a CSV, TSV, XLSX, JSON or NDJSON file (judged by its extension)');
  const known = opts.table ? TABLES[opts.table] : opts.mapping ? TABLES[opts.mapping.table] : tableFromPath(path);
  const decode = (buf: Buffer) => (fp.encoding === 'gb18030' ? iconv.decode(buf, 'gb18030') : buf.toString('utf8').replace(/^\uFEFF/, ''));

  const finish = (headers: string[], rowsRead: number, headerRow: number, detected: Table): Staged => {
    const renamed = opts.mapping ? mappedHeaders(opts.mapping, headers) : headers;
    const mapping = mapHeaders(detected, renamed);
    let fileProblem: string | undefined;
    if (mapping.missingRequired.length) {
      fileProblem = `required column ${mapping.missingRequired.map((c) => `${c.zh} (${c.name})`).join(', ')} is missing from the header row (row ${headerRow + 1})`;
    }
    // A workbook's text is UTF-8 by definition; the byte-level guess applies to text files only.
    return { table: detected, mapping, rowsRead, format, encoding: format === 'xlsx' ? 'xlsx' : fp.encoding, fileProblem, headers };
  };

  if (format === 'csv') {
    if (head.length === 0) throw new FileError(path, 'is empty');
    if (head.includes(0) && fp.encoding !== 'utf-8') throw new FileError(path, 'is not a text file (binary content)');
    const text = decode(head);
    const delim = path.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(text);
    const preview = splitCsvLines(text, delim, 31);
    const rows = opts.mapping ? preview.slice(opts.mapping.skip_rows ?? 0) : preview;
    const det = detectHeader(opts.mapping ? rows.map((r) => mappedHeaders(opts.mapping!, r)) : rows, known);
    if (!det.table) throw new FileError(path, det.reason ?? 'no header row found');
    const headerRow = det.headerRow + (opts.mapping?.skip_rows ?? 0);
    const headers = preview[headerRow];
    const scratch = scratchDir();
    try {
      const csvPath = fp.encoding === 'gb18030' ? await transcodeToUtf8(path, 'gb18030', scratch.dir) : path;
      const rowsRead = await stageCsv(conn, path, csvPath, headerRow, headers, delim, 'src');
      return finish(headers, rowsRead, headerRow, det.table);
    } finally {
      scratch.dispose();
    }
  }

  if (format === 'xlsx') {
    const iter = readXlsxRows(path);
    const buffered: { number: number; cells: (string | null)[] }[] = [];
    let next = await iter.next();
    while (!next.done && buffered.length < 30) {
      buffered.push(next.value);
      next = await iter.next();
    }
    const grid = buffered.map((r) => r.cells.map((c) => c ?? ''));
    const det = detectHeader(opts.mapping ? grid.map((r) => mappedHeaders(opts.mapping!, r)) : grid, known);
    if (!det.table) throw new FileError(path, det.reason ?? 'no header row found');
    const headers = grid[det.headerRow];
    const app = new StagingAppender(conn, 'src', headers.length);
    await app.open();
    const push = (r: { number: number; cells: (string | null)[] }) => {
      if (r.cells.some((c) => c !== null && c !== '')) app.append(r.number, r.cells);
    };
    buffered.slice(det.headerRow + 1).forEach(push);
    while (!next.done) {
      push(next.value);
      next = await iter.next();
    }
    app.close();
    return finish(headers, app.rows, buffered[det.headerRow].number - 1, det.table);
  }

  // JSON array or NDJSON: keys become headers, in order of first appearance.
  const text = decode(readFileSync(path));
  const records: { row: number; value?: Record<string, unknown>; error?: string }[] = [];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new FileError(path, `is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new FileError(path, 'is JSON but not an array of records ([{…}, {…}])');
    parsed.forEach((v, i) => records.push(v && typeof v === 'object' && !Array.isArray(v) ? { row: i + 1, value: v as Record<string, unknown> } : { row: i + 1, error: 'element is not an object' }));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = JSON.parse(line);
        records.push(v && typeof v === 'object' && !Array.isArray(v) ? { row: i + 1, value: v } : { row: i + 1, error: 'line is not a JSON object' });
      } catch {
        records.push({ row: i + 1, error: 'line is not valid JSON' });
      }
    });
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.value ?? {})) if (!seen.has(k)) (seen.add(k), keys.push(k));
  const det = detectHeader([opts.mapping ? mappedHeaders(opts.mapping, keys) : keys], known);
  if (!det.table) throw new FileError(path, det.reason ?? 'the records name no known table');
  const app = new StagingAppender(conn, 'src', keys.length);
  await app.open();
  for (const r of records) app.append(r.row, keys.map((k) => jsonValueText(r.value?.[k])), r.error ?? null);
  app.close();
  return finish(keys, app.rows, 0, det.table);
}

/** Loads (or, with check, validates) one file. Never throws for bad input: a refused file is a result. */
/** STEWARD_PROFILE=1 prints how long each step of a load takes. */
const profile = process.env.STEWARD_PROFILE ? (label: string, since: number) => console.error(`  ${label}: ${((performance.now() - since) / 1000).toFixed(2)} s`) : () => {};

export async function loadFile(conn: DuckDBConnection, path: string, opts: LoadOptions = {}): Promise<FileResult> {
  const started = performance.now();
  let mark = started;
  const lap = (label: string) => {
    profile(label, mark);
    mark = performance.now();
  };
  const shownPath = relative(process.cwd(), resolve(path)) || basename(path);
  const result: FileResult = { path: shownPath, status: 'refused', rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, rowsSuperseded: 0, units: [], months: [], extras: [], reasons: [], bytes: 0, seconds: 0 };
  let fp: Fingerprint;
  try {
    fp = await fingerprint(path);
  } catch (e) {
    result.message = `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    return result;
  }
  result.bytes = fp.bytes;
  lap('fingerprint');
  await ensureParsers(conn);
  if (!opts.check) {
    // The same file read through another mapping (one source feeding two tables) is another load.
    const prior = await all<{ path: string }>(conn, `select path from meta.load_ledger where sha256 = ? and coalesce(mapping, '') = ? and status = 'loaded' limit 1`, [fp.sha256, opts.mapping?.source ?? '']);
    if (prior.length) {
      result.status = 'unchanged';
      result.message = prior[0].path === shownPath ? 'already loaded' : `same content as ${prior[0].path}, already loaded`;
      result.seconds = (performance.now() - started) / 1000;
      return result;
    }
  }

  let staged: Staged;
  try {
    staged = await stage(conn, path, fp, opts);
  } catch (e) {
    result.message = e instanceof FileError ? e.message.replace(`${path}: `, '') : e instanceof XlsxError ? e.message : `cannot be read: ${(e as Error).message}`;
    result.seconds = (performance.now() - started) / 1000;
    return result;
  }
  lap('stage');
  if (!staged.rowsRead) return Object.assign(result, { table: staged.table.name, message: 'has a header row but no data rows: nothing to load', seconds: (performance.now() - started) / 1000 });
  const t = staged.table;
  if (opts.mapping) {
    for (const stmt of mappingSql(opts.mapping, staged.headers)) await conn.run(stmt);
    // An unpivoting mapping turns one source row into several records; each is accounted for.
    staged.rowsRead = Number((await all<{ n: number }>(conn, 'select count(*)::BIGINT n from src'))[0].n);
  }
  Object.assign(result, { table: t.name, format: staged.format, encoding: staged.encoding, rowsRead: staged.rowsRead });
  result.extras = [...staged.mapping.extras.map((x) => x.header), ...staged.mapping.duplicates.map((d) => `${d.header} (second header for ${d.column})`)];

  const plan = planValidation(staged.mapping, { fileLevelProblem: staged.fileProblem });
  for (const stmt of plan.prepare) await conn.run(stmt);
  const month = monthExpr(t);
  await conn.run(planDerived(t, plan.parseSql, { month }));
  lap('parse and check');
  const fileId = opts.check ? 0 : Number((await all<{ id: number }>(conn, `select nextval('meta.file_id_seq') as id`))[0].id);

  // Duplicates inside the file: the first clean row of a key stays, later copies are quarantined.
  // CREATE … AS reports how many rows it wrote: most files have no duplicate and skip the update.
  const dupCount = (await conn.runAndReadAll(`create or replace temp table dup_keys as
    select ${keyExpr(t)}, min(_row) as _first_row from checked where len(problems) = 0 group by all having count(*) > 1`)).getRows()[0]?.[0];
  if (dupCount === undefined || Number(dupCount) > 0) await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
      'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in row ' || d._first_row::VARCHAR || ' of this file'})
    from dup_keys d where len(checked.problems) = 0 and checked._row <> d._first_row and ${t.key.map((k) => `checked.${ident(k)} = d.${ident(k)}`).join(' and ')}`);

  // What this file replaces: earlier rows of the same unit and month (facts) or the same key (dimensions).
  const cleanUnits = (await all<{ u: string }>(conn, `select distinct unit_code as u from checked where len(problems) = 0 and unit_code is not null order by 1`)).map((r) => r.u);
  // A literal range on the month column lets DuckDB skip the row groups of other months.
  const range = month && t.name !== 'procurement'
    ? (await all<{ lo: string | null; hi: string | null }>(conn, `select min(_month) || '-01' as lo, strftime(max(_month || '-01')::DATE + interval 1 month, '%Y-%m-%d') as hi from checked where len(problems) = 0`))[0]
    : undefined;
  const pruned = range?.lo && range.hi ? ` and r.${ident(t.monthColumn!)} >= '${range.lo}' and r.${ident(t.monthColumn!)} < '${range.hi}'` : '';
  const replaceWhere = month
    ? `(r.unit_code, ${monthExpr(t, 'r.')}) in (select distinct unit_code, _month from checked where len(problems) = 0)`
    : `(${keyExpr(t, 'r.')}) in (select ${keyExpr(t)} from checked where len(problems) = 0)`;
  await conn.run(`create or replace temp table superseded as select r._file_id, r._row, ${keyExpr(t, 'r.')} from raw.${t.name} r where ${replaceWhere}${pruned}`);

  // Duplicates against other files that stay.
  if (month) {
    await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
        'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in file ' || l.path || ' (row ' || r._row::VARCHAR || ')'})
      from raw.${t.name} r join meta.load_ledger l on l.file_id = r._file_id
      where len(checked.problems) = 0 and ${t.key.map((k) => `r.${ident(k)} = checked.${ident(k)}`).join(' and ')}
        and not exists (select 1 from superseded s where s._file_id = r._file_id and s._row = r._row)`);
  }

  lap('replacement and duplicates across files');
  const counts = (await all<{ ok: number; bad: number }>(conn, `select count(*) filter (where len(problems) = 0) as ok, count(*) filter (where len(problems) > 0) as bad from checked`))[0];
  result.rowsLoaded = counts.ok;
  result.rowsQuarantined = counts.bad;
  result.units = cleanUnits;
  if (month) result.months = (await all<{ m: string }>(conn, `select distinct _month as m from checked where len(problems) = 0 and _month is not null order by 1`)).map((r) => r.m);
  result.reasons = await all(conn, `select problems[1].rule as rule, problems[1]."column" as "column", count(*)::BIGINT as count, min(problems[1].reason) as example, min(_row) as "row"
    from checked where len(problems) > 0 group by all order by count desc, rule`);
  result.rowsSuperseded = Number((await all<{ n: number }>(conn, 'select count(*)::BIGINT n from superseded'))[0].n);

  lap('counts');
  if (opts.check) {
    result.status = 'checked';
    result.seconds = (performance.now() - started) / 1000;
    return result;
  }

  const record = `to_json(struct_pack(${staged.mapping.columns.map((mc) => `${ident(mc.column.name)} := ${ident(mc.column.name + '__raw')}`).join(', ') || "x := null"}))`;
  await conn.run('begin transaction');
  try {
    await conn.run(`update meta.load_ledger l set rows_superseded = rows_superseded + s.n, superseded_by = ${fileId}
      from (select _file_id, count(*) n from superseded group by 1) s where l.file_id = s._file_id`);
    await conn.run(`delete from raw.${t.name} r where exists (select 1 from superseded s where s._file_id = r._file_id and s._row = r._row)`);
    await conn.run(`insert into raw.${t.name} select ${rawColumnExprs(t).join(', ')}, ${fileId}::BIGINT, _row from checked where len(problems) = 0`);
    await conn.run(`insert into meta.quarantine select ${fileId}, ${sqlString(shownPath)}, ${sqlString(t.name)}, _row, problems[1]."column", problems[1].rule, problems[1].reason,
        list_transform(problems, p -> p.reason), unit_code, ${record} from checked where len(problems) > 0`);
    for (const x of result.extras) await conn.run(`insert into meta.extra_columns values (${fileId}, ${sqlString(shownPath)}, ${sqlString(x)})`);
    await conn.run(`insert into meta.load_ledger values (${fileId}, ${sqlString(shownPath)}, ${sqlString(fp.sha256)}, ${sqlString(t.name)}, ${sqlString(staged.format)},
        ${sqlString(staged.encoding)}, ${listLiteral(result.units)}, ${listLiteral(result.months)}, ${result.rowsRead}, ${result.rowsLoaded}, ${result.rowsQuarantined},
        0, null, 'loaded', ${staged.fileProblem ? sqlString(staged.fileProblem) : 'null'}, now()::TIMESTAMP, ${opts.mapping ? sqlString(opts.mapping.source) : 'null'})`);
    const check = (await all<{ n: number }>(conn, `select count(*)::BIGINT n from raw.${t.name} where _file_id = ${fileId}`))[0].n
      + (await all<{ n: number }>(conn, `select count(*)::BIGINT n from meta.quarantine where file_id = ${fileId}`))[0].n;
    if (check !== result.rowsRead) throw new Error(`internal accounting error: ${result.rowsRead} rows read but ${check} written`);
    await conn.run('commit');
    lap('write');
  } catch (e) {
    await conn.run('rollback');
    throw e;
  }
  result.status = 'loaded';
  result.fileId = fileId;
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const listLiteral = (xs: string[]) => (xs.length ? `[${xs.map(sqlString).join(', ')}]::VARCHAR[]` : '[]::VARCHAR[]');

/** Dimension tables first, so trips find their vehicles and readings their buildings. */
export function loadOrder(paths: string[]): string[] {
  const rank = (p: string) => {
    const t = tableFromPath(p);
    const i = t ? CONTRACT.findIndex((c) => c.name === t.name) : CONTRACT.length;
    const dimension = t && !t.monthColumn ? 0 : 1;
    return [dimension, i] as const;
  };
  return [...paths].sort((a, b) => {
    const [da, ia] = rank(a);
    const [db, ib] = rank(b);
    return da - db || ia - ib || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/**
 * Loading one export file: fingerprint → stage → parse and validate in SQL → duplicates and
 * replacement → one transaction that writes raw rows, quarantine and the ledger together.
 * Every row read ends in exactly one place: loaded or quarantined.
 */
import { readFileSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { CONTRACT, TABLES, type Table } from '../contract/contract.ts';
import { all, ident, sqlString } from '../warehouse/db.ts';
import { step } from '../warehouse/events.ts';
import { stopwatch } from '../warehouse/profile.ts';
import { monthExpr } from '../warehouse/schema.ts';
import { detectHeader, mapHeaders, type HeaderMapping } from './headers.ts';
import {
  FileError, StagingAppender, fingerprint, formatOf, jsonValueText, readHead, scratchDir, sniffDelimiter, splitCsvLines,
  stageCsv, transcodeToUtf8, type Fingerprint, type Format,
} from './sources.ts';
import { readXlsxRowBatches, XlsxError, type XlsxRow } from './xlsx.ts';
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
  /** Staged without _row and _error: a row's number is its rowid plus this. */
  rowFromRowid?: number;
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
      // A mapping rewrites the staging table by its row numbers; otherwise they come from rowid.
      const rowsRead = await stageCsv(conn, path, csvPath, headerRow, headers, delim, 'src', !!opts.mapping);
      const staged = finish(headers, rowsRead, headerRow, det.table);
      if (!opts.mapping) staged.rowFromRowid = headerRow + 2;
      return staged;
    } finally {
      scratch.dispose();
    }
  }

  if (format === 'xlsx') {
    const iter = readXlsxRowBatches(path);
    const buffered: XlsxRow[] = [];
    let next = await iter.next();
    while (!next.done && buffered.length < 30) {
      for (const r of next.value) buffered.push(r);
      next = await iter.next();
    }
    const grid = buffered.slice(0, 30).map((r) => r.cells.map((c) => c ?? ''));
    const det = detectHeader(opts.mapping ? grid.map((r) => mappedHeaders(opts.mapping!, r)) : grid, known);
    if (!det.table) throw new FileError(path, det.reason ?? 'no header row found');
    const headers = grid[det.headerRow];
    const app = new StagingAppender(conn, 'src', headers.length);
    await app.open();
    const push = (r: XlsxRow) => {
      if (r.cells.some((c) => c !== null && c !== '')) app.append(r.number, r.cells);
    };
    buffered.slice(det.headerRow + 1).forEach(push);
    while (!next.done) {
      next.value.forEach(push);
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

/** A file staged into its own temp table, waiting to be parsed and checked with its batch. */
interface Pending {
  /** Position in the caller's list of files. */
  index: number;
  path: string;
  fp: Fingerprint;
  staged: Staged;
  stagingTable: string;
  result: FileResult;
}

/**
 * Files of one table whose columns sit in the same places are parsed, checked and written together:
 * one parse query and one transaction for a batch instead of twenty statements per file, which is
 * what a month's worth of small district exports costs. A batch is bounded so memory stays bounded.
 */
const BATCH_ROWS = 500_000;
const BATCH_FILES = 200;

function batchSignature(s: Staged, opts: LoadOptions, index: number): string {
  // A mapped source rebuilds its staging table by its own rules: it is parsed on its own.
  if (opts.mapping) return `mapping:${index}`;
  const m = s.mapping;
  return JSON.stringify([s.table.name, s.headers.length, m.columns.map((c) => [c.column.name, c.index, c.scale, c.quantityUnit ?? null]), m.badUnits, s.fileProblem ?? null]);
}

let stagingSeq = 0;

/**
 * First half of a load: fingerprint, the ledger's "already loaded", staging into a temp table.
 * Returns the file's final result when there is nothing to parse (unchanged, refused, empty).
 */
async function prepareFile(conn: DuckDBConnection, path: string, index: number, opts: LoadOptions, seen: Map<string, string>): Promise<FileResult | Pending> {
  const started = performance.now();
  const lap = stopwatch();
  const shownPath = relative(process.cwd(), resolve(path)) || basename(path);
  const result: FileResult = { path: shownPath, status: 'refused', rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, rowsSuperseded: 0, units: [], months: [], extras: [], reasons: [], bytes: 0, seconds: 0 };
  const done = (extra: Partial<FileResult>) => Object.assign(result, extra, { seconds: (performance.now() - started) / 1000 });
  let fp: Fingerprint;
  try {
    fp = await fingerprint(path);
  } catch (e) {
    return done({ message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
  }
  result.bytes = fp.bytes;
  lap(`fingerprint ${shownPath}`);
  if (!opts.check) {
    // The same file read through another mapping (one source feeding two tables) is another load.
    const contentKey = `${fp.sha256} ${opts.mapping?.source ?? ''}`;
    const earlier = seen.get(contentKey);
    const prior = earlier ? [{ path: earlier }] : await all<{ path: string }>(conn, `select path from meta.load_ledger where sha256 = ? and coalesce(mapping, '') = ? and status = 'loaded' limit 1`, [fp.sha256, opts.mapping?.source ?? '']);
    if (prior.length) {
      return done({ status: 'unchanged', message: prior[0].path === shownPath ? 'already loaded' : `same content as ${prior[0].path}, already loaded` });
    }
    seen.set(contentKey, shownPath);
  }
  let staged: Staged;
  try {
    staged = await stage(conn, path, fp, opts);
  } catch (e) {
    return done({ message: e instanceof FileError ? e.message.replace(`${path}: `, '') : e instanceof XlsxError ? e.message : `cannot be read: ${(e as Error).message}` });
  }
  lap(`stage ${shownPath}`);
  step(`staged ${shownPath}`);
  if (!staged.rowsRead) return done({ table: staged.table.name, message: 'has a header row but no data rows: nothing to load' });
  if (opts.mapping) {
    for (const stmt of mappingSql(opts.mapping, staged.headers)) await conn.run(stmt);
    // An unpivoting mapping turns one source row into several records; each is accounted for.
    staged.rowsRead = Number((await all<{ n: number }>(conn, 'select count(*)::BIGINT n from src'))[0].n);
  }
  Object.assign(result, { table: staged.table.name, format: staged.format, encoding: staged.encoding, rowsRead: staged.rowsRead });
  result.extras = [...staged.mapping.extras.map((x) => x.header), ...staged.mapping.duplicates.map((d) => `${d.header} (second header for ${d.column})`)];
  const stagingTable = `st_src_${++stagingSeq}`;
  await conn.run(`alter table src rename to ${stagingTable}`);
  result.seconds = (performance.now() - started) / 1000;
  return { index, path, fp, staged, stagingTable, result };
}

/** Loads (or, with check, validates) one file. Never throws for bad input: a refused file is a result. */
export async function loadFile(conn: DuckDBConnection, path: string, opts: LoadOptions = {}): Promise<FileResult> {
  return (await loadFiles(conn, [path], opts))[0];
}

/**
 * Loads files in the given order (see loadOrder), with the same outcome as loading them one at a
 * time: a later file for a unit and month replaces an earlier one. Files are staged one by one and
 * parsed in batches; `onResult` hears of each file in the caller's order.
 */
export async function loadFiles(conn: DuckDBConnection, paths: string[], opts: LoadOptions = {}, onResult?: (r: FileResult, position: number) => void): Promise<FileResult[]> {
  await ensureParsers(conn);
  const results: (FileResult | undefined)[] = new Array(paths.length);
  let emitted = 0;
  const finish = (i: number, r: FileResult) => {
    results[i] = r;
    while (emitted < paths.length && results[emitted]) {
      onResult?.(results[emitted]!, emitted + 1);
      emitted++;
    }
  };
  const seen = new Map<string, string>();
  let batch: Pending[] = [];
  let signature = '';
  let batchRows = 0;
  const flush = async () => {
    const b = batch;
    batch = [];
    batchRows = 0;
    if (!b.length) return;
    const deferred = await processBatch(conn, b, opts);
    for (const p of b) if (!deferred.includes(p)) finish(p.index, p.result);
    // A file sharing a unit-month (a register: a key) with an earlier file of its batch is loaded
    // after the batch on its own, so it replaces that file's rows exactly as it would one by one.
    for (const p of deferred) {
      const again = await prepareFile(conn, p.path, p.index, opts, new Map());
      if (!('stagingTable' in again)) finish(p.index, again);
      else {
        await processBatch(conn, [again], opts);
        finish(p.index, again.result);
      }
    }
  };
  for (const [i, path] of paths.entries()) {
    const p = await prepareFile(conn, path, i, opts, seen);
    if (!('stagingTable' in p)) {
      finish(i, p);
      continue;
    }
    const sig = batchSignature(p.staged, opts, i);
    if (batch.length && (sig !== signature || batchRows + p.staged.rowsRead > BATCH_ROWS || batch.length >= BATCH_FILES)) await flush();
    signature = sig;
    batch.push(p);
    batchRows += p.staged.rowsRead;
  }
  await flush();
  return results as FileResult[];
}

/**
 * Second half of a load, for a batch of staged files of one table: parse and validate in SQL,
 * duplicates and replacement, then one transaction that writes raw rows, quarantine and the
 * ledger. Returns the files left out because they overlap an earlier file of the batch.
 */
async function processBatch(conn: DuckDBConnection, files: Pending[], opts: LoadOptions): Promise<Pending[]> {
  const started = performance.now();
  const lap = stopwatch();
  const { table: t, mapping: headerMapping, fileProblem } = files[0].staged;
  const fileRows = (p: Pending, k: number) => {
    const n = p.staged.rowFromRowid;
    return `select ${k}::INTEGER as _file, rowid as _seq, ${n === undefined ? '*' : `rowid + ${n} as _row, null::VARCHAR as _error, *`} from ${p.stagingTable}`;
  };
  await conn.run(`create or replace temp view src as ${files.map(fileRows).join(' union all ')}`);
  const plan = planValidation(headerMapping, { fileLevelProblem: fileProblem });
  for (const stmt of plan.prepare) await conn.run(stmt);
  const month = monthExpr(t);
  await conn.run(planDerived(t, plan.parseSql, { month }));
  lap('parse and check');
  try {
    return await checkAndWrite(conn, files, opts, started);
  } finally {
    // The staging tables stay until the write: quarantined rows are recorded as the file wrote them.
    await conn.run(`drop view src`);
    for (const p of files) await conn.run(`drop table ${p.stagingTable}`);
  }
}

/** Duplicates, replacement and per-file counts on `checked`, then the batch's one transaction. */
async function checkAndWrite(conn: DuckDBConnection, files: Pending[], opts: LoadOptions, started: number): Promise<Pending[]> {
  const lap = stopwatch();
  const { table: t, mapping: headerMapping } = files[0].staged;
  const fileProblem = files[0].staged.fileProblem;
  const month = monthExpr(t);

  const clean = 'len(problems) = 0';
  // Duplicates inside a file: the first clean row of a key stays, later copies are quarantined.
  // CREATE … AS reports how many rows it wrote: most files have no duplicate and skip the update.
  const dupCount = (await conn.runAndReadAll(`create or replace temp table dup_keys as
    select _file, ${keyExpr(t)}, min(_row) as _first_row from checked where ${clean} group by all having count(*) > 1`)).getRows()[0]?.[0];
  if (dupCount === undefined || Number(dupCount) > 0) await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
      'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in row ' || d._first_row::VARCHAR || ' of this file'})
    from dup_keys d where len(checked.problems) = 0 and checked._file = d._file and checked._row <> d._first_row and ${t.key.map((k) => `checked.${ident(k)} = d.${ident(k)}`).join(' and ')}`);

  // What each file replaces: earlier rows of its units and months (facts) or of its keys (dimensions).
  const groups = month ? `select distinct _file, unit_code, _month from checked where ${clean}` : `select distinct _file, ${keyExpr(t)} from checked where ${clean}`;
  const groupMatch = (a: string, b: string) => (month ? `${a}.unit_code = ${b}.unit_code and ${a}._month = ${b}._month` : t.key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' and '));
  let deferred: Pending[] = [];
  if (files.length > 1) {
    const overlapping = await all<{ f: number }>(conn, `with g as (${groups}) select distinct b._file as f from g a join g b on ${groupMatch('a', 'b')} and a._file < b._file`);
    if (overlapping.length) {
      const later = new Set(overlapping.map((r) => Number(r.f)));
      deferred = files.filter((_, k) => later.has(k));
      await conn.run(`delete from checked where _file in (${[...later].join(', ')})`);
    }
  }
  const kept = files.filter((p) => !deferred.includes(p));
  // A literal range on the month column lets DuckDB skip the row groups of other months.
  const range = month && t.name !== 'procurement'
    ? (await all<{ lo: string | null; hi: string | null }>(conn, `select min(_month) || '-01' as lo, strftime(max(_month || '-01')::DATE + interval 1 month, '%Y-%m-%d') as hi from checked where ${clean}`))[0]
    : undefined;
  const pruned = range?.lo && range.hi ? ` where r.${ident(t.monthColumn!)} >= '${range.lo}' and r.${ident(t.monthColumn!)} < '${range.hi}'` : '';
  const rawGroup = month ? `r.unit_code, ${monthExpr(t, 'r.')} as _month` : keyExpr(t, 'r.');
  await conn.run(`create or replace temp table superseded as
    select r._file_id, r._row, g._file as _by from (select r._file_id, r._row, ${rawGroup} from raw.${t.name} r${pruned}) r join (${groups}) g on ${groupMatch('r', 'g')}`);

  // Duplicates against rows already loaded. A row that a file of this batch replaces still counts
  // for the files before that one, as it would if they were loaded one at a time.
  if (month) {
    await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
        'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in file ' || l.path || ' (row ' || r._row::VARCHAR || ')'})
      from raw.${t.name} r join meta.load_ledger l on l.file_id = r._file_id
      where len(checked.problems) = 0 and ${t.key.map((k) => `r.${ident(k)} = checked.${ident(k)}`).join(' and ')}
        and not exists (select 1 from superseded s where s._file_id = r._file_id and s._row = r._row and s._by <= checked._file)`);
  }
  if (month && files.length > 1) {
    // Duplicates between files of this batch: the earliest file's row stays, as if loaded first.
    const paths = `[${files.map((p) => sqlString(p.result.path)).join(', ')}]`;
    await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
        'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in file ' || ${paths}[d.first.f + 1] || ' (row ' || d.first.r::VARCHAR || ')'})
      from (select _file, _row, min({'f': _file, 'r': _row}) over (partition by ${keyExpr(t)}) as first from checked where ${clean}) d
      where checked._file = d._file and checked._row = d._row and d._file <> d.first.f`);
  }
  lap('replacement and duplicates across files');

  // Counted per file, unit and month (a few groups), not by collecting every row's unit and month.
  const perGroup = await all<{ f: number; unit: string | null; month: string | null; ok: number; bad: number }>(conn, `select _file as f, unit_code as unit, _month as month,
      count(*) filter (where ${clean}) as ok, count(*) filter (where not ${clean}) as bad
    from checked group by all`);
  const distinctSorted = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))].sort();
  const reasons = await all<FileResult['reasons'][number] & { f: number }>(conn, `select _file as f, problems[1].rule as rule, problems[1]."column" as "column", count(*)::BIGINT as count,
      min(problems[1].reason) as example, min(_row) as "row"
    from checked where not ${clean} group by all order by f, count desc, rule`);
  const superseded = await all<{ f: number; n: number }>(conn, 'select _by as f, count(*)::BIGINT as n from superseded group by 1');
  for (const [k, p] of files.entries()) {
    if (deferred.includes(p)) continue;
    const groups = perGroup.filter((g) => Number(g.f) === k);
    const loaded = groups.filter((g) => Number(g.ok) > 0);
    const r = p.result;
    r.rowsLoaded = groups.reduce((n, g) => n + Number(g.ok), 0);
    r.rowsQuarantined = groups.reduce((n, g) => n + Number(g.bad), 0);
    r.units = distinctSorted(loaded.map((g) => g.unit));
    r.months = month ? distinctSorted(loaded.map((g) => g.month)) : [];
    r.reasons = reasons.filter((x) => Number(x.f) === k).map(({ f: _f, ...x }) => x);
    r.rowsSuperseded = Number(superseded.find((s) => Number(s.f) === k)?.n ?? 0);
  }
  lap('counts');

  // Each file's time: its own staging plus an even share of its batch.
  const close = (status: FileResult['status']) => {
    const share = (performance.now() - started) / 1000 / kept.length;
    for (const p of kept) Object.assign(p.result, { status, seconds: p.result.seconds + share });
  };
  if (opts.check) {
    close('checked');
    return deferred;
  }

  const ids = (await all<{ id: number }>(conn, `select nextval('meta.file_id_seq') as id from range(${kept.length})`)).map((r) => Number(r.id)).sort((a, b) => a - b);
  const idByIndex = files.map((p) => (kept.includes(p) ? ids[kept.indexOf(p)] : undefined));
  const idOf = (p: Pending) => idByIndex[files.indexOf(p)]!;
  /** A per-file value picked by a row's batch index. */
  const byFile = (values: string[], column = '_file') => (values.length === 1 ? values[0] : `[${values.join(', ')}][${column} + 1]`);
  const fileIds = files.map((_, k) => String(idByIndex[k] ?? 'null'));
  const fileIdExpr = `${byFile(fileIds)}::BIGINT`;
  const pathExpr = byFile(files.map((p) => sqlString(p.result.path)), 'c._file');
  const record = `to_json(struct_pack(${headerMapping.columns.map((mc) => `${ident(mc.column.name)} := s.c${mc.index}`).join(', ') || 'x := null'}))`;
  // Most batches replace nothing and quarantine little: the statements for those are skipped.
  const replaces = superseded.length > 0;
  const quarantines = kept.some((p) => p.result.rowsQuarantined > 0);
  await conn.run('begin transaction');
  const batch = `${t.name} batch of ${kept.length} file${kept.length === 1 ? '' : 's'}`;
  step(`transaction opened: ${batch}`);
  try {
    if (replaces) await conn.run(`update meta.load_ledger l set rows_superseded = rows_superseded + s.n, superseded_by = s.by_id
      from (select _file_id, count(*) as n, max(${byFile(fileIds, '_by')}) as by_id from superseded group by 1) s where l.file_id = s._file_id`);
    if (replaces) await conn.run(`delete from raw.${t.name} r where exists (select 1 from superseded s where s._file_id = r._file_id and s._row = r._row)`);
    await conn.run(`insert into raw.${t.name} select ${rawColumnExprs(t).join(', ')}, ${fileIdExpr}, _row from checked where ${clean}`);
    step(`raw rows written: ${batch}`);
    if (quarantines) await conn.run(`insert into meta.quarantine select ${byFile(fileIds, 'c._file')}::BIGINT, ${pathExpr}, ${sqlString(t.name)}, c._row, problems[1]."column", problems[1].rule, problems[1].reason,
        list_transform(problems, p -> p.reason), unit_code, ${record} from checked c join src s on s._file = c._file and s._seq = c._seq where not ${clean}`);
    const extras = kept.flatMap((p) => p.result.extras.map((x) => `(${idOf(p)}, ${sqlString(p.result.path)}, ${sqlString(x)})`));
    if (extras.length) await conn.run(`insert into meta.extra_columns values ${extras.join(', ')}`);
    await conn.run(`insert into meta.load_ledger values ${kept.map((p) => {
      const r = p.result;
      return `(${idOf(p)}, ${sqlString(r.path)}, ${sqlString(p.fp.sha256)}, ${sqlString(t.name)}, ${sqlString(p.staged.format)},
        ${sqlString(p.staged.encoding)}, ${listLiteral(r.units)}, ${listLiteral(r.months)}, ${r.rowsRead}, ${r.rowsLoaded}, ${r.rowsQuarantined},
        0, null, 'loaded', ${fileProblem ? sqlString(fileProblem) : 'null'}, now()::TIMESTAMP, ${opts.mapping ? sqlString(opts.mapping.source) : 'null'})`;
    }).join(',\n')}`);
    const idList = kept.map((p) => idOf(p)).join(', ');
    const written = await all<{ id: number; n: number }>(conn, `select id, sum(n)::BIGINT as n from (
        select _file_id as id, count(*) as n from raw.${t.name} where _file_id in (${idList}) group by 1
        union all select file_id, count(*) from meta.quarantine where file_id in (${idList}) group by 1) group by 1`);
    for (const p of kept) {
      const n = Number(written.find((w) => Number(w.id) === idOf(p))?.n ?? 0);
      if (n !== p.result.rowsRead) throw new Error(`internal accounting error: ${p.result.path}: ${p.result.rowsRead} rows read but ${n} written`);
    }
    step(`ledger written: ${batch}`);
    await conn.run('commit');
    step(`committed: ${batch}`);
    lap('write');
  } catch (e) {
    await conn.run('rollback');
    throw e;
  }
  for (const p of kept) p.result.fileId = idOf(p);
  close('loaded');
  return deferred;
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

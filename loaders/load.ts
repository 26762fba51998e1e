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
import { detectHeader, mapHeaders, type Detection, type HeaderMapping } from './headers.ts';
import {
  FileError, StagingAppender, fingerprint, formatOf, readHead, scratchDir, sniffDelimiter, splitCsvLines,
  stageCsv, transcodeToUtf8, type Fingerprint, type Format,
} from './sources.ts';
import { EncodingError } from './encoding.ts';
import { jsonValueText, parseJson, type JsonSyntaxError } from './json-text.ts';
import { Workbook, XlsxError, type XlsxRow } from './xlsx.ts';
import { DATE_BOUNDS_SQL, installParsers, planDerived, planValidation, rawColumnExprs } from './validate.ts';
import { SKIPPED_RULES, mappedHeaders, mappingSql, type Mapping } from './mapping.ts';
import { batchWarnings } from './warnings.ts';

export interface FileResult {
  path: string;
  /** The worksheet, for a workbook (each visible sheet is loaded as its own ledger entry). */
  part?: string;
  table?: string;
  format?: Format;
  encoding?: string;
  status: 'loaded' | 'unchanged' | 'refused' | 'checked';
  message?: string;
  /** Things skipped on the way (hidden sheets, sheets with no header row), each one line. */
  warnings: string[];
  fileId?: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  rowsSuperseded: number;
  units: string[];
  months: string[];
  /** The month most of the file's rows fall in: the only month a re-export can replace. */
  mainPeriod?: string;
  /** What this file replaced: per unit-month (or register) and earlier file. */
  replaced: Replaced[];
  extras: string[];
  reasons: { rule: string; column: string; count: number; example: string; row: number }[];
  /** Rows a mapping's rules skip (not reported, identical to an earlier row): counted apart from quarantine. */
  rowsSkipped: number;
  /** Why rows were skipped, like reasons. */
  skips: { rule: string; column: string; count: number; example: string; row: number }[];
  bytes: number;
  seconds: number;
}

export interface Replaced { unit: string | null; month: string | null; fileId: number; path: string; rows: number; reason: ReplaceReason }

/**
 * Why rows left raw: a re-export of a unit-month (its main period, repeating most of the month's
 * record keys), the user's --replace, a register row updated by key, or a restore.
 */
export type ReplaceReason = 're-export' | '--replace' | 'register' | 'restore';

export interface LoadOptions {
  /** Validate only: nothing is written (the connection is a scratch database). */
  check?: boolean;
  /** A mapping for a foreign source (data/mappings/<source>.yaml). */
  mapping?: Mapping;
  /** Table named by the caller; otherwise from the folder, otherwise from the header row. */
  table?: string;
  /** The files are re-exports of every unit-month they hold: each one is swapped whole. */
  replace?: boolean;
  /** Asked between transactions: true ends the load there (the reader of the output went away). */
  stop?: () => boolean;
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
  /** The worksheet of a workbook. */
  part?: string;
  /** The temp table holding the staged rows. */
  stagingTable: string;
}

let stagingSeq = 0;

/** Most columns a header row may have: Excel's limit (XFD). */
const MAX_HEADER_COLUMNS = 16_384;
const HEAD_BYTES = 64 * 1024;

/**
 * Stages a file into one temp table per part (a CSV or JSON file is one part; a workbook has one
 * per visible sheet whose header row names the table). `warnings` hears of what was skipped.
 */
async function stage(conn: DuckDBConnection, path: string, fp: Fingerprint, opts: LoadOptions, warnings: string[]): Promise<Staged[]> {
  const head = await readHead(path, HEAD_BYTES);
  const format = formatOf(path, head);
  if (!format) throw new FileError(path, 'is not a CSV, TSV, XLSX, JSON or NDJSON file (judged by its extension)');
  let known = opts.table ? TABLES[opts.table] : opts.mapping ? TABLES[opts.mapping.table] : tableFromPath(path);
  const decode = (buf: Buffer) => (fp.encoding === 'gb18030' ? iconv.decode(buf, 'gb18030') : buf.toString('utf8').replace(/^\uFEFF/, ''));

  /** The staged table `src`, with the mapping applied, renamed to its own name. */
  const finish = async (headers: string[], rowsRead: number, headerRow: number, detected: Table, extra: Partial<Staged> = {}): Promise<Staged> => {
    const renamed = opts.mapping ? mappedHeaders(opts.mapping, headers) : headers;
    const mapping = mapHeaders(detected, renamed);
    let fileProblem: string | undefined;
    if (mapping.missingRequired.length) {
      fileProblem = `required column ${mapping.missingRequired.map((c) => `${c.zh} (${c.name})`).join(', ')} is missing from the header row (row ${headerRow + 1})`;
    }
    if (opts.mapping && rowsRead) {
      for (const stmt of mappingSql(opts.mapping, headers, path)) await conn.run(stmt);
      // An unpivoting mapping turns one source row into several records; each is accounted for.
      rowsRead = Number((await all<{ n: number }>(conn, 'select count(*)::BIGINT n from src'))[0].n);
    }
    const stagingTable = `st_src_${++stagingSeq}`;
    await conn.run(`alter table src rename to ${stagingTable}`);
    // A workbook's text is UTF-8 by definition; the byte-level proof applies to text files only.
    return { table: detected, mapping, rowsRead, format, encoding: format === 'xlsx' ? 'xlsx' : fp.encoding, fileProblem, headers, stagingTable, ...extra };
  };

  if (format === 'csv') {
    if (head.length === 0) throw new FileError(path, 'is empty');
    if (head.includes(0) && fp.encoding !== 'utf-8') throw new FileError(path, 'is not a text file (binary content)');
    const text = decode(head);
    const delim = path.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(text);
    let preview = splitCsvLines(text, delim, 31);
    // A head cut inside a line: its last row is incomplete and cannot be a header.
    if (head.length >= HEAD_BYTES && !/[\r\n]$/.test(text)) preview = preview.slice(0, -1);
    if (!preview.length) {
      const cells = splitCsvLines(text, delim, 1)[0]?.length ?? 0;
      throw new FileError(path, `line 1 is longer than ${HEAD_BYTES >> 10} KB (${cells >= MAX_HEADER_COLUMNS ? `over ${MAX_HEADER_COLUMNS.toLocaleString('en-US')} columns` : `${cells}+ columns`}): no export has a header row that long`);
    }
    const rows = opts.mapping ? preview.slice(opts.mapping.skip_rows ?? 0) : preview;
    const det = mappedHeaderRow(opts.mapping, preview.map((_, i) => i + 1)) ?? detectHeader(opts.mapping ? rows.map((r) => mappedHeaders(opts.mapping!, r)) : rows, known, path);
    if (!det.table) throw new FileError(path, det.reason ?? 'no header row found');
    const headerRow = det.headerRow + (opts.mapping?.header_row ? 0 : opts.mapping?.skip_rows ?? 0);
    const headers = preview[headerRow];
    if (headers.length > MAX_HEADER_COLUMNS) throw new FileError(path, `line ${headerRow + 1}: the header row has ${headers.length.toLocaleString('en-US')} columns, more than ${MAX_HEADER_COLUMNS.toLocaleString('en-US')} (Excel's limit)`);
    const scratch = scratchDir();
    try {
      const csvPath = fp.encoding === 'gb18030' ? await transcodeToUtf8(path, 'gb18030', scratch.dir) : path;
      // A mapping rewrites the staging table by its row numbers; otherwise they come from rowid.
      const staged = await stageCsv(conn, path, csvPath, headerRow, headers, delim, 'src', !!opts.mapping);
      return [await finish(headers, staged.rows, headerRow, det.table, { rowFromRowid: staged.rowFromRowid })];
    } finally {
      scratch.dispose();
    }
  }

  if (format === 'xlsx') {
    const wb = await Workbook.open(path);
    const parts: Staged[] = [];
    const skipped: string[] = [];
    const named = wb.sheets.length > 1;
    for (const sheet of wb.sheets) {
      const label = `sheet ${JSON.stringify(sheet.name)}`;
      if (sheet.hidden) {
        warnings.push(`${label} is hidden: skipped (unhide it to load it)`);
        continue;
      }
      // Cells past the header's width are never needed; before it is found, Excel's grid bounds them.
      const keep = { columns: 1024 };
      const iter = wb.rows(sheet, keep);
      const buffered: XlsxRow[] = [];
      let next = await iter.next();
      while (!next.done && buffered.length < 30) {
        for (const r of next.value) buffered.push(r);
        next = await iter.next();
      }
      const grid = buffered.slice(0, 30).map((r) => r.cells.map((c) => c ?? ''));
      const det = mappedHeaderRow(opts.mapping, buffered.slice(0, 30).map((r) => r.number)) ?? detectHeader(opts.mapping ? grid.map((r) => mappedHeaders(opts.mapping!, r)) : grid, known, path);
      if (!det.table) {
        await iter.return(undefined);
        skipped.push(`${label}: ${det.reason ?? 'no header row found'}`);
        continue;
      }
      known ??= det.table; // one table per workbook
      const headers = grid[det.headerRow];
      keep.columns = headers.length;
      const app = new StagingAppender(conn, 'src', headers.length);
      await app.open();
      const push = (r: XlsxRow) => {
        if (r.cells.some((c) => c !== null && c.trim() !== '')) app.append(r.number, r.cells);
      };
      buffered.slice(det.headerRow + 1).forEach(push);
      while (!next.done) {
        next.value.forEach(push);
        next = await iter.next();
      }
      app.close();
      if (!app.rows && (wb.sheets.length > 1)) {
        await conn.run('drop table src');
        skipped.push(`${label} has a header row but no data rows`);
        continue;
      }
      parts.push(await finish(headers, app.rows, buffered[det.headerRow].number - 1, det.table, { part: named ? sheet.name : undefined }));
    }
    if (!parts.length) {
      const hidden = wb.sheets.filter((s) => s.hidden).length;
      throw new FileError(path, skipped.length ? skipped.join('; ') : `has no visible sheet (${hidden} hidden sheet${hidden === 1 ? '' : 's'} skipped; unhide the one to load)`);
    }
    for (const x of skipped) warnings.push(`${x}: skipped`);
    return parts;
  }

  // JSON array or NDJSON: keys become headers, in order of first appearance.
  const text = decode(readFileSync(path));
  const records: { row: number; value?: Record<string, unknown>; error?: string }[] = [];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = parseJson(text);
    } catch (e) {
      throw new FileError(path, `is not valid JSON: line ${(e as JsonSyntaxError).line}: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new FileError(path, 'is JSON but not an array of records ([{…}, {…}])');
    parsed.forEach((v, i) => records.push(v && typeof v === 'object' && !Array.isArray(v) ? { row: i + 1, value: v as Record<string, unknown> } : { row: i + 1, error: 'element is not an object' }));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = parseJson(line);
        records.push(v && typeof v === 'object' && !Array.isArray(v) ? { row: i + 1, value: v as Record<string, unknown> } : { row: i + 1, error: 'line is not a JSON object' });
      } catch {
        records.push({ row: i + 1, error: 'line is not valid JSON' });
      }
    });
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.value ?? {})) if (!seen.has(k)) (seen.add(k), keys.push(k));
  if (keys.length > MAX_HEADER_COLUMNS) throw new FileError(path, `names ${keys.length.toLocaleString('en-US')} different keys, more than ${MAX_HEADER_COLUMNS.toLocaleString('en-US')} columns`);
  const det = detectHeader([opts.mapping ? mappedHeaders(opts.mapping, keys) : keys], known, path);
  if (!det.table) throw new FileError(path, det.reason ?? 'the records name no known table');
  const app = new StagingAppender(conn, 'src', keys.length);
  await app.open();
  for (const r of records) app.append(r.row, keys.map((k) => jsonValueText(r.value?.[k])), r.error ?? null);
  app.close();
  return [await finish(keys, app.rows, 0, det.table)];
}

/**
 * The header row a mapping names (`header_row`, as a spreadsheet numbers its rows), as an index
 * into the first rows read, whose row numbers are given.
 */
function mappedHeaderRow(m: Mapping | undefined, rowNumbers: number[]): Detection | undefined {
  if (!m?.header_row) return undefined;
  const i = rowNumbers.indexOf(m.header_row);
  if (i < 0) return { headerRow: -1, reason: `mapping ${m.source}: header_row ${m.header_row} is not among the first ${rowNumbers.length} rows of the file` };
  return { table: TABLES[m.table], headerRow: i };
}

/** A file (or a sheet of a workbook) staged into its own temp table, waiting to be parsed and checked with its batch. */
interface Pending {
  /** Position in the caller's list of files, and of the part within the file. */
  index: number;
  part: number;
  path: string;
  fp: Fingerprint;
  staged: Staged;
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

/** How a file (and its sheet) is named in messages. */
const shownName = (r: FileResult) => (r.part ? `${r.path} [${r.part}]` : r.path);

/**
 * First half of a load: fingerprint, the ledger's "already loaded", staging into temp tables.
 * Returns, per part, its final result when there is nothing to parse (unchanged, refused, empty).
 */
async function prepareFile(conn: DuckDBConnection, path: string, index: number, opts: LoadOptions, seen: Map<string, string>): Promise<(FileResult | Pending)[]> {
  const started = performance.now();
  const lap = stopwatch();
  const shownPath = relative(process.cwd(), resolve(path)) || basename(path);
  const newResult = (): FileResult => ({ path: shownPath, status: 'refused', warnings: [], rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, rowsSuperseded: 0, rowsSkipped: 0, units: [], months: [], replaced: [], extras: [], reasons: [], skips: [], bytes: 0, seconds: 0 });
  const result = newResult();
  const done = (extra: Partial<FileResult>) => [Object.assign(result, extra, { seconds: (performance.now() - started) / 1000 })];
  let fp: Fingerprint;
  try {
    fp = await fingerprint(path);
  } catch (e) {
    if (e instanceof EncodingError) return done({ message: e.message });
    return done({ message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
  }
  result.bytes = fp.bytes;
  lap(`fingerprint ${shownPath}`);
  if (!opts.check) {
    // The same file read through another mapping (one source feeding two tables) is another load.
    const contentKey = `${fp.sha256} ${opts.mapping?.source ?? ''}`;
    const earlier = seen.get(contentKey);
    if (earlier) return done({ status: 'unchanged', message: `same content as ${earlier}, already loaded` });
    const prior = await loadedBefore(conn, fp.sha256, opts.mapping?.source);
    if (prior) return done({ status: 'unchanged', message: unchangedMessage(prior, shownPath) });
    seen.set(contentKey, shownPath);
  }
  let parts: Staged[];
  try {
    parts = await stage(conn, path, fp, opts, result.warnings);
  } catch (e) {
    return done({ message: e instanceof FileError ? e.message.replace(`${path}: `, '') : e instanceof XlsxError ? e.message : `cannot be read: ${(e as Error).message}` });
  }
  lap(`stage ${shownPath}`);
  step(`staged ${shownPath}`);
  const out: (FileResult | Pending)[] = [];
  for (const [k, staged] of parts.entries()) {
    const r = k === 0 ? result : Object.assign(newResult(), { bytes: 0 });
    r.part = staged.part;
    if (!staged.rowsRead) {
      await conn.run(`drop table ${staged.stagingTable}`);
      out.push(Object.assign(r, { table: staged.table.name, message: 'has a header row but no data rows: nothing to load', seconds: (performance.now() - started) / 1000 }));
      continue;
    }
    Object.assign(r, { table: staged.table.name, format: staged.format, encoding: staged.encoding, rowsRead: staged.rowsRead });
    r.extras = [...staged.mapping.extras.map((x) => x.header), ...staged.mapping.duplicates.map((d) => `${d.header} (second header for ${d.column})`)];
    r.seconds = (performance.now() - started) / 1000 / parts.length;
    out.push({ index, part: k, path, fp, staged, result: r });
  }
  return out;
}

/** The ledger entries of an earlier load of the same content, with what replaced their rows since. */
interface Prior { fileId: number; path: string; loadedAt: string; replaced: { unit: string | null; month: string | null; byFileId: number; byPath: string }[] }

async function loadedBefore(conn: DuckDBConnection, sha256: string, mapping: string | undefined): Promise<Prior | undefined> {
  const entries = await all<{ file_id: number; path: string; loaded_at: string; table_name: string }>(conn, `select file_id, path, strftime(loaded_at, '%Y-%m-%d %H:%M') as loaded_at, table_name
    from meta.load_ledger where sha256 = ? and coalesce(mapping, '') = ? and status = 'loaded' order by file_id`, [sha256, mapping ?? '']);
  if (!entries.length) return undefined;
  const replaced = await all<{ unit: string | null; month: string | null; by_file_id: number; by_path: string }>(conn, `select r.unit_code as unit, r.month, r.by_file_id, l.path as by_path
    from meta.replacements r join meta.load_ledger l on l.file_id = r.by_file_id
    where r.replaced_file_id in (${entries.map((e) => e.file_id).join(', ')})
      and exists (select 1 from meta.load_ledger x where x.file_id = r.replaced_file_id and x.rows_superseded > 0)
    group by all order by r.month, r.unit_code`);
  return { fileId: entries[0].file_id, path: entries[0].path, loadedAt: entries[0].loaded_at, replaced: replaced.map((x) => ({ unit: x.unit, month: x.month, byFileId: x.by_file_id, byPath: x.by_path })) };
}

function unchangedMessage(prior: Prior, shownPath: string): string {
  const what = prior.path === shownPath ? 'already loaded' : `same content as ${prior.path}, already loaded`;
  if (!prior.replaced.length) return what;
  const groups = prior.replaced.slice(0, 3).map((r) => `${[r.unit, r.month].filter(Boolean).join(' ') || 'rows'} by file ${r.byFileId} (${r.byPath})`).join(', ');
  return `${what} (file ${prior.fileId}, ${prior.loadedAt}); its rows were since replaced: ${groups}${prior.replaced.length > 3 ? ', …' : ''}. steward load ${shownPath} --restore makes it current again`;
}

/** Loads (or, with check, validates) one file. Never throws for bad input: a refused file is a result. */
export async function loadFile(conn: DuckDBConnection, path: string, opts: LoadOptions = {}): Promise<FileResult> {
  return (await loadFiles(conn, [path], opts))[0];
}

/**
 * Loads files in the given order (see loadOrder), with the same outcome as loading them one at a
 * time. Files are staged one by one and parsed in batches; `onResult` hears of each file (each
 * sheet of a workbook) in the caller's order, after its batch is written.
 */
export async function loadFiles(conn: DuckDBConnection, paths: string[], opts: LoadOptions = {}, onResult?: (r: FileResult, position: number) => void): Promise<FileResult[]> {
  await ensureParsers(conn);
  await conn.run(DATE_BOUNDS_SQL);
  const slots: (FileResult | undefined)[][] = [];
  const emitted: FileResult[] = [];
  let next = 0;
  const finish = (i: number, part: number, r: FileResult) => {
    slots[i][part] = r;
    while (next < slots.length && slots[next] && slots[next].every(Boolean)) {
      for (const x of slots[next]) {
        emitted.push(x!);
        onResult?.(x!, next + 1);
      }
      next++;
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
    let deferred = await processBatch(conn, b, opts);
    for (const p of b) if (!deferred.includes(p)) finish(p.index, p.part, p.result);
    // A file sharing a unit-month (a register: a key) with an earlier file of its batch is loaded
    // after the batch on its own, so it is judged against that file's rows exactly as one by one.
    while (deferred.length) {
      const [p, ...rest] = deferred;
      deferred = rest;
      await processBatch(conn, [p], opts);
      finish(p.index, p.part, p.result);
    }
  };
  const abandon = async () => {
    for (const p of batch) await conn.run(`drop table if exists ${p.staged.stagingTable}`);
    batch = [];
  };
  for (const [i, path] of paths.entries()) {
    if (opts.stop?.()) break;
    const items = await prepareFile(conn, path, i, opts, seen);
    slots[i] = new Array(items.length).fill(undefined);
    for (const [k, p] of items.entries()) {
      if (!('staged' in p)) {
        finish(i, k, p);
        continue;
      }
      p.part = k;
      const sig = batchSignature(p.staged, opts, i);
      if (batch.length && (sig !== signature || batchRows + p.staged.rowsRead > BATCH_ROWS || batch.length >= BATCH_FILES)) await flush();
      signature = sig;
      batch.push(p);
      batchRows += p.staged.rowsRead;
    }
  }
  if (opts.stop?.()) await abandon();
  else await flush();
  return emitted;
}

/**
 * Second half of a load, for a batch of staged files of one table: parse and validate in SQL,
 * duplicates and replacement, then one transaction that writes raw rows, quarantine and the
 * ledger. Returns the files left out because they overlap an earlier file of the batch; their
 * staging tables stay for the call that loads them.
 */
async function processBatch(conn: DuckDBConnection, files: Pending[], opts: LoadOptions): Promise<Pending[]> {
  const started = performance.now();
  const lap = stopwatch();
  const { table: t, mapping: headerMapping, fileProblem } = files[0].staged;
  const fileRows = (p: Pending, k: number) => {
    const n = p.staged.rowFromRowid;
    return `select ${k}::INTEGER as _file, rowid as _seq, ${n === undefined ? '*' : `rowid + ${n} as _row, null::VARCHAR as _error, *`} from ${p.staged.stagingTable}`;
  };
  await conn.run(`create or replace temp view src as ${files.map(fileRows).join(' union all ')}`);
  const plan = planValidation(headerMapping, { fileLevelProblem: fileProblem });
  for (const stmt of plan.prepare) await conn.run(stmt);
  const month = monthExpr(t);
  await conn.run(planDerived(t, plan.parseSql, { month }));
  lap('parse and check');
  let deferred: Pending[] = [];
  try {
    deferred = await checkAndWrite(conn, files, opts, started);
    return deferred;
  } finally {
    // The staging tables stay until the write: quarantined rows are recorded as the file wrote them.
    await conn.run(`drop view src`);
    for (const p of files) if (!deferred.includes(p)) await conn.run(`drop table if exists ${p.staged.stagingTable}`);
  }
}

/** Key columns all given: a row with an empty key part never matches, so it never widens a replacement. */
const keyGiven = (t: Table, alias: string) => t.key.map((k) => `${alias}${ident(k)} is not null`).join(' and ');
const keyMatch = (t: Table, a: string, b: string) => t.key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' and ');

/**
 * The contract's replacement rule, as the temp table `superseded` (raw rows that leave, and the
 * batch file `_by` they leave for, with the reason). A fact file replaces a unit-month only when
 * it is a re-export of it: the month is the file's main period and the file repeats more than half
 * of the record keys loaded for that unit-month; with --replace, every unit-month it holds. A
 * register row is replaced by a later row with its key. Everything else adds.
 */
async function planReplacement(conn: DuckDBConnection, t: Table, opts: LoadOptions, clean: string): Promise<Map<number, string>> {
  const month = monthExpr(t);
  const rawMonth = monthExpr(t, 'r.');
  if (!month) {
    await conn.run(`create or replace temp table superseded as
      select r._file_id, r._row, r.unit_code, null::VARCHAR as _month, g._file as _by, 'register' as reason
      from raw.${t.name} r join (select distinct _file, ${keyExpr(t)} from checked where ${clean} and ${keyGiven(t, '')}) g on ${keyMatch(t, 'r', 'g')}`);
    return new Map();
  }
  await conn.run(`create or replace temp table file_mains as select _file, (list(_month order by n desc, _month desc))[1] as main
      from (select _file, _month, count(*) as n from checked where ${clean} and _month is not null group by all) group by 1;
    create or replace temp table replace_candidates as
      select distinct c._file, c.unit_code, c._month from checked c ${opts.replace ? '' : 'join file_mains m on m._file = c._file and m.main = c._month'}
      where ${clean.replaceAll('problems', 'c.problems')} and c.unit_code is not null and c._month is not null`);
  // The files' main periods, and a literal range on the month column that lets DuckDB skip the row groups of other months.
  const found = await all<{ f: number | null; main: string | null; lo: string | null; hi: string | null }>(conn, `select _file as f, main, null as lo, null as hi from file_mains
    union all select null, null, min(_month) || '-01', strftime(max(_month || '-01')::DATE + interval 1 month, '%Y-%m-%d') from replace_candidates`);
  const mainOf = new Map(found.filter((m) => m.f !== null).map((m) => [Number(m.f), m.main!]));
  const range = t.name === 'procurement' ? undefined : found.find((m) => m.f === null);
  const pruned = range?.lo && range.hi ? `r.${ident(t.monthColumn!)} >= '${range.lo}' and r.${ident(t.monthColumn!)} < '${range.hi}'` : 'true';
  const reason = opts.replace ? '--replace' : 're-export';
  await conn.run(`create or replace temp table superseded as
    with loaded as (
      select r._file_id, r._row, r.unit_code, ${rawMonth} as _month, ${keyExpr(t, 'r.')} from raw.${t.name} r
      where ${pruned} and exists (select 1 from replace_candidates c where c.unit_code = r.unit_code and c._month = ${rawMonth})),
    loaded_keys as (select distinct unit_code, _month, ${keyExpr(t)} from loaded where ${keyGiven(t, '')}),
    loaded_n as (select unit_code, _month, count(*) as n from loaded_keys group by all),
    file_keys as (select distinct c._file, c.unit_code, c._month, ${keyExpr(t, 'c.')} from checked c join replace_candidates x using (_file, unit_code, _month)
      where ${clean.replaceAll('problems', 'c.problems')} and ${keyGiven(t, 'c.')}),
    repeated as (select f._file, f.unit_code, f._month, count(*) as n from file_keys f join loaded_keys l on l.unit_code = f.unit_code and l._month = f._month and ${keyMatch(t, 'f', 'l')} group by all),
    decided as (select c._file, c.unit_code, c._month from replace_candidates c join loaded_n using (unit_code, _month) left join repeated r using (_file, unit_code, _month)
      where ${opts.replace ? 'true' : '2 * coalesce(r.n, 0) > loaded_n.n'})
    select l._file_id, l._row, l.unit_code, l._month, d._file as _by, ${sqlString(reason)} as reason from loaded l join decided d using (unit_code, _month)`);
  return new Map([...mainOf].map(([f, m]) => [f, m]));
}

/** Files of a fact batch that may replace rows of an earlier file of the batch (see checkAndWrite). */
function overlapSql(t: Table, opts: LoadOptions, clean: string): string {
  const rawMonth = monthExpr(t, 'r.')!;
  return `with g as (select distinct _file, unit_code, _month from checked where ${clean} and unit_code is not null and _month is not null),
    shared as (select distinct b._file as f, b.unit_code, b._month from g a join g b on a.unit_code = b.unit_code and a._month = b._month and a._file < b._file),
    mains as (select _file as f, (list(_month order by n desc, _month desc))[1] as main
      from (select _file, _month, count(*) as n from checked where ${clean} and _month is not null group by all) group by 1),
    candidates as (select s.* from shared s join mains m on m.f = s.f ${opts.replace ? '' : 'and m.main = s._month'}),
    filled as (select distinct r.unit_code, ${rawMonth} as _month from raw.${t.name} r
      where exists (select 1 from candidates c where c.unit_code = r.unit_code and c._month = ${rawMonth})),
    common as (select distinct y._file as f, y.unit_code, y._month from checked x join checked y
      on ${keyMatch(t, 'x', 'y')} and x._file < y._file and x.unit_code = y.unit_code and x._month = y._month
      where len(x.problems) = 0 and len(y.problems) = 0)
    select distinct c.f from candidates c
    where ${opts.replace ? 'true' : `exists (select 1 from filled x where x.unit_code = c.unit_code and x._month = c._month)
      or exists (select 1 from common x where x.f = c.f and x.unit_code = c.unit_code and x._month = c._month)`}`;
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
    select _file, ${keyExpr(t)}, min(_row) as _first_row from checked where ${clean} and ${keyGiven(t, '')} group by all having count(*) > 1`)).getRows()[0]?.[0];
  if (dupCount === undefined || Number(dupCount) > 0) await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
      'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in row ' || d._first_row::VARCHAR || ' of this file'})
    from dup_keys d where len(checked.problems) = 0 and checked._file = d._file and checked._row <> d._first_row and ${t.key.map((k) => `checked.${ident(k)} = d.${ident(k)}`).join(' and ')}`);

  // A file that could replace rows of an earlier file of its batch waits for it, to be judged
  // against them as one-by-one loading would: a register row with a key an earlier file has, or
  // a fact file whose main period is a unit-month an earlier file also holds, when that month
  // already has rows or the two share a record key (else it can only add, like scraped pages).
  let deferred: Pending[] = [];
  if (files.length > 1) {
    const overlapping = await all<{ f: number }>(conn, month ? overlapSql(t, opts, clean) : `with g as (select distinct _file, ${keyExpr(t)} from checked where ${clean})
      select distinct b._file as f from g a join g b on ${keyMatch(t, 'a', 'b')} and a._file < b._file`);
    if (overlapping.length) {
      const later = new Set(overlapping.map((r) => Number(r.f)));
      deferred = files.filter((_, k) => later.has(k));
      await conn.run(`delete from checked where _file in (${[...later].join(', ')})`);
    }
  }
  const kept = files.filter((p) => !deferred.includes(p));
  const mains = await planReplacement(conn, t, opts, clean);

  // Duplicates against rows already loaded. A row that a file of this batch replaces still counts
  // for the files before that one, as it would if they were loaded one at a time.
  if (month) {
    await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
        'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in file ' || l.path || coalesce(' [' || l.part || ']', '') || ' (row ' || r._row::VARCHAR || ')'})
      from raw.${t.name} r join meta.load_ledger l on l.file_id = r._file_id
      where len(checked.problems) = 0 and ${t.key.map((k) => `r.${ident(k)} = checked.${ident(k)}`).join(' and ')}
        and not exists (select 1 from superseded s where s._file_id = r._file_id and s._row = r._row and s._by <= checked._file)`);
  }
  if (month && files.length > 1) {
    // Duplicates between files of this batch: the earliest file's row stays, as if loaded first.
    const paths = `[${files.map((p) => sqlString(shownName(p.result))).join(', ')}]`;
    await conn.run(`update checked set problems = list_append(problems, {'column': ${sqlString(t.key[0])}, 'rule': 'duplicate_key',
        'reason': 'duplicate ${t.key.join(' / ')} ' || ${keyText(t, 'checked.')} || ' also in file ' || ${paths}[d.first.f + 1] || ' (row ' || d.first.r::VARCHAR || ')'})
      from (select _file, _row, min({'f': _file, 'r': _row}) over (partition by ${keyExpr(t)}) as first from checked where ${clean} and ${keyGiven(t, '')}) d
      where checked._file = d._file and checked._row = d._row and d._file <> d.first.f`);
  }
  lap('replacement and duplicates across files');

  // Counted per file, unit and month (a few groups), not by collecting every row's unit and month.
  const skipped = skippedCondition();
  const perGroup = await all<{ f: number; unit: string | null; month: string | null; ok: number; bad: number; skipped: number }>(conn, `select _file as f, unit_code as unit, _month as month,
      count(*) filter (where ${clean}) as ok, count(*) filter (where not ${clean} and not ${skipped}) as bad, count(*) filter (where ${skipped}) as skipped
    from checked group by all`);
  const distinctSorted = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))].sort();
  // The example is one row's own reason and number, never the reason of one beside the row of another.
  const reasons = await all<FileResult['reasons'][number] & { f: number; skipped: boolean }>(conn, `select _file as f, ${skipped} as skipped, problems[1].rule as rule, problems[1]."column" as "column", count(*)::BIGINT as count,
      arg_min(problems[1].reason, _row) as example, min(_row) as "row"
    from checked where not ${clean} group by all order by f, count desc, rule`);
  const warnings = await batchWarnings(conn, t, headerMapping, files.length);
  const replaced = await all<{ f: number; unit: string | null; month: string | null; id: number; path: string; part: string | null; reason: ReplaceReason; n: number }>(conn, `select s._by as f, s.unit_code as unit, s._month as month,
      s._file_id as id, l.path, l.part, s.reason, count(*)::BIGINT as n
    from superseded s join meta.load_ledger l on l.file_id = s._file_id group by all order by f, month, unit, id`);
  for (const [k, p] of files.entries()) {
    if (deferred.includes(p)) continue;
    const groups = perGroup.filter((g) => Number(g.f) === k);
    const loaded = groups.filter((g) => Number(g.ok) > 0);
    const r = p.result;
    r.rowsLoaded = groups.reduce((n, g) => n + Number(g.ok), 0);
    r.rowsQuarantined = groups.reduce((n, g) => n + Number(g.bad), 0);
    r.rowsSkipped = groups.reduce((n, g) => n + Number(g.skipped), 0);
    r.warnings.push(...warnings[k]);
    r.units = distinctSorted(loaded.map((g) => g.unit));
    r.months = month ? distinctSorted(loaded.map((g) => g.month)) : [];
    r.mainPeriod = mains.get(k);
    r.reasons = reasons.filter((x) => Number(x.f) === k && !x.skipped).map(({ f: _f, skipped: _s, ...x }) => x);
    r.skips = reasons.filter((x) => Number(x.f) === k && x.skipped).map(({ f: _f, skipped: _s, ...x }) => x);
    r.replaced = replaced.filter((x) => Number(x.f) === k).map((x) => ({ unit: x.unit, month: x.month, fileId: Number(x.id), path: x.part ? `${x.path} [${x.part}]` : x.path, rows: Number(x.n), reason: x.reason }));
    r.rowsSuperseded = r.replaced.reduce((n, x) => n + x.rows, 0);
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
  const replaces = replaced.length > 0;
  const quarantines = kept.some((p) => p.result.rowsQuarantined > 0);
  const skips = kept.some((p) => p.result.rowsSkipped > 0);
  await conn.run('begin transaction');
  const batch = `${t.name} batch of ${kept.length} file${kept.length === 1 ? '' : 's'}`;
  step(`transaction opened: ${batch}`);
  try {
    if (replaces) await archiveReplaced(conn, t, `select _file_id, _row, unit_code, _month, ${byFile(fileIds, '_by')}::BIGINT as by_id, reason from superseded`);
    await conn.run(`insert into raw.${t.name} select ${rawColumnExprs(t).join(', ')}, ${fileIdExpr}, _row from checked where ${clean}`);
    step(`raw rows written: ${batch}`);
    if (quarantines) await conn.run(`insert into meta.quarantine select ${byFile(fileIds, 'c._file')}::BIGINT, ${pathExpr}, ${sqlString(t.name)}, c._row, problems[1]."column", problems[1].rule, problems[1].reason,
        list_transform(problems, p -> p.reason), unit_code, ${record} from checked c join src s on s._file = c._file and s._seq = c._seq where not ${clean} and not ${skipped}`);
    if (skips) await conn.run(insertSkippedSql(byFile(fileIds), byFile(files.map((p) => sqlString(p.result.path))), t.name, skipped));
    const extras = kept.flatMap((p) => p.result.extras.map((x) => `(${idOf(p)}, ${sqlString(p.result.path)}, ${sqlString(x)})`));
    if (extras.length) await conn.run(`insert into meta.extra_columns values ${extras.join(', ')}`);
    await conn.run(`insert into meta.load_ledger (file_id, path, sha256, table_name, format, encoding, unit_codes, months, rows_read, rows_loaded, rows_quarantined,
        rows_superseded, superseded_by, status, message, loaded_at, mapping, main_period, part, rows_skipped) values ${kept.map((p) => {
      const r = p.result;
      return `(${idOf(p)}, ${sqlString(r.path)}, ${sqlString(p.fp.sha256)}, ${sqlString(t.name)}, ${sqlString(p.staged.format)},
        ${sqlString(p.staged.encoding)}, ${listLiteral(r.units)}, ${listLiteral(r.months)}, ${r.rowsRead}, ${r.rowsLoaded}, ${r.rowsQuarantined},
        0, null, 'loaded', ${ledgerMessage(fileProblem, r.warnings)}, (now() at time zone 'UTC'), ${opts.mapping ? sqlString(opts.mapping.source) : 'null'},
        ${r.mainPeriod ? sqlString(r.mainPeriod) : 'null'}, ${r.part ? sqlString(r.part) : 'null'}, ${r.rowsSkipped})`;
    }).join(',\n')}`);
    const idList = kept.map((p) => idOf(p)).join(', ');
    const written = await all<{ id: number; n: number }>(conn, `select id, sum(n)::BIGINT as n from (
        select _file_id as id, count(*) as n from raw.${t.name} where _file_id in (${idList}) group by 1
        union all select file_id, count(*) from meta.quarantine where file_id in (${idList}) group by 1
        union all select file_id, count(*) from meta.skipped where file_id in (${idList}) group by 1) group by 1`);
    for (const p of kept) {
      const n = Number(written.find((w) => Number(w.id) === idOf(p))?.n ?? 0);
      if (n !== p.result.rowsRead) throw new Error(`internal accounting error: ${p.result.path}: ${p.result.rowsRead} rows read but ${n} written`);
    }
    step(`ledger written: ${batch}`);
    await conn.run('commit');
    step(`committed: ${batch}`);
    lap('write');
  } catch (e) {
    await rollback(conn);
    throw e;
  }
  for (const p of kept) p.result.fileId = idOf(p);
  close('loaded');
  return deferred;
}

/** The ledger's message of a file: the problem of its header, then its warnings. */
const ledgerMessage = (fileProblem: string | undefined, warnings: string[]) => {
  const parts = [...(fileProblem ? [fileProblem] : []), ...warnings.map((w) => `warning: ${w}`)];
  return parts.length ? sqlString(parts.join('; ')) : 'null';
};

/** A row the mapping's rules skip: its first problem is a skip rule, not a fault. */
const skippedCondition = () => `(len(problems) > 0 and problems[1].rule in (${SKIPPED_RULES.map(sqlString).join(', ')}))`;

/** Skipped rows go to meta.skipped with their rule and reason, apart from the quarantine. */
function insertSkippedSql(fileIdExpr: string, pathExpr: string, table: string, skipped: string): string {
  return `insert into meta.skipped select ${fileIdExpr}::BIGINT, ${pathExpr}, ${sqlString(table)}, _row, problems[1]."column", problems[1].rule, problems[1].reason
    from checked where ${skipped}`;
}

/**
 * Inside a transaction: moves the raw rows named by `rowsSql` (_file_id, _row, unit_code, _month,
 * by_id, reason) to archive.<table>, records each (unit-month, replaced file, replacing file) in
 * meta.replacements, and updates the replaced files' ledger counts.
 */
export async function archiveReplaced(conn: DuckDBConnection, t: Table, rowsSql: string): Promise<void> {
  await conn.run(`create or replace temp table leaving as ${rowsSql}`);
  await conn.run(`create or replace temp table leaving_events as
    select nextval('meta.replacement_id_seq') as replacement_id, * from (
      select unit_code, _month, _file_id, by_id, reason, count(*) as n from leaving group by all order by all)`);
  await conn.run(`insert into meta.replacements select replacement_id, ${sqlString(t.name)}, unit_code, _month, _file_id, by_id, n, reason, (now() at time zone 'UTC') from leaving_events`);
  await conn.run(`insert into archive.${t.name} select r.*, e.replacement_id from raw.${t.name} r
    join leaving s on s._file_id = r._file_id and s._row = r._row
    join leaving_events e on e._file_id = s._file_id and e.by_id = s.by_id and e.reason = s.reason
      and e.unit_code is not distinct from s.unit_code and e._month is not distinct from s._month`);
  await conn.run(`update meta.load_ledger l set rows_superseded = rows_superseded + s.n, superseded_by = s.by_id
    from (select _file_id, sum(n) as n, max(by_id) as by_id from leaving_events group by 1) s where l.file_id = s._file_id`);
  await conn.run(`delete from raw.${t.name} r where exists (select 1 from leaving s where s._file_id = r._file_id and s._row = r._row)`);
  await conn.run('drop table leaving; drop table leaving_events');
}

/**
 * Rolls back after a failed statement or commit. When the commit itself failed (the disk is full),
 * DuckDB has already ended the transaction: the error to report is the commit's, not the rollback's.
 */
export async function rollback(conn: DuckDBConnection): Promise<void> {
  try {
    await conn.run('rollback');
  } catch {
    // No transaction left to roll back.
  }
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

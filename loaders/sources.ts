/**
 * Reading an export of any accepted format into one shape inside DuckDB: a staging table
 * `(_row BIGINT, _error VARCHAR, c0 … cN VARCHAR)` where `_row` is the row number a person sees in
 * the file (spreadsheet row, CSV line, JSON array position) and `_error` a row-level read error.
 * CSV goes straight through DuckDB's read_csv; GBK is transcoded with iconv-lite first; XLSX is
 * streamed by loaders/xlsx.ts and JSON parsed in JS, both appended through DuckDB's appender.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { sqlString } from '../warehouse/db.ts';
import { EncodingError, proveGbk, utf16Message, utf16Problem } from './encoding.ts';
import { lineOf, scanCsvLines, type LineRuns } from './csv-lines.ts';

export type Format = 'csv' | 'xlsx' | 'json' | 'ndjson';

export class FileError extends Error {
  constructor(public file: string, message: string, public row?: number) {
    super(`${file}${row ? `, row ${row}` : ''}: ${message}`);
  }
}

export interface Fingerprint {
  sha256: string;
  bytes: number;
  /** utf-8 (with or without BOM) or gb18030 (covers GBK and GB2312). */
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030';
}

/** Extensions read as text: for these a broken encoding is refused, not guessed around. */
const TEXT_EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.json', '.ndjson', '.jsonl']);

/**
 * Where a buffer stops being UTF-8: byte offset of the first bad sequence, starting at `from`
 * (a lead byte). Returns -1 when the rest is valid (an incomplete sequence at the very end counts
 * as valid: the next chunk completes it).
 */
export function firstInvalidUtf8(b: Buffer, from = 0): number {
  for (let i = from; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return -1;
      const d = b[i + k];
      if (d < 0x80 || d > 0xbf) return i;
      // Overlong forms and surrogates, as TextDecoder rejects them.
      if (k === 1 && ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f))) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Length of the part of a buffer that ends on a character boundary (cuts an unfinished sequence). */
function completeCharacters(b: Buffer): number {
  for (let i = b.length - 1; i >= 0 && i >= b.length - 4; i--) {
    const c = b[i];
    if (c < 0x80) return b.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return b.length - i >= need ? b.length : i;
    }
  }
  return b.length;
}

const count = (b: Buffer, byte: number, end = b.length) => {
  let n = 0;
  for (let i = b.indexOf(byte); i >= 0 && i < end; i = b.indexOf(byte, i + 1)) n++;
  return n;
};

/**
 * One pass over the file: its content hash and whether it is valid UTF-8. A text file that is not
 * is proven to be GBK or refused (loaders/encoding.ts), never decoded into plausible-looking
 * wrong characters. Devices, pipes and folders are refused (they never end).
 */
export async function fingerprint(path: string): Promise<Fingerprint> {
  const st = statSync(path);
  if (!st.isFile()) throw new Error(`is not a regular file (${st.isDirectory() ? 'a folder' : 'a device, pipe or socket'}); name an export file`);
  const hash = createHash('sha256');
  let utf8 = true;
  let head: Buffer | undefined;
  let bytes = 0;
  /** 0-based offset of the first byte that is not UTF-8. */
  let invalidAt = -1;
  /** An incomplete character at the end of the previous chunk. */
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    head ??= chunk;
    if (utf8) {
      // Node's isUtf8 (simdutf) checks a whole chunk at memory speed; a character cut by the chunk
      // boundary waits for the next one.
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const end = completeCharacters(buf);
      if (isUtf8(buf.subarray(0, end))) carry = buf.subarray(end);
      else {
        utf8 = false;
        invalidAt = bytes - carry.length + Math.max(0, firstInvalidUtf8(buf.subarray(0, end)));
      }
    }
    bytes += chunk.length;
  }
  if (utf8 && carry.length) {
    utf8 = false;
    invalidAt = bytes - carry.length;
  }
  head ??= Buffer.alloc(0);
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const sha256 = hash.digest('hex');
  if (!TEXT_EXTENSIONS.has(extname(path).toLowerCase())) return { sha256, bytes, encoding: utf8 ? (bom ? 'utf-8-bom' : 'utf-8') : 'gb18030' };
  const utf16 = utf16Problem(head);
  if (utf16) throw new EncodingError(utf16Message(utf16));
  if (utf8) return { sha256, bytes, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  if (head.subarray(0, 64 * 1024).includes(0)) throw new EncodingError('is not a text file (binary content)');
  const at = { line: await lineOfByte(path, invalidAt), byte: invalidAt };
  const where = `line ${at.line} (byte ${invalidAt + 1})`;
  if (bom) throw new EncodingError(`starts with a UTF-8 byte-order mark but is not valid UTF-8 from ${where}: probably GBK text labelled as UTF-8; save it again as UTF-8, or as GBK without the mark`);
  return { sha256, bytes, encoding: await proveGbk(path, at) };
}

/** The line (1-based) of a byte offset. */
async function lineOfByte(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset === 0) return line;
  for await (const chunk of createReadStream(path, { start: 0, end: offset - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) line += count(chunk, 0x0a);
  return line;
}

export function formatOf(path: string, head: Buffer): Format | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') {
    // NDJSON has a whole object on its first line; a pretty-printed object (`{` alone, or
    // `{"data": [` …) is one JSON document, and is refused as such for not being an array.
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text[0] !== '{') return 'json';
    try {
      JSON.parse(text.split(/\r?\n/)[0]);
      return 'ndjson';
    } catch {
      return 'json';
    }
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  return undefined;
}

export async function readHead(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Splits the first lines of a CSV text (quotes respected) to find the header row. */
export function splitCsvLines(text: string, delim: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delim) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if ((cell !== '' || row.length) && rows.length < maxRows) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export function sniffDelimiter(firstLines: string): ',' | '\t' | ';' {
  const line = firstLines.split(/\r?\n/).slice(0, 5).join('\n');
  const counts = { ',': (line.match(/,/g) ?? []).length, '\t': (line.match(/\t/g) ?? []).length, ';': (line.match(/;/g) ?? []).length };
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[','] * 2) return ';';
  return ',';
}

export interface StagedSource {
  /** The cells of the header row as written in the file. */
  headers: string[];
  /** 0-based index of the header row among the file's rows. */
  headerRow: number;
  rowsRead: number;
  delimiter?: string;
}

export interface PreviewRows {
  rows: string[][];
  /** File row number (1-based, as a person sees it) of each preview row. */
  rowNumbers: number[];
}

/** A temporary directory for transcoded copies, removed by the caller. */
export function scratchDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'steward-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A UTF-8 copy of a GBK/GB18030 file for read_csv. Node's own TextDecoder (ICU) decodes about twice
 * as fast as iconv-lite's streams and gives the same bytes; iconv-lite stays the fallback for
 * encodings ICU does not know.
 */
export async function transcodeToUtf8(path: string, encoding: string, dir: string): Promise<string> {
  const out = join(dir, 'transcoded.csv');
  let decoder: TextDecoder | undefined;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    decoder = undefined;
  }
  if (!decoder) {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(out));
    return out;
  }
  const d = decoder;
  async function* decoded(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
    for await (const chunk of source) yield d.decode(chunk, { stream: true });
    yield d.decode();
  }
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), decoded, createWriteStream(out));
  return out;
}

function stagingDDL(table: string, width: number): string {
  const cols = ['_row BIGINT', '_error VARCHAR', ...Array.from({ length: width }, (_, i) => `c${i} VARCHAR`)];
  return `create or replace temp table ${table} (${cols.join(', ')})`;
}

/** The longest CSV line read; a longer one is refused with its line number (DuckDB's default is 2 MB). */
export const MAX_LINE_BYTES = 64 << 20;

/** Whether a file has a carriage return not followed by a line feed (old Mac or mixed line endings). */
export async function hasLoneCarriageReturn(path: string): Promise<boolean> {
  let prevCr = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (prevCr && chunk[0] !== 0x0a) return true;
    for (let i = chunk.indexOf(0x0d); i >= 0; i = chunk.indexOf(0x0d, i + 1)) {
      if (i + 1 < chunk.length && chunk[i + 1] !== 0x0a) return true;
    }
    prevCr = chunk[chunk.length - 1] === 0x0d;
  }
  return prevCr;
}

/** A copy with every line ending as LF, so DuckDB sees one kind (it detects a single one per file). */
export async function normaliseLineEndings(path: string, dir: string): Promise<string> {
  const out = join(dir, 'line-endings.csv');
  let pendingCr = false;
  const fix = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let text = chunk.toString('latin1'); // byte-preserving: CR and LF are single bytes in UTF-8
      if (pendingCr && text[0] === '\n') text = text.slice(1);
      pendingCr = text.endsWith('\r');
      done(null, Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1'));
    },
  });
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), fix, createWriteStream(out));
  return out;
}

/** DuckDB's CSV error, reduced to the line and the reason a person can act on. */
export function csvErrorMessage(message: string): string {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const reasons = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^(Invalid Input Error|Original Line|Possible Solution|[a-z_]+ = )/.test(l));
  let reason = reasons[0] ?? message.split('\n')[0];
  const size = /Maximum line size of \d+ bytes exceeded/.exec(reason);
  if (size) reason = `the line is longer than ${MAX_LINE_BYTES >> 20} MB`;
  // The file was checked to be valid UTF-8 before this read: DuckDB reports a quote left open
  // at the end of the file after a multi-byte character as invalid unicode.
  const original = /Original Line: (.*)/.exec(message)?.[1] ?? '';
  const openQuote = (original.match(/"/g) ?? []).length % 2 === 1;
  if (/unterminated quote/i.test(reason) || (/Invalid unicode/i.test(reason) && openQuote)) reason = 'a quoted value is not closed (the file may be cut short)';
  else if (/Invalid unicode/i.test(reason)) reason = 'the text is not valid UTF-8 here';
  else if (/Expected Number of Columns/i.test(reason)) reason = reason.replace(/\.$/, '');
  return line ? `line ${line}: ${reason}` : reason;
}

/** DuckDB's default longest line: a file with a longer record is read with MAX_LINE_BYTES from the start. */
const DUCKDB_DEFAULT_LINE = 2_097_152;

/**
 * CSV (already UTF-8): DuckDB reads every cell as text, after the header row. A row's number is
 * the line it starts on in the file (loaders/csv-lines.ts). When every record after the header
 * is one line and no line is blank, the table has only the cells c0… (a CREATE … AS keeps the
 * file's order, so a row's line is its rowid + `rowFromRowid`, and leaving out row_number()
 * keeps the read parallel); otherwise, or with `rowNumbers`, it gets `_row` and `_error`, and
 * blank lines (spaces and tabs only) are not rows.
 */
export async function stageCsv(conn: DuckDBConnection, file: string, csvPath: string, headerRow: number, headers: string[], delim: string, target: string, rowNumbers = true): Promise<{ rows: number; rowFromRowid?: number }> {
  const columns = headers.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const scratch = (await hasLoneCarriageReturn(csvPath)) ? scratchDir() : undefined;
  try {
    const readPath = scratch ? await normaliseLineEndings(csvPath, scratch.dir) : csvPath;
    const lines = await scanCsvLines(readPath, delim, MAX_LINE_BYTES);
    if (lines.overLimitLine !== undefined) throw new FileError(file, `cannot be read as CSV: line ${lines.overLimitLine} is longer than ${MAX_LINE_BYTES >> 20} MB`);
    if (lines.openQuoteLine !== undefined) throw new FileError(file, `cannot be read as CSV: line ${lines.openQuoteLine}: a quoted value is not closed (the file may be cut short)`);
    // DuckDB skips the lines up to the header row; the records starting after it are its rows.
    const headerLine = headerRow + 1;
    let first = 0;
    while (first < lines.records && lineOf(lines.runs, first) <= headerLine) first++;
    const expected = lines.records - first;
    const maxLine = lines.longest >= DUCKDB_DEFAULT_LINE - 1024 ? MAX_LINE_BYTES : undefined;
    // DuckDB reads in parallel only with its default line limit, and not across quoted line ends.
    const read = `read_csv(${sqlString(readPath)}, header = false, skip = ${headerLine}, delim = ${sqlString(delim)}, quote = '"', escape = '"',
      auto_detect = false, null_padding = true, strict_mode = false, all_varchar = true${maxLine ? `, max_line_size = ${maxLine}` : ''}${lines.multiline ? ', parallel = false' : ''}, columns = {${columns}})`;
    try {
      await conn.run(`create or replace temp table ${target} as select * from ${read}`);
    } catch (e) {
      // DuckDB's reader loses its place after text that follows a closing quote (it reports invalid unicode).
      const odd = lines.textAfterQuote[0];
      if (odd !== undefined && odd >= first) throw new FileError(file, `cannot be read as CSV: line ${lineOf(lines.runs, odd)}: text follows the closing quote of a value before the next delimiter; quote the whole value`);
      throw new FileError(file, `cannot be read as CSV: ${csvErrorMessage((e as Error).message)}`);
    }
    const got = Number((await conn.runAndReadAll(`select count(*)::BIGINT n from ${target}`)).getRows()[0][0]);
    if (got !== expected) throw new FileError(file, `cannot be read as CSV: ${expected} records after the header, but the CSV reader returned ${got}; nothing is loaded`);
    const runsAfter = lines.runs.from.filter((r) => r > first).length;
    const blank = lines.blank.filter((r) => r >= first);
    const odd = lines.textAfterQuote.filter((r) => r >= first);
    if (!rowNumbers && !runsAfter && !blank.length && !odd.length) return { rows: got, rowFromRowid: lineOf(lines.runs, first) };
    await numberRows(conn, target, lines.runs, first, blank, odd);
    return { rows: got - blank.length };
  } finally {
    scratch?.dispose();
  }
}

/**
 * Gives a staged CSV table its `_row` (the line each record starts on) and `_error`, without the
 * blank lines: the line runs are joined by rowid (ASOF), so the cost is one pass however many.
 */
async function numberRows(conn: DuckDBConnection, target: string, runs: LineRuns, first: number, blank: number[], textAfterQuote: number[]): Promise<void> {
  const put = async (table: string, ddl: string, rows: number[][]) => {
    await conn.run(`create or replace temp table ${table} (${ddl})`);
    const a = await conn.createAppender(table, 'main', 'temp');
    for (const r of rows) {
      for (const v of r) a.appendBigInt(BigInt(v));
      a.endRow();
    }
    a.flushSync();
    a.closeSync();
  };
  // Runs as seen from DuckDB's rowid (record - first); the run holding `first` starts at 0.
  const from: number[][] = [];
  for (let i = 0; i < runs.from.length; i++) {
    const next = runs.from[i + 1] ?? Infinity;
    if (next <= first) continue;
    from.push([Math.max(0, runs.from[i] - first), runs.offset[i] + first]);
  }
  await put('st_line_runs', 'from_row BIGINT, line_offset BIGINT', from);
  await put('st_blank_rows', 'seq BIGINT', blank.map((r) => [r - first]));
  await put('st_odd_rows', 'seq BIGINT', textAfterQuote.map((r) => [r - first]));
  await conn.run(`create or replace temp table ${target}_numbered as
    select (s.rowid + r.line_offset)::BIGINT as _row,
      case when s.rowid in (select seq from st_odd_rows) then 'text follows the closing quote of a value before the next delimiter; the reader would drop it: quote the whole value' end::VARCHAR as _error,
      s.* from ${target} s asof join st_line_runs r on s.rowid >= r.from_row
    where s.rowid not in (select seq from st_blank_rows)
    order by s.rowid`);
  await conn.run(`drop table ${target}; alter table ${target}_numbered rename to ${target}; drop table st_line_runs; drop table st_blank_rows; drop table st_odd_rows`);
}

/** Appends rows of text cells to a staging table through DuckDB's appender. */
export class StagingAppender {
  private appender!: Awaited<ReturnType<DuckDBConnection['createAppender']>>;
  rows = 0;
  constructor(private conn: DuckDBConnection, private table: string, private width: number) {}
  async open(): Promise<void> {
    await this.conn.run(stagingDDL(this.table, this.width));
    this.appender = await this.conn.createAppender(this.table, 'main', 'temp');
  }
  append(rowNumber: number, cells: (string | null)[], error: string | null = null): void {
    const a = this.appender;
    a.appendBigInt(BigInt(rowNumber));
    if (error === null) a.appendNull();
    else a.appendVarchar(error);
    for (let i = 0; i < this.width; i++) {
      const v = cells[i];
      if (v === null || v === undefined || v === '') a.appendNull();
      else a.appendVarchar(v);
    }
    a.endRow();
    this.rows++;
  }
  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}



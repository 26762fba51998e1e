/**
 * Reading an export of any accepted format into one shape inside DuckDB: a staging table
 * `(_row BIGINT, _error VARCHAR, c0 … cN VARCHAR)` where `_row` is the row number a person sees in
 * the file (spreadsheet row, CSV line, JSON array position) and `_error` a row-level read error.
 * CSV goes straight through DuckDB's read_csv; GBK is transcoded with iconv-lite first; XLSX is
 * streamed with exceljs and JSON parsed in JS, both appended through DuckDB's appender.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { sqlString } from './db.ts';

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

/** One pass over the file: its content hash and whether it is valid UTF-8. */
export async function fingerprint(path: string): Promise<Fingerprint> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let first = true;
  let bom = false;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (first) {
      bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
    }
    if (utf8) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        utf8 = false;
      }
    }
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  return { sha256: hash.digest('hex'), bytes, encoding: utf8 ? (bom ? 'utf-8-bom' : 'utf-8') : 'gb18030' };
}

export function formatOf(path: string, head: Buffer): Format | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') {
    const first = head.toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
    return first === '[' ? 'json' : first === '{' ? 'ndjson' : 'json';
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

export async function transcodeToUtf8(path: string, encoding: string, dir: string): Promise<string> {
  const out = join(dir, 'transcoded.csv');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(out));
  return out;
}

function stagingDDL(table: string, width: number): string {
  const cols = ['_row BIGINT', '_error VARCHAR', ...Array.from({ length: width }, (_, i) => `c${i} VARCHAR`)];
  return `create or replace temp table ${table} (${cols.join(', ')})`;
}

/** CSV (already UTF-8): DuckDB reads every cell as text, after the header row. */
export async function stageCsv(conn: DuckDBConnection, file: string, csvPath: string, headerRow: number, headers: string[], delim: string, target: string): Promise<number> {
  const columns = headers.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const read = `read_csv(${sqlString(csvPath)}, header = false, skip = ${headerRow + 1}, delim = ${sqlString(delim)}, quote = '"', escape = '"',
    auto_detect = false, null_padding = true, strict_mode = false, all_varchar = true, columns = {${columns}})`;
  try {
    await conn.run(`create or replace temp table ${target} as
      select (row_number() over ())::BIGINT + ${headerRow + 1} as _row, null::VARCHAR as _error, * from ${read}`);
  } catch (e) {
    throw new FileError(file, `cannot be read as CSV: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = await conn.runAndReadAll(`select count(*)::BIGINT n from ${target}`);
  return Number(r.getRows()[0][0]);
}

/** Converts an exceljs cell value to the text a person sees; date cells keep their wall-clock value. */
export function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const iso = v.toISOString();
    const time = iso.slice(11, 19);
    return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return v.result === undefined ? null : cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return null;
    return JSON.stringify(v);
  }
  return String(v);
}

/** Streams the first worksheet; `onRows` decides the header from the first rows, then rows flow. */
export async function* xlsxRows(file: string, path: string): AsyncGenerator<{ number: number; cells: (string | null)[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' } as never);
  try {
    for await (const ws of reader as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
      for await (const row of ws) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: (string | null)[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { number: row.number, cells };
      }
      return; // first sheet only
    }
  } catch (e) {
    throw new FileError(file, `cannot be read as XLSX: ${(e as Error).message}`);
  }
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

export function jsonValueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

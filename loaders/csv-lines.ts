/**
 * Where each record of a CSV file starts, as a clerk finds it: the line number in the file.
 * DuckDB's read_csv numbers nothing and skips empty lines; a quoted value may span lines; and a
 * line holding only spaces is, to DuckDB, a record of one blank cell. One streaming pass over
 * the bytes DuckDB will read (UTF-8, LF or CRLF line ends) records exactly what DuckDB counts
 * as a record, the line each one starts on, which ones are blank lines, and the longest one, so
 * that a row is reported by its line, blank lines are not rows, and a record DuckDB leaves out
 * is noticed (the counts must agree) instead of silently missing.
 */
import { createReadStream } from 'node:fs';

/** Record index → start line, as runs: from record `from[i]` on, line = record + offset[i]. */
export interface LineRuns { from: number[]; offset: number[] }

export interface CsvLines {
  /** Records, every non-empty line (or quoted span of lines) counted: title and header rows included. */
  records: number;
  runs: LineRuns;
  /** Records that are a single line of spaces and tabs only. */
  blank: number[];
  /** Bytes of the longest record, and the line of the first record longer than `limit`. */
  longest: number;
  overLimitLine?: number;
  /** A quoted value spans a line end somewhere. */
  multiline: boolean;
  /** The file ends inside a quoted value (from this line). */
  openQuoteLine?: number;
  /** Records with text between a closing quote and the next delimiter, which DuckDB drops. */
  textAfterQuote: number[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const SPACE = 0x20;

/**
 * Scans a CSV file with the given delimiter; stops early at a record longer than `limit`. The
 * quoting rules are DuckDB's (strict_mode off): a quote opens a quoted value at the start of a
 * field, also after one space; anywhere else it is a literal character. After a closing quote,
 * spaces may come before the delimiter; any other text there DuckDB drops, so it is reported.
 */
export async function scanCsvLines(path: string, delimiter: string, limit: number, chunkBytes = 1 << 20): Promise<CsvLines> {
  const delim = delimiter.charCodeAt(0);
  const out: CsvLines = { records: 0, runs: { from: [], offset: [] }, blank: [], longest: 0, multiline: false, textAfterQuote: [] };
  let line = 1;
  let inQuote = false;
  /** A quote was the last byte of a chunk inside a quoted value: closing, or the first of "". */
  let quoteAtEnd = false;
  /** Where the current field stands: 0 at its start, 1 after one space at its start, 2 inside it. */
  let lead = 0;
  /** A quoted value closed and only spaces followed so far: a delimiter or a line end may come. */
  let closed = false;
  let textAfterQuote = false;
  let recordOpen = false;
  let recordLine = 0;
  let recordBytes = 0;
  let blank = true;
  let offset = NaN;

  const endRecord = () => {
    const r = out.records++;
    if (recordLine - r !== offset) {
      offset = recordLine - r;
      out.runs.from.push(r);
      out.runs.offset.push(offset);
    }
    if (blank && recordLine === line) out.blank.push(r);
    if (textAfterQuote) out.textAfterQuote.push(r);
    if (recordBytes > out.longest) out.longest = recordBytes;
    textAfterQuote = false;
    closed = false;
    recordOpen = false;
    lead = 0;
    blank = true;
    recordBytes = 0;
  };
  const open = () => {
    if (!recordOpen) {
      recordOpen = true;
      recordLine = line;
    }
  };
  const closeQuote = () => {
    inQuote = false;
    closed = true;
    lead = 2;
  };
  /** Plain bytes [a, b) outside quotes, with no quote and no line feed among them. */
  const plain = (chunk: Buffer, a: number, b: number) => {
    if (b <= a) return;
    // Only a carriage return before its line feed is no content (files reach here with LF or CRLF ends).
    if (b - a > 1 || chunk[a] !== CR) {
      open();
      if (blank) for (let k = a; k < b && blank; k++) blank = chunk[k] === SPACE || chunk[k] === 0x09 || chunk[k] === CR;
    }
    if (closed) {
      let k = a;
      while (k < b && chunk[k] === SPACE) k++;
      if (k < b) {
        if (chunk[k] !== delim && chunk[k] !== CR) textAfterQuote = true;
        closed = false;
      }
    }
    const last = chunk[b - 1];
    if (last === delim) lead = 0;
    else if (last === SPACE && b - 2 >= a && chunk[b - 2] === delim) lead = 1;
    else if (b - a === 1 && last === SPACE && lead === 0) lead = 1;
    else if (last !== CR || b - a > 1) lead = 2;
    recordBytes += b - a;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    let i = 0;
    const n = chunk.length;
    if (quoteAtEnd) {
      quoteAtEnd = false;
      if (chunk[0] === QUOTE) {
        i = 1; // "" inside a quoted value
        recordBytes++;
      } else closeQuote();
    }
    let nextQuote = chunk.indexOf(QUOTE, i);
    while (i < n) {
      if (inQuote) {
        const q = nextQuote;
        const stop = q < 0 ? n : q;
        for (let nl = chunk.indexOf(LF, i); nl >= 0 && nl < stop; nl = chunk.indexOf(LF, nl + 1)) {
          line++;
          out.multiline = true;
        }
        recordBytes += stop - i;
        if (q < 0) {
          i = n;
          break;
        }
        recordBytes++;
        if (q + 1 >= n) {
          quoteAtEnd = true;
          i = n;
          break;
        }
        if (chunk[q + 1] === QUOTE) {
          recordBytes++;
          i = q + 2;
        } else {
          closeQuote();
          i = q + 1;
        }
        nextQuote = chunk.indexOf(QUOTE, i);
        continue;
      }
      // Outside quotes: up to the next line end or quote, whichever comes first.
      let nl = chunk.indexOf(LF, i);
      if (nl < 0) nl = n;
      if (nextQuote >= 0 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
      const stop = nextQuote >= 0 && nextQuote < nl ? nextQuote : nl;
      plain(chunk, i, stop);
      if (stop === nextQuote && stop < nl) {
        if (closed) textAfterQuote = true;
        closed = false;
        open();
        blank = false;
        if (lead < 2) inQuote = true;
        lead = 2;
        recordBytes++;
        i = stop + 1;
        nextQuote = chunk.indexOf(QUOTE, i);
        continue;
      }
      if (nl < n) {
        if (recordOpen) endRecord();
        else {
          lead = 0;
          closed = false;
        }
        line++;
      }
      i = nl + 1;
      if (recordBytes > limit && out.overLimitLine === undefined) {
        out.overLimitLine = recordLine;
        return out;
      }
    }
    if (recordBytes > limit && out.overLimitLine === undefined) {
      out.overLimitLine = recordLine;
      return out;
    }
  }
  if (quoteAtEnd) inQuote = false;
  if (inQuote) out.openQuoteLine = recordLine;
  if (recordOpen) endRecord();
  return out;
}

/** The line a record starts on. */
export function lineOf(runs: LineRuns, record: number): number {
  let lo = 0;
  let hi = runs.from.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs.from[mid] <= record) lo = mid;
    else hi = mid - 1;
  }
  return record + (runs.offset[lo] ?? 1);
}

/**
 * A streaming XLSX reader for exports: each worksheet's cells as the text a person sees, row by
 * row, in memory independent of the sheet's size.
 *
 * Why not exceljs's WorkbookReader: it decodes each inflated chunk to a string on its own, so a
 * Chinese character split across two chunks turns into "��" (exceljs issues #2063, #2084) — one
 * unit name in a few thousand silently corrupted. Here the sheet is inflated by zlib and decoded
 * by one streaming TextDecoder, and rows are cut out of the text only when complete.
 * The reader also refuses what would exhaust memory before spending it: an entry or the whole
 * workbook inflating past a size or ratio limit (zip bombs), a cell reference or declared
 * dimension outside Excel's grid (`ZZZZZZZ3`), and cells holding far more text than the file
 * could (one long shared string referenced in many cells).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream, statSync } from 'node:fs';
import { createInflateRaw } from 'node:zlib';

export class XlsxError extends Error {}

/** An entry may not inflate to more than this many bytes, nor more than RATIO × its compressed size. */
export const MAX_ENTRY_BYTES = 4 * 1024 ** 3;
export const MAX_RATIO = 200;
/** Excel's grid: columns A to XFD, rows 1 to 1,048,576. */
export const MAX_COLUMNS = 16_384;
export const MAX_ROWS = 1_048_576;
/** The text all cells of a workbook may hold: MAX_RATIO × the file's size, at least this much. */
export const MIN_TEXT_BUDGET = 64 * 1024 ** 2;

interface Entry { name: string; method: number; compressedSize: number; size: number; headerOffset: number }

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** The central directory: every entry's name, sizes and where its data starts. */
async function readEntries(path: string): Promise<Map<string, Entry>> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 22) throw new XlsxError('is not an XLSX file (too short to be a zip archive)');
    const tailLen = Math.min(size, 65_557);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new XlsxError('is not an XLSX file (no zip directory; it may be truncated or another format renamed .xlsx)');
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset + dirSize > size) throw new XlsxError('is not a valid XLSX file (its zip directory points past the end of the file)');
    const dir = await readAt(fh, dirOffset, dirSize);
    const entries = new Map<string, Entry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) throw new XlsxError('is not a valid XLSX file (damaged zip directory)');
      const method = dir.readUInt16LE(p + 10);
      const compressedSize = dir.readUInt32LE(p + 20);
      const uncompressed = dir.readUInt32LE(p + 24);
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      const headerOffset = dir.readUInt32LE(p + 42);
      const name = dir.toString('utf8', p + 46, p + 46 + nameLen);
      entries.set(name, { name, method, compressedSize, size: uncompressed, headerOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** What a workbook may still inflate, shared by all its entries. */
interface Budget { inflate: number; text: number; fileBytes: number }

/** The entry's inflated bytes as a stream, stopped with an error past the zip-bomb limits. */
async function* entryChunks(path: string, e: Entry, budget?: Budget): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  let dataStart: number;
  try {
    const local = await readAt(fh, e.headerOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new XlsxError(`is not a valid XLSX file (damaged entry ${e.name})`);
    dataStart = e.headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (e.compressedSize === 0) return;
  const limit = Math.min(MAX_ENTRY_BYTES, Math.max(1 << 20, e.compressedSize * MAX_RATIO));
  if (e.size > limit) throw new XlsxError(`declares that ${e.name} inflates to ${Math.round(e.size / 1024 ** 2)} MB (${Math.round(e.size / Math.max(1, e.compressedSize))}× its compressed size): refused as a possible zip bomb`);
  const raw = createReadStream(path, { start: dataStart, end: dataStart + e.compressedSize - 1, highWaterMark: 1 << 20 });
  let total = 0;
  const source: AsyncIterable<Buffer> = e.method === 0 ? raw : e.method === 8 ? raw.pipe(createInflateRaw()) : (() => { throw new XlsxError(`uses an unsupported zip compression (method ${e.method}) for ${e.name}`); })();
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) throw new XlsxError(`inflates ${e.name} past ${Math.round(limit / 1024 ** 2)} MB (${MAX_RATIO}× its compressed size): refused as a possible zip bomb`);
      if (budget) {
        budget.inflate -= chunk.length;
        if (budget.inflate < 0) throw new XlsxError(`inflates past ${Math.round(workbookLimit(budget.fileBytes) / 1024 ** 2)} MB in all (${MAX_RATIO}× the file's size): refused as a possible zip bomb`);
      }
      yield chunk;
    }
  } catch (err) {
    raw.destroy();
    if (err instanceof XlsxError) throw err;
    throw new XlsxError(`is damaged: ${e.name} cannot be decompressed (${(err as Error).message})`);
  }
}

/** All entries of a workbook together may not inflate past this. */
function workbookLimit(fileBytes: number): number {
  return Math.min(MAX_ENTRY_BYTES, Math.max(1 << 20, fileBytes * MAX_RATIO));
}

async function entryText(path: string, e: Entry, budget?: Budget): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of entryChunks(path, e, budget)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

/** The longest single element (one row, one shared string) the reader holds in memory. */
export const MAX_ELEMENT_CHARS = 256 * 1024 * 1024;

/**
 * Text pieces of a complete XML element list, cut out of a stream as each one closes, handed out
 * as one array per inflated chunk (an await per element would cost more than parsing it). The
 * scan resumes where it stopped, so a long element spread over many chunks is read in linear time.
 */
async function* elementBatches(chunks: AsyncIterable<Buffer>, tag: string): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  const open = new RegExp(`<${tag}[\\s>/]`, 'g');
  const close = `</${tag}>`;
  let buf = '';
  /** Start of the element being read (-1: none yet) and where to resume looking for its end. */
  let start = -1;
  let resume = 0;
  const drain = (out: string[]): string[] => {
    for (;;) {
      if (start < 0) {
        open.lastIndex = resume;
        const m = open.exec(buf);
        if (!m) {
          resume = Math.max(0, buf.length - tag.length - 2);
          return out;
        }
        start = m.index;
        resume = start + 1;
      }
      const gt = buf.indexOf('>', resume);
      if (gt < 0) return out;
      if (buf[gt - 1] === '/' && buf.lastIndexOf('<', gt) === start) {
        out.push(buf.slice(start, gt + 1));
        start = -1;
        resume = gt + 1;
        continue;
      }
      const end = buf.indexOf(close, Math.max(resume, gt));
      if (end < 0) {
        resume = Math.max(gt, buf.length - close.length);
        if (buf.length - start > MAX_ELEMENT_CHARS) throw new XlsxError(`has a single ${tag} element over ${MAX_ELEMENT_CHARS / 1024 ** 2} MB: refused`);
        return out;
      }
      out.push(buf.slice(start, end + close.length));
      start = -1;
      resume = end + close.length;
    }
  };
  for await (const c of chunks) {
    buf += decoder.decode(c, { stream: true });
    const batch = drain([]);
    // Drop what is consumed; keep the element in progress.
    const keep = start >= 0 ? start : resume;
    if (keep > 0) {
      buf = buf.slice(keep);
      if (start >= 0) {
        resume -= start;
        start = 0;
      } else resume = 0;
    }
    if (batch.length) yield batch;
  }
  buf += decoder.decode();
  const last = drain([]);
  if (last.length) yield last;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e]);
}

/** All text runs of a shared or inline string (<t>…</t>, rich text <r><t>…</t></r>; phonetic <rPh> skipped). */
function stringText(xml: string): string {
  const noPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of noPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ?? '';
  return unescapeXml(out);
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare);
}

/** Which cell styles display a date: index in cellXfs → true. */
function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"/g)) custom.set(Number(m[1]), unescapeXml(m[2]));
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b([^>]*)/g)].map((m) => {
    const id = Number(/numFmtId="(\d+)"/.exec(m[1])?.[1] ?? 0);
    return BUILTIN_DATE_FORMATS.has(id) || (custom.has(id) && isDateFormat(custom.get(id)!));
  });
}

/** Excel serial day → wall-clock text; time is shown only when there is one. */
export function serialToText(serial: number, date1904 = false): string {
  const ms = Math.round((serial + (date1904 ? 1462 : 0) - 25569) * 86_400_000);
  const iso = new Date(ms).toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

/**
 * The <c> elements of a row: attribute text and body. A hand scan rather than a regular
 * expression per cell: a sheet of 200,000 rows has millions of cells.
 */
function* cellsOf(rowXml: string): Generator<{ attrs: string; body: string }> {
  let pos = rowXml.indexOf('<c');
  while (pos >= 0) {
    const after = rowXml.charCodeAt(pos + 2);
    // <c followed by whitespace, > or /: a cell (not <col…> or any other name starting with c).
    if (after !== 32 && after !== 9 && after !== 10 && after !== 13 && after !== 62 && after !== 47) {
      pos = rowXml.indexOf('<c', pos + 2);
      continue;
    }
    const gt = rowXml.indexOf('>', pos);
    if (gt < 0) return;
    if (rowXml.charCodeAt(gt - 1) === 47) {
      yield { attrs: rowXml.slice(pos + 2, gt - 1), body: '' };
      pos = rowXml.indexOf('<c', gt + 1);
      continue;
    }
    const close = rowXml.indexOf('</c>', gt);
    if (close < 0) return;
    yield { attrs: rowXml.slice(pos + 2, gt), body: rowXml.slice(gt + 1, close) };
    pos = rowXml.indexOf('<c', close + 4);
  }
}

/** The value of name="…" among an element's attributes ('' when absent). */
function attribute(attrs: string, name: string): string {
  const key = `${name}="`;
  for (let i = attrs.indexOf(key); i >= 0; i = attrs.indexOf(key, i + 1)) {
    const before = attrs.charCodeAt(i - 1);
    if (i === 0 || before === 32 || before === 9 || before === 10 || before === 13) {
      const end = attrs.indexOf('"', i + key.length);
      return end < 0 ? '' : attrs.slice(i + key.length, end);
    }
  }
  return '';
}

/** Column (0-based) and row (1-based) of a reference such as `AB12`; a row of 0 when it has none. */
function cellRef(ref: string): { col: number; row: number } {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  const row = Number(ref.slice(i)) || 0;
  return { col: col - 1, row };
}

/** Refuses a reference outside Excel's grid before any memory is spent on it. */
function checkRef(ref: string, what: string): void {
  const { col, row } = cellRef(ref);
  if (col >= MAX_COLUMNS || row > MAX_ROWS || ref.length > 12) {
    throw new XlsxError(`has ${what} ${JSON.stringify(ref.slice(0, 20))} outside Excel's grid (A1:XFD1048576): refused`);
  }
}

export interface XlsxRow { number: number; cells: (string | null)[] }

export interface SheetInfo {
  /** The name on the sheet's tab. */
  name: string;
  hidden: boolean;
  /** Its entry in the archive (xl/worksheets/sheet1.xml). */
  entry: string;
}

/**
 * An open workbook: its sheets in workbook order, read one at a time. The shared strings and
 * styles are read once; every entry inflated counts against one budget for the workbook.
 */
export class Workbook {
  private shared?: string[];
  private dates: boolean[] = [];
  private date1904 = false;
  sheets: SheetInfo[] = [];

  private constructor(private path: string, private entries: Map<string, Entry>, private budget: Budget) {}

  static async open(path: string): Promise<Workbook> {
    const entries = await readEntries(path);
    const { size } = statSync(path);
    const budget: Budget = { inflate: workbookLimit(size), text: Math.max(MIN_TEXT_BUDGET, size * MAX_RATIO), fileBytes: size };
    const wbEntry = entries.get('xl/workbook.xml');
    if (!wbEntry) throw new XlsxError('is not an XLSX workbook (no xl/workbook.xml; an .xls or other file renamed?)');
    // What the directory declares is checked before anything is inflated.
    const declared = [...entries.values()].filter((e) => e.name.startsWith('xl/')).reduce((n, e) => n + e.size, 0);
    if (declared > budget.inflate) throw new XlsxError(`declares ${Math.round(declared / 1024 ** 2)} MB of content in a ${Math.round(size / 1024)} KB file (over ${MAX_RATIO}× its size): refused as a possible zip bomb`);
    const w = new Workbook(path, entries, budget);
    const wb = await entryText(path, wbEntry, budget);
    w.date1904 = /<workbookPr\b[^>]*date1904="(1|true)"/.test(wb);
    const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
    const targets = new Map<string, string>();
    if (relsEntry) {
      for (const m of (await entryText(path, relsEntry, budget)).matchAll(/<Relationship\b([^>]*)\/?>/g)) {
        const id = attribute(m[1], 'Id');
        const target = attribute(m[1], 'Target');
        if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);
      }
    }
    let n = 0;
    for (const m of wb.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
      n++;
      const attrs = ' ' + m[1];
      const id = /\br:id="([^"]+)"/.exec(attrs)?.[1] ?? '';
      const state = attribute(attrs, 'state');
      w.sheets.push({ name: unescapeXml(attribute(attrs, 'name')) || `Sheet${n}`, hidden: state === 'hidden' || state === 'veryHidden', entry: targets.get(id) ?? `xl/worksheets/sheet${n}.xml` });
    }
    if (!w.sheets.length) w.sheets.push({ name: 'Sheet1', hidden: false, entry: 'xl/worksheets/sheet1.xml' });
    return w;
  }

  private textRefusal(): XlsxError {
    const limit = Math.max(MIN_TEXT_BUDGET, this.budget.fileBytes * MAX_RATIO);
    return new XlsxError(`holds more than ${Math.round(limit / 1024 ** 2)}M characters of cell text, far more than its ${Math.round(this.budget.fileBytes / 1024)} KB could (one long text repeated in many cells?): refused`);
  }

  private async prepare(): Promise<void> {
    if (this.shared) return;
    const shared: string[] = [];
    const sst = this.entries.get('xl/sharedStrings.xml');
    if (sst) {
      for await (const batch of elementBatches(entryChunks(this.path, sst, this.budget), 'si')) {
        for (const si of batch) {
          const text = stringText(si);
          // Held in memory for the whole read: each string costs its text and a slot in the table.
          this.budget.text -= text.length + 16;
          if (this.budget.text < 0) throw this.textRefusal();
          shared.push(text);
        }
      }
    }
    const stylesEntry = this.entries.get('xl/styles.xml');
    this.dates = stylesEntry ? dateStyles(await entryText(this.path, stylesEntry, this.budget)) : [];
    this.shared = shared;
  }

  /**
   * A sheet's rows, in arrays of the rows each inflated chunk completes. Cells at or beyond
   * `keep.columns` are dropped (a header of N columns needs no more), a blank row is kept.
   */
  async *rows(sheet: SheetInfo, keep: { columns: number } = { columns: MAX_COLUMNS }): AsyncGenerator<XlsxRow[]> {
    const entry = this.entries.get(sheet.entry);
    if (!entry) throw new XlsxError(`has no worksheet at ${sheet.entry} (sheet ${JSON.stringify(sheet.name)})`);
    await this.prepare();
    const shared = this.shared!;
    const dates = this.dates;
    const budget = this.budget;
    let rowNumber = 0;
    for await (const batch of elementBatches(withDimensionCheck(entryChunks(this.path, entry, budget)), 'row')) {
      const rows: XlsxRow[] = [];
      for (const rowXml of batch) {
        const r = /^<row\b[^>]*?\br="(\d+)"/.exec(rowXml);
        rowNumber = r ? Number(r[1]) : rowNumber + 1;
        if (rowNumber > MAX_ROWS) throw new XlsxError(`has row ${rowNumber} beyond Excel's last row (${MAX_ROWS.toLocaleString('en-US')}): refused`);
        const cells: (string | null)[] = [];
        let next = 0;
        for (const c of cellsOf(rowXml)) {
          // A reference that does not start with column letters is ignored, as if absent.
          const ref = attribute(c.attrs, 'r');
          if (ref) checkRef(ref, 'a cell reference');
          const fromRef = cellRef(ref).col;
          const col = fromRef >= 0 ? fromRef : next;
          next = col + 1;
          if (col >= MAX_COLUMNS) throw new XlsxError(`has a cell beyond Excel's last column (XFD) in row ${rowNumber}: refused`);
          if (col >= keep.columns) continue;
          const text = cellText(c, shared, dates, this.date1904);
          if (text !== null) {
            budget.text -= text.length;
            if (budget.text < 0) throw this.textRefusal();
          }
          while (cells.length < col) cells.push(null);
          cells[col] = text;
        }
        rows.push({ number: rowNumber, cells });
      }
      yield rows;
    }
  }
}

/** A cell's displayed text; an error cell keeps its error (#REF!, #N/A, …) so the row is quarantined. */
function cellText(c: { attrs: string; body: string }, shared: string[], dates: boolean[], date1904: boolean): string | null {
  const body = c.body;
  const type = attribute(c.attrs, 't') || 'n';
  const vStart = body.indexOf('<v>');
  const vEnd = vStart < 0 ? -1 : body.indexOf('</v>', vStart + 3);
  const v = vEnd < 0 ? undefined : body.slice(vStart + 3, vEnd);
  if (type === 'inlineStr') return stringText(body);
  if (v === undefined) return null;
  if (type === 's') return shared[Number(v)] ?? null;
  if (type === 'str' || type === 'e') return unescapeXml(v);
  if (type === 'b') return v === '1' ? 'true' : 'false';
  if (type === 'd') return unescapeXml(v).replace('T', ' ').replace(/Z$/, '');
  const style = Number(attribute(c.attrs, 's') || -1);
  const num = Number(v);
  return style >= 0 && dates[style] && Number.isFinite(num) ? serialToText(num, date1904) : v;
}

/** Passes a sheet's bytes through, refusing a declared <dimension> outside Excel's grid on the way. */
async function* withDimensionCheck(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head = '';
  let checked = false;
  for await (const c of chunks) {
    if (!checked) {
      head += c.toString('latin1', 0, Math.min(c.length, 65_536));
      const dim = /<dimension\b[^>]*\bref="([^"]*)"/.exec(head);
      if (dim) for (const ref of dim[1].split(':')) checkRef(ref, 'a declared dimension');
      checked = !!dim || /<sheetData\b/.test(head) || head.length >= 65_536;
    }
    yield c;
  }
}

/** Rows of the first visible worksheet, with cells as displayed text. */
export async function* readXlsxRows(path: string): AsyncGenerator<XlsxRow> {
  for await (const batch of readXlsxRowBatches(path)) yield* batch;
}

/** The same rows as readXlsxRows, in arrays of the rows each inflated chunk completes. */
export async function* readXlsxRowBatches(path: string): AsyncGenerator<XlsxRow[]> {
  const wb = await Workbook.open(path);
  const sheet = wb.sheets.find((s) => !s.hidden) ?? wb.sheets[0];
  yield* wb.rows(sheet);
}

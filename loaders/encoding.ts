/**
 * Which encoding a text export is in, proven from its bytes rather than guessed. The accepted
 * encodings are UTF-8 (with or without a byte-order mark) and GBK/GB18030. A file is:
 *
 * - UTF-8 when all of it is valid UTF-8 (the decoder's strict rules: no overlong forms, no
 *   surrogates, no stray continuation bytes);
 * - GBK when it is not UTF-8, every byte sequence is a valid GBK/GB18030 character, no line is
 *   UTF-8 Chinese pasted in (mixed files), and the characters are what a GBK export holds: no
 *   user-defined (private use) characters, no four-byte GB18030 characters outside the CJK
 *   extensions, and at most one character in ten from outside GB2312's hanzi and punctuation
 *   (GBK-only rare hanzi, kana, Greek, Cyrillic, pinyin and box-drawing rows). Big5, Shift-JIS
 *   and Windows-1252 text decodes under GBK into exactly those characters, or into byte pairs
 *   GBK has no character for;
 * - refused otherwise, naming the first offending line and byte and the encodings tried.
 *
 * UTF-16 and UTF-32 (with a byte-order mark, or UTF-16 recognised by its zero bytes) and binary
 * files are refused with a one-line message of their own.
 */
import { createReadStream } from 'node:fs';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export class EncodingError extends Error {}

const TRIED = 'tried UTF-8 and GBK/GB18030';
const RESAVE = 'save it as UTF-8 (Excel: 另存为 → CSV UTF-8) or GBK';

/** UTF-16/32 byte-order marks, or UTF-16 without one (every other byte zero). */
export function utf16Problem(head: Buffer): string | undefined {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x0000feff) return 'is UTF-32 text (byte-order mark FF FE 00 00)';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x0000feff) return 'is UTF-32 text (byte-order mark 00 00 FE FF)';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'is UTF-16 text (byte-order mark FF FE)';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'is UTF-16 text (byte-order mark FE FF)';
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  // ASCII text in UTF-16 has a zero in every other byte and almost none in the others.
  const half = n / 2;
  if ((oddZero > half * 0.3 && evenZero < half * 0.05) || (evenZero > half * 0.3 && oddZero < half * 0.05)) return 'looks like UTF-16 text without a byte-order mark (every other byte is zero)';
  return undefined;
}

export function utf16Message(problem: string): string {
  return `${problem}; Steward reads UTF-8 and GBK: ${RESAVE}`;
}

/** What one character of a GBK reading is. */
type CharClass = 'common' | 'unusual' | 'implausible';

/**
 * A two-byte GBK character by its bytes: GB2312's hanzi and punctuation rows are common in any
 * export; GBK's other hanzi, kana, Greek, Cyrillic, pinyin and box rows are unusual; user-defined
 * areas are never in an export.
 */
function twoByteClass(lead: number, trail: number): CharClass {
  if (lead <= 0xa0) return 'unusual'; // GBK/3 hanzi
  if (trail >= 0xa1) {
    if (lead >= 0xb0 && lead <= 0xf7) return lead === 0xd7 && trail >= 0xfa ? 'implausible' : 'common';
    if (lead <= 0xa3) return 'common';
    if (lead <= 0xa9) return 'unusual';
    return 'implausible'; // AAA1–AFFE, F8A1–FEFE: user-defined
  }
  // Trail 40–A0: user-defined below A8, GBK/5 symbols (A8–A9), GBK/4 hanzi (AA–FE).
  return lead <= 0xa7 ? 'implausible' : 'unusual';
}

const gb18030 = new TextDecoder('gb18030');

/** A four-byte GB18030 character: CJK extension hanzi are unusual, anything else is not an export's. */
function fourByteClass(bytes: Buffer): CharClass {
  const cp = gb18030.decode(bytes).codePointAt(0) ?? 0;
  const cjk = (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3ffff) || (cp >= 0x9fa6 && cp <= 0x9fff);
  return cjk ? 'unusual' : 'implausible';
}

interface Place { line: number; byte: number }

/**
 * One pass over a file that is not UTF-8: per line, whether it is valid GBK, valid UTF-8, and
 * how plausible its GBK reading is; for the file, the counts behind the decision.
 */
class GbkScan {
  private line = 1;
  private offset = 0;
  private lineStart = 0;
  /** The GBK character being read: how many bytes so far, those bytes, and where it started. */
  private seqLen = 0;
  private lead = 0;
  private second = 0;
  private third = 0;
  private seqStart = 0;
  /** UTF-8 validation of the current line: continuation bytes still expected, and the next one's bounds. */
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private lineUtf8 = true;
  private lineGbk = true;
  private lineHigh = false;
  private lineChars = 0;
  private lineUnusual = 0;
  private lineImplausible = -1;
  /** Characters of the GBK reading, and how many of them are unusual. */
  chars = 0;
  unusual = 0;
  implausible?: Place;
  /** The first line that is neither valid UTF-8 nor valid GBK, at its first bad GBK byte. */
  neither?: Place;
  private lineInvalidGbk = -1;
  firstUtf8Line?: Place;

  scan(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b < 0x80 && this.seqLen === 0 && this.need === 0) {
        if (b === 0x0a) this.endLine(this.offset + i + 1);
        continue;
      }
      if (b >= 0x80) this.lineHigh = true;
      this.utf8(b);
      this.gbk(b, this.offset + i);
      if (b === 0x0a) this.endLine(this.offset + i + 1);
    }
    this.offset += chunk.length;
  }

  end(): void {
    if (this.seqLen) this.invalid(this.seqStart);
    if (this.need) this.lineUtf8 = false;
    this.endLine(this.offset);
  }

  private utf8(b: number): void {
    if (this.need) {
      if (b >= this.lo && b <= this.hi) {
        this.need--;
        this.lo = 0x80;
        this.hi = 0xbf;
        return;
      }
      this.lineUtf8 = false;
      this.need = 0;
      this.lo = 0x80;
      this.hi = 0xbf;
    }
    if (b < 0x80) return;
    if (b >= 0xc2 && b <= 0xdf) this.need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      this.need = 2;
      if (b === 0xe0) this.lo = 0xa0;
      if (b === 0xed) this.hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      this.need = 3;
      if (b === 0xf0) this.lo = 0x90;
      if (b === 0xf4) this.hi = 0x8f;
    } else this.lineUtf8 = false;
  }

  private gbk(b: number, at: number): void {
    // A byte that cannot continue the character being read may start one of its own: read it again.
    for (;;) {
      const n = this.seqLen;
      if (n === 0) {
        if (b < 0x80) return;
        if (b === 0x80 || b === 0xff) return this.invalid(at);
        this.lead = b;
        this.seqLen = 1;
        this.seqStart = at;
        return;
      }
      if (n === 1) {
        if ((b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfe)) {
          this.count(twoByteClass(this.lead, b));
          this.seqLen = 0;
          return;
        }
        if (b >= 0x30 && b <= 0x39) {
          this.second = b;
          this.seqLen = 2;
          return;
        }
      } else if (n === 2) {
        if (b >= 0x81 && b <= 0xfe) {
          this.third = b;
          this.seqLen = 3;
          return;
        }
      } else if (b >= 0x30 && b <= 0x39) {
        this.count(fourByteClass(Buffer.from([this.lead, this.second, this.third, b])));
        this.seqLen = 0;
        return;
      }
      this.invalid(this.seqStart);
      this.seqLen = 0;
    }
  }

  private count(c: CharClass): void {
    this.lineChars++;
    if (c === 'unusual') this.lineUnusual++;
    else if (c === 'implausible' && this.lineImplausible < 0) this.lineImplausible = this.seqStart;
  }

  private invalid(at: number): void {
    this.lineGbk = false;
    if (this.lineInvalidGbk < 0) this.lineInvalidGbk = at;
  }

  private endLine(next: number): void {
    if (!this.lineUtf8 && !this.lineGbk) this.neither ??= { line: this.line, byte: this.lineInvalidGbk };
    if (this.lineHigh) {
      const plausibleGbk = this.lineGbk && this.lineImplausible < 0 && this.lineUnusual <= 0.1 * this.lineChars;
      // Valid UTF-8 whose GBK reading is not what a GBK export holds: UTF-8 text.
      if (this.lineUtf8 && !plausibleGbk) this.firstUtf8Line ??= { line: this.line, byte: this.lineStart };
      if (this.lineGbk) {
        this.chars += this.lineChars;
        this.unusual += this.lineUnusual;
        if (this.lineImplausible >= 0) this.implausible ??= { line: this.line, byte: this.lineImplausible };
      }
    }
    this.line++;
    this.lineStart = next;
    this.lineUtf8 = true;
    this.lineGbk = true;
    this.lineHigh = false;
    this.lineChars = 0;
    this.lineUnusual = 0;
    this.lineImplausible = -1;
    this.lineInvalidGbk = -1;
    this.need = 0;
    this.lo = 0x80;
    this.hi = 0xbf;
  }
}

const where = (p: Place) => `line ${p.line} (byte ${p.byte + 1})`;

/**
 * The encoding of a text file that is not valid UTF-8 (`utf8Invalid`: where UTF-8 first breaks):
 * GBK/GB18030 when the whole file proves to be GBK, else an EncodingError naming the line.
 */
export async function proveGbk(path: string, utf8Invalid: Place): Promise<'gb18030'> {
  const scan = new GbkScan();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) scan.scan(chunk);
  scan.end();
  const u = scan.firstUtf8Line;
  // UTF-8 text before the first byte that is not: a UTF-8 file with other bytes pasted in (or cut short).
  if (u && u.line < utf8Invalid.line) throw new EncodingError(`is UTF-8 up to ${where(utf8Invalid)}, where bytes that are not UTF-8 begin (GBK text pasted in?; ${TRIED}): save the whole file in one encoding`);
  if (scan.neither) {
    throw new EncodingError(`is not text in an accepted encoding: ${where(scan.neither)} is neither UTF-8 nor GBK/GB18030 (${TRIED}; Big5, Shift-JIS, Windows-1252 and UTF-16 are not accepted): ${RESAVE}`);
  }
  if (u) throw new EncodingError(`is GBK up to line ${u.line}, where UTF-8 text begins (${where(u)}; ${TRIED}): save the whole file in one encoding`);
  if (scan.implausible) {
    throw new EncodingError(`is not UTF-8 from ${where(utf8Invalid)}, and read as GBK it holds characters no GBK export has, from ${where(scan.implausible)}: probably Big5, Shift-JIS or Windows-1252 (${TRIED}); ${RESAVE}`);
  }
  if (scan.chars === 0 || scan.unusual > 0.1 * scan.chars) {
    throw new EncodingError(`is not UTF-8 from ${where(utf8Invalid)}, and read as GBK ${scan.unusual} of its ${scan.chars} characters are rare ones outside GB2312: probably Big5, Shift-JIS or Windows-1252 (${TRIED}); ${RESAVE}`);
  }
  return 'gb18030';
}

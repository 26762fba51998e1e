/**
 * Personal details in text: e-mail addresses, phone numbers (international, North American,
 * mainland landline and mobile), mainland resident ID numbers and bank card numbers, found
 * wherever they stand inside free text and masked before anything is published.
 *
 * Pure functions, no I/O. The detector is tuned to miss as little as possible while leaving
 * amounts, dates, years and record ids such as `ZJ-2024-000123` alone; test/personal.test.ts
 * measures both sides.
 */
export type PersonalKind = 'email' | 'phone' | 'id_number' | 'bank_card';

export interface PersonalMatch {
  kind: PersonalKind;
  start: number;
  end: number;
  value: string;
}

export const MASK = '***';

/** Column names that identify a person: never published, whatever a model or an export calls them. */
const PERSONAL_COLUMN = /(driver|passenger_name|person|phone|mobile|tel(ephone)?$|e-?mail|id_?card|identity|contact|驾驶员|司机|姓名|联系人|电话|手机|邮箱|身份证)/i;

export function isPersonalColumn(name: string): boolean {
  return PERSONAL_COLUMN.test(name);
}

// Patterns run on the text with full-width forms (０-９, ＋, （, ＠ …) made ASCII, one character
// for one, so a match's position is its position in the original text.
const D = '\\d';
const SEP = '[ \\-.\u00a0]';
/** Not glued to another digit or latin letter: `a1381234567` and `13812345678901` are not phones. */
const LEFT = '(?<![0-9A-Za-z])';
const RIGHT = '(?![0-9A-Za-z])';

const toAscii = (s: string) => s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
const digitsOf = (s: string) => s.replace(/\D/g, '');

const EMAIL = /[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/g;

/** +86 138 1234 5678, 0086-571-8765-4321, +1 (416) 397-4141, +44 20 7946 0958. */
const INTERNATIONAL = new RegExp(`(?:\\+|${LEFT}00)${SEP}?${D}{1,3}(?:${SEP}?\\(?${D}{1,4}\\)?){1,5}${RIGHT}`, 'g');
/** 138 1234 5678, 138-1234-5678, 13812345678 (any 1[3-9] mobile prefix). */
const CN_MOBILE = new RegExp(`${LEFT}1[3-9]${D}${SEP}?${D}{4}${SEP}?${D}{4}${RIGHT}`, 'g');
/** 0571-87654321, (0571) 8765 4321, （010）12345678, 0571-87654321-802, 057187654321. */
const CN_LANDLINE = new RegExp(`${LEFT}(?:\\(0${D}{2,3}\\)${SEP}?|0${D}{2,3}${SEP})${D}{3,4}${SEP}?${D}{4}(?:${SEP}${D}{1,5})?${RIGHT}|${LEFT}0[1-9]${D}{9,10}${RIGHT}`, 'g');
/** 416-397-4141, (416) 397-4141, 416.397.4141, 1-800-555-0199: area and exchange never start with 0 or 1. */
const NANP = new RegExp(`${LEFT}(?:1${SEP})?(?:\\([2-9]${D}{2}\\)${SEP}?|[2-9]${D}{2}${SEP})[2-9]${D}{2}${SEP}${D}{4}${RIGHT}`, 'g');
/** A number after a label that says it is one: 电话：8765 4321, Tel. 8765-4321, 手机 138… */
const LABELLED = new RegExp(`(?:电话|手机|联系方式|联系电话|座机|传真|tel|phone|mobile|cell|fax)[.:：\\s]*((?:[+(]?${D}[\\d ()\\-.]{5,}${D}))`, 'gi');
/** 18-digit resident ID (6-digit area, birth date, sequence, check digit 0-9/X) and the old 15-digit form. */
const ID18 = new RegExp(`${LEFT}[1-8]${D}{5}(?:18|19|20)${D}{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]${D}|3[01])${D}{3}[0-9Xx]${RIGHT}`, 'g');
const ID15 = new RegExp(`${LEFT}[1-8]${D}{5}${D}{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]${D}|3[01])${D}{3}${RIGHT}`, 'g');
/** 16–19 digits, plain or in groups of four: 6222 0212 3456 7890 123. */
const CARD = new RegExp(`${LEFT}${D}{4}(?:${SEP}?${D}{4}){3}(?:${SEP}?${D}{1,3})?${RIGHT}`, 'g');

/** The Luhn checksum of a card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether a 16–19 digit run is a bank card: it passes Luhn, or it is a UnionPay (62…) number, some of which do not. */
function isCard(digits: string): boolean {
  return digits.length >= 16 && digits.length <= 19 && (luhnValid(digits) || digits.startsWith('62'));
}

function* matches(re: RegExp, text: string, kind: PersonalKind, accept: (m: RegExpExecArray) => boolean = () => true, group = 0): Generator<PersonalMatch> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = m[group];
    if (value === undefined) continue;
    const start = m.index + (group ? m[0].lastIndexOf(value) : 0);
    if (accept(m)) yield { kind, start, end: start + value.length, value };
    if (m[0].length === 0) re.lastIndex++;
  }
}

/**
 * Every personal detail in a text, left to right, overlaps resolved (an ID number is not also
 * reported as the phone number inside it; the longest match at a position wins).
 */
export function findPersonal(original: string): PersonalMatch[] {
  if (!original) return [];
  const text = toAscii(original);
  const found: PersonalMatch[] = [
    ...matches(EMAIL, text, 'email'),
    ...matches(ID18, text, 'id_number'),
    ...matches(ID15, text, 'id_number'),
    ...matches(CARD, text, 'bank_card', (m) => isCard(digitsOf(m[0]))),
    ...matches(INTERNATIONAL, text, 'phone', (m) => {
      const n = digitsOf(m[0]).replace(/^00/, '').length;
      return n >= 8 && n <= 15;
    }),
    ...matches(CN_MOBILE, text, 'phone'),
    ...matches(CN_LANDLINE, text, 'phone'),
    ...matches(NANP, text, 'phone'),
    ...matches(LABELLED, text, 'phone', (m) => digitsOf(m[1]).length >= 7, 1),
  ];
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PersonalMatch[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      // Overlapping: keep the span covering both, named by the longer one.
      if (f.end > last.end) {
        if (f.end - f.start > last.end - last.start) last.kind = f.kind;
        last.end = f.end;
      }
      continue;
    }
    out.push({ ...f });
  }
  for (const f of out) f.value = original.slice(f.start, f.end);
  return out;
}

export function containsPersonal(text: string): boolean {
  return findPersonal(text).length > 0;
}

/** The text with every personal detail replaced by `***`. */
export function maskPersonal(text: string, mask = MASK): string {
  const found = findPersonal(text);
  if (!found.length) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + mask;
    at = f.end;
  }
  return out + text.slice(at);
}

/** Any value, masked when it is text; other values as they are. */
export function maskValue<T>(v: T): T | string {
  return typeof v === 'string' ? maskPersonal(v) : v;
}

/**
 * JSON records whose numbers keep the digits the file wrote. JSON.parse turns every number into
 * a double, so an id such as 12345678901234567891 comes back as 12345678901234567000 and the
 * next id becomes its "duplicate". Files holding a run of 16 or more digits (the only place a
 * double can lose one) are parsed here instead, with each number kept as its text.
 */

/** A number as written in the file. */
export class JsonNumber {
  constructor(public text: string) {}
  toString(): string {
    return this.text;
  }
}

export class JsonSyntaxError extends Error {
  constructor(message: string, public line: number) {
    super(message);
  }
}

/** The line (1-based) of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** JSON.parse's error, with the line it happened on. */
function nativeError(text: string, e: Error): JsonSyntaxError {
  const pos = Number(/position (\d+)/.exec(e.message)?.[1] ?? NaN);
  const line = Number.isFinite(pos) ? lineAt(text, pos) : /end of JSON input/i.test(e.message) ? lineAt(text, text.length) : 1;
  return new JsonSyntaxError(e.message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected token (.) ?.*$/, 'unexpected character "$1"'), line);
}

const MAY_LOSE_DIGITS = /\d{16}/;
const PLAIN = /[^"\\\u0000-\u001f]*/y;

/** Parses a JSON document; numbers that could lose digits as a double stay JsonNumber. */
export function parseJson(text: string): unknown {
  if (!MAY_LOSE_DIGITS.test(text)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw nativeError(text, e as Error);
    }
  }
  return new Parser(text).document();
}

class Parser {
  private i = 0;
  constructor(private s: string) {}

  document(): unknown {
    const v = this.value();
    this.space();
    if (this.i < this.s.length) this.fail(`unexpected text after the JSON value`);
    return v;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.i >= this.s.length ? 'unexpected end of JSON input' : message, lineAt(this.s, this.i));
  }

  private space(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  private value(): unknown {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(`unexpected character "${c}"`);
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail('expected a property name in double quotes');
      const k = this.string();
      this.space();
      if (this.s[this.i] !== ':') this.fail('expected ":" after a property name');
      this.i++;
      // Defined as an own property: a key named __proto__ is data, not the prototype.
      Object.defineProperty(out, k, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail('expected "," or "}" in an object');
      }
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail('expected "," or "]" in an array');
      }
    }
  }

  private string(): string {
    const s = this.s;
    // The plain run up to the closing quote, an escape or a control character, in one step.
    PLAIN.lastIndex = ++this.i;
    const run = PLAIN.exec(s)![0];
    this.i += run.length;
    if (s[this.i] === '"') {
      this.i++;
      return run;
    }
    let out = run;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s[this.i++];
      if (c === '"') return out;
      if (c < ' ') {
        this.i--;
        this.fail('control character in a string');
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[this.i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i, this.i + 4))) {
        out += String.fromCharCode(parseInt(s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else {
        this.i--;
        this.fail('bad escape in a string');
      }
    }
  }

  private number(): JsonNumber | number {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) return this.fail('bad number');
    this.i += r[0].length;
    const n = Number(r[0]);
    // Numbers a double holds exactly as written stay plain numbers.
    return String(n) === r[0] ? n : new JsonNumber(r[0]);
  }
}

/** A record's value as the text of a cell; a number keeps its digits, nested values are JSON. */
export function jsonValueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof JsonNumber) return String(v);
  return stringify(v);
}

function stringify(v: unknown): string {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringify).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${stringify(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Markup as strings: html`<td>${text}</td>` escapes what it interpolates unless it is already
 * markup (another html`` result), so text from an export can never become a tag or leave its
 * attribute. Pure.
 */

export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function piece(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Markup) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  return escape(String(v));
}

/** An interpolation right after `=` is an attribute value and gets its quotes: class=${c}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    const value = piece(values[i]);
    out += (/=$/.test(strings[i]) ? `"${value}"` : value) + strings[i + 1];
  }
  return new Markup(out);
}

/** Markup written elsewhere (an SVG drawn by the chart module), taken as it is. */
export const raw = (s: string) => new Markup(s);

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const CJK_RUN = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef《》“”‘’]+(?:[\s\d·.\-–—/()（）]*[\u3000-\u303f\u3400-\u9fff\uff00-\uffef《》“”‘’]+)*/g;

const LATIN_RUN = /[A-Za-z][A-Za-z0-9_.\/²³₂·()-]*[A-Za-z0-9²³₂)]/g;

function marked(s: string, run: RegExp, open: string): Markup {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(run)) {
    out += escape(s.slice(last, m.index)) + `${open}${escape(m[0])}</span>`;
    last = m.index! + m[0].length;
  }
  return new Markup(out + escape(s.slice(last)));
}

/**
 * Text quoted from an export, a cited document or a declaration (an agency, a regulation's
 * title, a definition), in a briefing of language `lang`: on an English page every Chinese run
 * is marked lang="zh"; on a Chinese page every Latin run (a unit such as kgce, a table or column
 * name, a standard's number) is marked translate="no". A reader, a screen reader and the check
 * for the page's one language all know what is quoted.
 */
export function quoted(text: unknown, lang: 'zh' | 'en'): Markup | string {
  if (text === null || text === undefined || text === '') return '—';
  const s = String(text);
  if (lang === 'en') return CJK.test(s) ? marked(s, CJK_RUN, '<span lang="zh">') : s;
  return /[A-Za-z]{2}/.test(s) ? marked(s, LATIN_RUN, '<span translate="no">') : s;
}

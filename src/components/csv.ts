/**
 * CSV text for the download buttons. A cell that a spreadsheet could read as a formula is
 * prefixed with a quote mark, so an opened download never runs anything: one starting with
 * = + - @ (or their full-width forms ＝ ＋ － ＠, which some spreadsheets fold to ASCII), a tab or
 * a line break, also behind leading spaces or quote marks (` =1+1`, `" =1+1`). A cell holding a
 * semicolon, tab or line break is quoted, so a spreadsheet whose list separator is `;` never
 * splits it into a new cell that starts with `=` (`a;=1+1`). Numbers stay numbers (a negative
 * number is data, not a formula).
 */

const FORMULA_START = /^[\s"'＂＇]*[=+\-@＝＋－＠]|^[\t\r\n]/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV with a header line; `columns` fixes order and headers (default: the keys of the
 * first row). A byte-order mark lets Excel open the Chinese text as UTF-8.
 */
export function toCsv(rows: Record<string, unknown>[], columns?: { key: string; label?: string }[]): string {
  const cols: { key: string; label?: string }[] = columns ?? Object.keys(rows[0] ?? {}).map((key) => ({ key }));
  const lines = [cols.map((c) => csvCell(c.label ?? c.key)).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell(r[c.key])).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/**
 * CSV text for the download buttons. A cell that a spreadsheet would read as a formula
 * (starting with = + - or @) is prefixed with a quote mark, so an opened download never runs
 * anything; numbers stay numbers (a negative number is data, not a formula).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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

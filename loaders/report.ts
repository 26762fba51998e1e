/** What a load or check prints: one line per file as it finishes, then a summary per table. */
import type { FileResult } from './load.ts';

const n = (x: number) => x.toLocaleString('en-US');

let outputState: { closed: boolean } | undefined;

/**
 * Whether standard output still has a reader: `steward load | head -2` closes it early. A write
 * after that fails (EPIPE) and is dropped; a load then stops after the transaction in progress.
 */
export function watchOutput(): { closed: boolean } {
  if (!outputState) {
    const state = { closed: false };
    process.stdout.on('error', () => {
      state.closed = true;
    });
    outputState = state;
  }
  return outputState;
}

/** The exit status of a command whose output was cut off (128 + SIGPIPE, as a shell reports it). */
export const OUTPUT_CLOSED = 141;

/**
 * Text from a file (its name, a cell, a reason) made safe for a terminal: control characters,
 * including the escape that starts a terminal command, line breaks and bidirectional overrides,
 * are shown as \xNN or \u{…} instead of being sent to the terminal.
 */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** The same, keeping line breaks (a message of several lines). */
export const safeLines = (s: string) => s.split('\n').map(safeText).join('\n');

const shown = (r: FileResult) => safeText(r.part ? `${r.path} [${r.part}]` : r.path);

export function progressLine(r: FileResult, i: number, total: number): string {
  const pos = `[${String(i).padStart(String(total).length)}/${total}]`;
  const warnings = r.warnings.map((w) => `\n${' '.repeat(pos.length)}   ⚠ ${safeText(w)}`).join('');
  if (r.status === 'refused') return `${pos} ✗ ${shown(r)}: ${safeText(r.message ?? '')}${warnings}`;
  if (r.status === 'unchanged') return `${pos} = ${shown(r)}: ${safeText(r.message ?? '')}${warnings}`;
  const rate = r.seconds > 0 ? `${n(Math.round(r.rowsRead / r.seconds))} rows/s` : '';
  const q = (r.rowsQuarantined ? `, ${n(r.rowsQuarantined)} quarantined` : '') + (r.rowsSkipped ? `, ${n(r.rowsSkipped)} skipped` : '');
  const sup = r.rowsSuperseded ? `, replaces ${replacedText(r)}` : '';
  const mark = r.rowsQuarantined || r.warnings.length || !r.rowsLoaded ? '!' : '✓';
  return `${pos} ${mark} ${shown(r)} → ${r.table}: ${n(r.rowsRead)} rows, ${n(r.rowsLoaded)} ${r.status === 'checked' ? 'valid' : 'loaded'}${q}${sup} (${r.encoding}, ${rate})${warnings}`;
}

/** `YH 2024-03 (180 of file 12 …, re-export)`, for the first few unit-months replaced. */
function replacedText(r: FileResult): string {
  const parts = r.replaced.slice(0, 3).map((x) => `${[x.unit, x.month].filter(Boolean).join(' ') || 'rows'} (${n(x.rows)} rows of file ${x.fileId} ${safeText(x.path)}, ${x.reason})`);
  return parts.join(', ') + (r.replaced.length > 3 ? ` and ${r.replaced.length - 3} more` : '');
}

export function printSummary(results: FileResult[], verb: 'load' | 'check'): void {
  const byTable = new Map<string, { files: number; read: number; loaded: number; quarantined: number; skipped: number; reasons: Map<string, { count: number; example: string }> }>();
  for (const r of results) {
    if (r.status === 'refused' || r.status === 'unchanged' || !r.table) continue;
    const s = byTable.get(r.table) ?? { files: 0, read: 0, loaded: 0, quarantined: 0, skipped: 0, reasons: new Map() };
    s.files++;
    s.read += r.rowsRead;
    s.loaded += r.rowsLoaded;
    s.quarantined += r.rowsQuarantined;
    s.skipped += r.rowsSkipped;
    for (const q of [...r.reasons, ...r.skips.map((x) => ({ ...x, rule: `${x.rule} (skipped)` }))]) {
      const key = `${q.column ? `${q.column}: ` : ''}${q.rule}`;
      const e = s.reasons.get(key) ?? { count: 0, example: `${shown(r)} row ${q.row}: ${safeText(q.example)}` };
      e.count += q.count;
      s.reasons.set(key, e);
    }
    byTable.set(r.table, s);
  }
  const unchanged = results.filter((r) => r.status === 'unchanged').length;
  const refused = results.filter((r) => r.status === 'refused');
  console.log('');
  console.log(`Summary (${verb}): ${results.length} files${unchanged ? `, ${unchanged} unchanged since an earlier load` : ''}${refused.length ? `, ${refused.length} refused` : ''}`);
  for (const [table, s] of [...byTable].sort()) {
    const label = verb === 'check' ? 'valid' : 'loaded';
    console.log(`  ${table.padEnd(18)} ${n(s.files).padStart(5)} files  ${n(s.read).padStart(11)} read  ${n(s.loaded).padStart(11)} ${label}  ${n(s.quarantined).padStart(8)} quarantined${s.skipped ? `  ${n(s.skipped)} skipped` : ''}`);
    for (const [key, e] of [...s.reasons].sort((a, b) => b[1].count - a[1].count).slice(0, 5)) {
      console.log(`      ${n(e.count).padStart(7)} × ${key}   e.g. ${e.example}`);
    }
  }
  for (const r of refused) console.log(`  refused: ${shown(r)}: ${safeText(r.message ?? '')}`);
  const empty = results.filter((r) => r.status !== 'refused' && r.status !== 'unchanged' && r.rowsRead > 0 && r.rowsLoaded === 0);
  for (const r of empty) console.log(`  nothing ${verb === 'check' ? 'valid' : 'loaded'}: ${shown(r)}: all ${n(r.rowsRead)} rows were quarantined or skipped (see the reasons above)`);
  for (const r of results) for (const w of r.warnings) console.log(`  warning: ${shown(r)}: ${safeText(w)}`);
}

export function formatRows(rows: Record<string, unknown>[], format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6)) : String(v));
  if (format === 'csv') {
    const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return [cols.map(q).join(','), ...rows.map((r) => cols.map((c) => q(text(r[c]))).join(','))].join('\n');
  }
  if (!rows.length) return '(no rows)';
  // A table is for a terminal: cells never carry control characters to it (CSV and JSON stay data).
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const cells = rows.map((r) => cols.map((c) => safeText(text(r[c]))));
  const widths = cols.map((c, i) => Math.min(60, Math.max(width(c), ...cells.map((row) => width(row[i])))));
  const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s))));
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === null));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i], numeric[i])).join('  ');
  return [line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

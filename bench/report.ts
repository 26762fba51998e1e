/** Formatting the benchmark's figures: one Markdown table, readable in a terminal and in BENCHMARKS.md. */

export interface Row {
  step: string;
  rows?: number;
  bytes?: number;
  seconds?: number;
  /** CPU seconds (user + system) of the step. */
  cpuSeconds?: number;
  maxRssBytes?: number;
  note?: string;
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** undefined: not measured in this run. */
  met?: boolean;
}

const MB = 1_000_000;
const MiB = 1024 * 1024;

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtSeconds = (s: number) => (s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));
export const fmtMB = (bytes: number) => (bytes / MB < 10 ? (bytes / MB).toFixed(2) : (bytes / MB).toFixed(1));
export const fmtMiB = (bytes: number) => fmtInt(bytes / MiB) + ' MiB';
/** Bytes per second in MB/s (decimal megabytes, as disk and network rates are quoted). */
export const mbPerSecond = (bytes: number, seconds: number) => bytes / MB / seconds;
export const rowsPerSecond = (rows: number, seconds: number) => rows / seconds;

/** Pads Markdown table cells so the table also reads as plain text; numbers align right. */
export function markdownTable(header: string[], body: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i] - displayWidth(s));
    return rightAligned[i] ? fill + s : s + fill;
  };
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map((r) => line(r.map((c) => c ?? '')))].join('\n');
}

/** Columns a terminal gives a string: CJK characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function stepsTable(rows: Row[]): string {
  const body = rows.map((r) => [
    r.step,
    r.rows !== undefined ? fmtInt(r.rows) : '',
    r.bytes !== undefined ? fmtMB(r.bytes) : '',
    r.seconds !== undefined ? fmtSeconds(r.seconds) : '',
    r.cpuSeconds !== undefined ? fmtSeconds(r.cpuSeconds) : '',
    r.rows !== undefined && r.seconds ? fmtInt(rowsPerSecond(r.rows, r.seconds)) : '',
    r.bytes !== undefined && r.seconds ? mbPerSecond(r.bytes, r.seconds).toFixed(1) : '',
    r.maxRssBytes !== undefined ? fmtMiB(r.maxRssBytes) : '',
    r.note ?? '',
  ]);
  return markdownTable(['step', 'rows', 'MB', 'seconds', 'CPU s', 'rows/s', 'MB/s', 'peak RSS', 'note'], body, [false, true, true, true, true, true, true, true, false]);
}

export function goalsTable(goals: Goal[]): string {
  const mark = (m?: boolean) => (m === undefined ? 'not measured' : m ? 'met' : 'MISSED');
  return markdownTable(['goal', 'target', 'measured', ''], goals.map((g) => [g.goal, g.target, g.measured, mark(g.met)]), [false, false, false, false]);
}

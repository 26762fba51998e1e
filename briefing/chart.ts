/**
 * The briefing's trend chart as static SVG, drawn in Node so the HTML prints the same in any
 * browser and with no script: a KPI over the periods up to the briefing's, with the peer median,
 * the target where it compares with the line, and the events that fall on the time axis, each
 * labelled on the chart. The values and their scale are formatted by format.ts, as on the site;
 * the scale's unit goes in the figure's caption.
 * Pure: the same rows give the same bytes.
 */
import { scaleFor, tickFormat, type KpiFormat } from '../src/components/format.ts';
import type { Lang } from '../src/components/i18n.ts';
import { grainOf, shift } from '../src/components/period.ts';
import { escape } from './markup.ts';

export interface Point {
  period: string;
  value: number;
}

export interface ChartEvent {
  starts_on: string;
  ends_on: string;
  label: string;
}

export interface TrendOptions {
  meta: KpiFormat;
  lang: Lang;
  /** The unit's line, oldest first. */
  series: Point[];
  seriesLabel: string;
  median?: Point[];
  medianLabel?: string;
  target?: Point[];
  targetLabel?: string;
  /** A constant reference line (the KPI declaration's reference_line), labelled. */
  reference?: { value: number; label: string };
  events?: ChartEvent[];
  /** What the chart shows, for screen readers. */
  title: string;
  width?: number;
  height?: number;
}

const DAY = 86_400_000;
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const n1 = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

/** The first day of a period, in ms since the epoch (UTC). */
export function periodStart(period: string): number {
  const y = Number(period.slice(0, 4));
  const grain = grainOf(period);
  if (grain === 'month') return Date.UTC(y, Number(period.slice(5)) - 1, 1);
  if (grain === 'quarter') return Date.UTC(y, (Number(period.slice(6)) - 1) * 3, 1);
  return Date.UTC(y, 0, 1);
}

/** Round steps (1, 2, 2.5, 5 × 10ⁿ) covering [lo, hi] in about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < hi - step * 1e-9) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** A label's width in px at `size`: a CJK character is one em, anything else about 0.6 em. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : 0.6 * size;
  return w;
}

function timeTicks(from: number, to: number, grain: string, lang: Lang): { x: number; label: string }[] {
  const out: { x: number; label: string }[] = [];
  const start = new Date(from);
  const months = (new Date(to).getUTCFullYear() - start.getUTCFullYear()) * 12 + new Date(to).getUTCMonth() - start.getUTCMonth();
  // Years always; quarters' first months too when the axis spans three years or less.
  const every = grain === 'year' ? 12 : months <= 36 ? 3 : 12;
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); Date.UTC(y, m, 1) <= to; m++) {
    if (m === 12) { y++; m = 0; }
    if (m % every !== 0) continue;
    const t = Date.UTC(y, m, 1);
    if (t < from) continue;
    const label = m === 0 ? (lang === 'zh' ? `${y}年` : String(y)) : lang === 'zh' ? `${m + 1}月` : EN_MONTHS[m];
    out.push({ x: t, label });
  }
  return out;
}

export interface Trend {
  /** One <svg> element. */
  svg: string;
  /** The unit the values axis reads in (万元, %, kgce/m²), for the caption. */
  unit: string;
}

/** The chart, or null when there is nothing to draw. */
export function trendSvg(o: TrendOptions): Trend | null {
  const series = o.series.filter((p) => Number.isFinite(p.value));
  if (!series.length) return null;
  const median = (o.median ?? []).filter((p) => Number.isFinite(p.value));
  const target = (o.target ?? []).filter((p) => Number.isFinite(p.value));
  const reference = o.reference && Number.isFinite(o.reference.value) ? series.map((p) => ({ period: p.period, value: o.reference!.value })) : [];
  const W = o.width ?? 680;
  const H = o.height ?? 200;
  const size = 11;
  const margin = { left: 58, right: 96, top: 38, bottom: 24 };
  const plotW = W - margin.left - margin.right;
  const plotH = H - margin.top - margin.bottom;

  const periods = series.map((p) => p.period);
  // Each value sits at its period's first day; the axis runs to the end of the last period, so an
  // event late in it is drawn too.
  const x0 = periodStart(periods[0]);
  const x1 = periodStart(shift(periods[periods.length - 1], 1)) - DAY;
  const x = (t: number) => margin.left + ((t - x0) / (x1 - x0)) * plotW;

  const all = [...series, ...median, ...target, ...reference].map((p) => p.value);
  const scale = scaleFor(o.meta, all, o.lang);
  const fromZero = o.meta.kind !== 'quantity' && o.meta.kind !== 'intensity';
  let lo = Math.min(...all, ...(fromZero ? [0] : []));
  let hi = Math.max(...all, ...(fromZero ? [0] : []));
  if (hi === lo) { hi += Math.abs(hi) * 0.1 || 1; lo -= fromZero && lo === 0 ? 0 : Math.abs(lo) * 0.1 || 1; }
  const ticks = niceTicks(lo, hi);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const y = (v: number) => margin.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const format = tickFormat(scale, o.lang);

  const parts: string[] = [];
  const text = (px: number, py: number, s: string, attrs = '') => `<text x="${n1(px)}" y="${n1(py)}"${attrs}>${escape(s)}</text>`;

  // Events first, under everything: a shaded span (at least a hairline for one day) and its label,
  // moved to a lower row when it would run into the one before.
  const rowsEnd: number[] = [];
  for (const e of o.events ?? []) {
    const a = Math.max(Date.parse(e.starts_on), x0);
    const b = Math.min(Date.parse(e.ends_on) + DAY, x1);
    if (b < x0 || a > x1 || a > b) continue;
    const left = x(a);
    const width = Math.max(x(b) - left, 1.5);
    parts.push(`<rect class="event" x="${n1(left)}" y="${n1(margin.top)}" width="${n1(width)}" height="${n1(plotH)}"/>`);
    const w = textWidth(e.label, size - 1);
    const labelX = Math.min(left, W - margin.right - w);
    let row = rowsEnd.findIndex((end) => labelX > end + 4);
    if (row < 0) row = rowsEnd.length < 3 ? rowsEnd.length : rowsEnd.indexOf(Math.min(...rowsEnd));
    rowsEnd[row] = labelX + w;
    parts.push(text(labelX, margin.top - 26 + row * 11, e.label, ' class="event-label"'));
  }

  // Grid and y ticks; the caption names the unit.
  for (const t of ticks) {
    parts.push(`<line class="grid" x1="${n1(margin.left)}" x2="${n1(margin.left + plotW)}" y1="${n1(y(t))}" y2="${n1(y(t))}"/>`);
    parts.push(text(margin.left - 6, y(t) + 4, format(t, 0, ticks), ' class="tick" text-anchor="end"'));
  }
  for (const t of timeTicks(x0, x1, grainOf(periods[0]), o.lang)) {
    parts.push(`<line class="tick-mark" x1="${n1(x(t.x))}" x2="${n1(x(t.x))}" y1="${n1(margin.top + plotH)}" y2="${n1(margin.top + plotH + 4)}"/>`);
    parts.push(text(x(t.x), H - 6, t.label, ' class="tick" text-anchor="middle"'));
  }

  const path = (points: Point[]) => {
    let d = '';
    let previous: string | null = null;
    for (const p of points) {
      const t = periodStart(p.period);
      if (t < x0 || t > x1) continue;
      d += `${previous === null ? 'M' : 'L'}${n1(x(t))},${n1(y(p.value))}`;
      previous = p.period;
    }
    return d;
  };
  // End labels of the lines, kept apart vertically.
  const ends: { y: number; label: string; cls: string }[] = [];
  const line = (points: Point[], cls: string, label?: string) => {
    const d = path(points);
    if (!d) return;
    parts.push(`<path class="${cls}" d="${d}"/>`);
    if (label) ends.push({ y: y(points[points.length - 1].value), label, cls });
  };
  line(median, 'median', o.medianLabel);
  line(target, 'target', o.targetLabel);
  line(reference, 'reference', o.reference?.label);
  line(series, 'series', o.seriesLabel);
  if (series.length <= 30) for (const p of series) parts.push(`<circle class="series-dot" cx="${n1(x(periodStart(p.period)))}" cy="${n1(y(p.value))}" r="2.2"/>`);
  ends.sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) if (ends[i].y - ends[i - 1].y < size + 1) ends[i].y = ends[i - 1].y + size + 1;
  for (const e of ends) parts.push(text(margin.left + plotW + 6, e.y + 4, e.label, ` class="end-label ${e.cls}-label"`));

  return { svg: `<svg class="trend" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escape(o.title)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`, unit: scale.unit };
}

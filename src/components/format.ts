/**
 * How numbers read on the dashboard: one function per kind of value (money, share, change of a
 * share, count, quantity, intensity, ratio), a scale chosen once per column or axis from its
 * values (元, 万元 or 亿元; km or 万 km), one minus sign (U+2212), no "−0.0%". The kind, unit and
 * decimals come from the KPI's declaration (kpis.json). Pure: unit-tested in Node.
 */
import type { Lang } from './i18n.js';

export const MINUS = '\u2212';

/** The fields of a KPI's declaration that decide how its values read. */
export interface KpiFormat {
  kind: 'count' | 'money' | 'share' | 'ratio' | 'intensity' | 'quantity' | string;
  unit_zh?: string | null;
  unit_en?: string | null;
  decimals?: number | null;
  display_zh?: string | null;
  display_en?: string | null;
}

/** A column's or axis's scale: values are divided by `factor` and read in `unit`. */
export interface Scale {
  factor: number;
  unit: string;
  digits: number;
}

const LOCALES: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A number with grouping and fixed decimals, U+2212 for minus, never "−0". */
export function grouped(v: number, digits: number, l: Lang): string {
  const text = Math.abs(v).toLocaleString(LOCALES[l], { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const zero = /^[0.,]+$/.test(text);
  return v < 0 && !zero ? `${MINUS}${text}` : text;
}

function median(values: number[]): number {
  const v = values.map(Math.abs).filter((x) => x > 0).sort((a, b) => a - b);
  if (!v.length) return 0;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Decimals that show a typical value of the column to about three significant digits; a declared
 * number of decimals stands unless it would leave a small value with under two significant digits
 * (a turnover of 0.0165 reads 0.017, not 0.02).
 */
function digitsFor(typical: number, fallback?: number | null): number {
  if (fallback !== null && fallback !== undefined) {
    if (typical > 0 && typical < 10 ** (1 - fallback)) return Math.min(6, Math.ceil(-Math.log10(typical)) + 1);
    return fallback;
  }
  if (typical >= 100) return 0;
  if (typical >= 10) return 1;
  if (typical >= 1) return 2;
  return 3;
}

function unitOf(meta: KpiFormat, l: Lang): string {
  return (l === 'zh' ? meta.unit_zh : meta.unit_en) ?? '';
}

/**
 * The scale a set of values is read in: money in 元, 万元 or 亿元 (¥, ¥ thousand, ¥ million),
 * large counts and quantities in 万 (thousand, million), shares in %. Chosen from the typical
 * (median) magnitude, so one column never mixes 万元 and 元.
 */
export function scaleFor(meta: KpiFormat, values: (number | null | undefined)[], l: Lang): Scale {
  const typical = median(values.filter(finite));
  const unit = unitOf(meta, l);
  if (meta.kind === 'share') return { factor: 0.01, unit: '%', digits: meta.decimals ?? 1 };
  if (meta.kind === 'money') {
    // The unit may carry a "per": 元/人, yuan per person.
    const per = l === 'zh' ? unit.replace(/^元/, '') : unit.replace(/^yuan/, '');
    if (l === 'zh') {
      if (typical >= 1e8) return { factor: 1e8, unit: `亿元${per}`, digits: 2 };
      if (typical >= 1e4) return { factor: 1e4, unit: `万元${per}`, digits: typical >= 1e5 ? 1 : 2 };
      return { factor: 1, unit: `元${per}`, digits: typical >= 100 ? 0 : 2 };
    }
    if (typical >= 1e6) return { factor: 1e6, unit: `¥ million${per}`, digits: 2 };
    if (typical >= 1e4) return { factor: 1e3, unit: `¥ thousand${per}`, digits: typical >= 1e6 ? 0 : 1 };
    return { factor: 1, unit: `¥${per}`, digits: typical >= 100 ? 0 : 2 };
  }
  if (meta.kind === 'count' || meta.kind === 'quantity') {
    if (l === 'zh' && typical >= 1e5) return { factor: 1e4, unit: unit ? `万 ${unit}` : '万', digits: typical >= 1e7 ? 0 : 1 };
    if (l === 'en' && typical >= 1e6) return { factor: 1e6, unit: unit ? `million ${unit}` : 'million', digits: 2 };
    if (l === 'en' && typical >= 1e4 && meta.kind === 'quantity') return { factor: 1e3, unit: unit ? `thousand ${unit}` : 'thousand', digits: 1 };
    return { factor: 1, unit, digits: meta.kind === 'count' ? 0 : digitsFor(typical, meta.decimals) };
  }
  return { factor: 1, unit, digits: digitsFor(typical, meta.decimals) };
}

/** A value in a scale, without its unit (a table cell under a header that names the unit). */
export function inScale(v: number | null | undefined, scale: Scale, l: Lang): string {
  if (!finite(v)) return '—';
  if (v === 0) return '0';
  return grouped(v / scale.factor, scale.digits, l);
}

/** A value with its unit: "3,754.6 万元", "21.1%", "0.21 kgce/m²". */
export function withUnit(v: number | null | undefined, scale: Scale, l: Lang): string {
  if (!finite(v)) return '—';
  const n = inScale(v, scale, l);
  if (!scale.unit) return n;
  if (scale.unit === '%') return `${n}%`;
  if (scale.unit.startsWith('¥')) return `¥${n}${scale.unit.slice(1)}`;
  return `${n} ${l === 'en' && n === '1' ? singular(scale.unit) : scale.unit}`;
}

/** "1 vehicle", not "1 vehicles": an English unit that is one plural word, for a count of one. */
function singular(unit: string): string {
  return /^[a-z]+s$/.test(unit) ? unit.slice(0, -1) : unit;
}

/**
 * A card's other figures (its target, the year so far) in the scale of the card's value, so a
 * card never reads "4,175 元/人" over "≤ 3.28 万元/人".
 */
export function onCard(meta: KpiFormat, cardValue: number | null | undefined, v: number | null | undefined, l: Lang): string {
  return withUnit(v, scaleFor(meta, [finite(cardValue) ? cardValue : v], l), l);
}

/**
 * A card's value as its number and its unit, so the card can set the unit smaller and keep the
 * number whole: ["13.3", "thousand tCO₂e"], ["¥4,175", "per person"], ["51.5%", ""].
 */
export function valueParts(meta: KpiFormat, v: number | null | undefined, l: Lang): [string, string] {
  if (!finite(v)) return ['—', ''];
  const scale = scaleFor(meta, [v], l);
  const n = inScale(v, scale, l);
  if (!scale.unit) return [n, ''];
  if (scale.unit === '%') return [`${n}%`, ''];
  if (scale.unit.startsWith('¥')) return [`¥${n}`, scale.unit.slice(1).trim()];
  return [n, l === 'en' && n === '1' ? singular(scale.unit) : scale.unit];
}

/** One KPI value on its own (a card), in the scale its own magnitude asks for. */
export function formatValue(meta: KpiFormat, v: number | null | undefined, l: Lang): string {
  return withUnit(v, scaleFor(meta, [v], l), l);
}

/** A value as a sentence says it, when the declaration gives a wording ("每件库存周转 0.21 次"). */
export function formatSaying(meta: KpiFormat, v: number | null | undefined, l: Lang): string {
  const template = l === 'zh' ? meta.display_zh : meta.display_en;
  if (!template || !finite(v)) return formatValue(meta, v, l);
  const scale = scaleFor(meta, [v], l);
  return template.replace('{value}', inScale(v, scale, l));
}

/**
 * A change: relative ("+3.2%") or, for a share, in percentage points ("+1.2 个百分点",
 * "+1.2 pts"). A change that rounds to zero carries no sign.
 */
export function formatChange(change: number | null | undefined, unit: 'relative' | 'points' | string, l: Lang): string {
  if (!finite(change)) return '—';
  const pct = Math.abs(change) * 100;
  const text = grouped(pct, 1, l);
  const zero = /^[0.,]+$/.test(text);
  const sign = zero ? '' : change > 0 ? '+' : MINUS;
  return unit === 'points' ? `${sign}${text}${l === 'zh' ? ' 个百分点' : ' pts'}` : `${sign}${text}%`;
}

/** The size of a change or a gap, unsigned, for sentences that say "rose" or "short of". */
export function formatMagnitude(change: number | null | undefined, unit: 'relative' | 'points' | string, l: Lang): string {
  return finite(change) ? formatChange(Math.abs(change), unit, l).replace(/^\+/, '') : '—';
}

/** A plain count or number with grouping (table cells that are not KPI values). */
export function formatCount(v: number | null | undefined, l: Lang, digits = 0): string {
  return finite(v) ? grouped(v, digits, l) : '—';
}

/** A fraction as a percentage (day utilisation of one vehicle, a threshold). */
export function formatPercent(v: number | null | undefined, l: Lang, digits = 1): string {
  return finite(v) ? `${grouped(v * 100, digits, l)}%` : '—';
}

/**
 * Money down a column: one scale for every cell (元, 万元 or 亿元, chosen from the column's values),
 * so a column never reads "8.75 万元" under "16.5 万元" or "8,450 元" under "1.1 万元".
 */
export function moneyColumn(values: (number | null | undefined)[], l: Lang): (v: number | null | undefined) => string {
  const scale = scaleFor({ kind: 'money' }, values, l);
  return (v) => withUnit(v, scale, l);
}

/**
 * Tick labels of an axis in one scale: numbers only (the axis label names the unit), every tick
 * with the decimals the finest tick needs ("1.5, 2.0, 2.5", never "1.50, 2, 2.50").
 */
export function tickFormat(scale: Scale, l: Lang): (v: number, i?: number, ticks?: ArrayLike<number>) => string {
  const decimalsOf = (x: number) => {
    for (let d = 0; d < 6; d++) if (Math.abs(Math.round(x * 10 ** d) / 10 ** d - x) < 1e-9 * Math.max(1, Math.abs(x))) return d;
    return 6;
  };
  return (v, _i, ticks) => {
    const all = ticks && ticks.length ? Array.from(ticks, (t) => t / scale.factor) : [v / scale.factor];
    return grouped(v / scale.factor, Math.max(...all.map(decimalsOf)), l);
  };
}

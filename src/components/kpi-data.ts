/**
 * Reading the page data the pipeline writes: compact tables ({columns, rows}) of kpi_values and
 * benchmarks, and the figures a KPI card shows. Pure, so the arithmetic is unit-tested in Node.
 */
import { grainOf, previous, sameLastYear, sortPeriods, yearOf, type Grain } from './period.js';
import { kpiKind } from './i18n.js';

export interface Compact {
  columns: string[];
  rows: unknown[][];
}

/** Compact table ({columns, rows}) → row objects. */
export function rowsOf<T = Record<string, unknown>>(table: Compact | null | undefined): T[] {
  if (!table) return [];
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])) as T);
}

/** kpi → unit → period → value, as the page-data script writes it. */
export type Values = Record<string, Record<string, Record<string, number | null>>>;
/** kpi → unit → period → [rank, quartile, too small to rank (0/1)]. */
export type Ranks = Record<string, Record<string, Record<string, [number | null, number | null, 0 | 1]>>>;
/** kpi → period → [peer median, best unit, best value, ranked units]. */
export type Peers = Record<string, Record<string, [number | null, string | null, number | null, number?]>>;

export interface Target {
  kpi_id: string;
  baseline_year: number;
  target_year: number;
  change: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Lookups over kpi_values (and, when given, the benchmark ranks and peer statistics). */
export class KpiIndex {
  constructor(readonly values: Values = {}, readonly ranks: Ranks = {}, readonly peers: Peers = {}) {}

  get(kpi: string, unit: string, period: string): number | null {
    const v = this.values[kpi]?.[unit]?.[period];
    return finite(v) ? v : null;
  }
  /** Periods of a grain that hold any value, oldest first. */
  periods(grain: Grain, kpis: string[] = Object.keys(this.values)): string[] {
    const set = new Set<string>();
    for (const k of kpis) for (const byPeriod of Object.values(this.values[k] ?? {})) for (const p of Object.keys(byPeriod)) if (grainOf(p) === grain) set.add(p);
    return sortPeriods(set);
  }
  series(kpi: string, unit: string, grain: Grain): { period: string; value: number }[] {
    return Object.entries(this.values[kpi]?.[unit] ?? {})
      .filter(([p, v]) => finite(v) && grainOf(p) === grain)
      .map(([period, value]) => ({ period, value: value as number }))
      .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  }
  /** Each unit's value of one KPI in one period (units without a value left out). */
  cross(kpi: string, period: string, { withAll = false } = {}): { unit_code: string; value: number }[] {
    return Object.entries(this.values[kpi] ?? {})
      .filter(([u, byPeriod]) => (withAll || u !== 'ALL') && finite(byPeriod[period]))
      .map(([unit_code, byPeriod]) => ({ unit_code, value: byPeriod[period] as number }));
  }
  /**
   * A unit's standing among its peers: the benchmark model's rank and quartile, the peer median
   * and best (computed from the units' values when the warehouse has no benchmarks yet).
   */
  standing(kpi: string, unit: string, period: string, direction: 'higher' | 'lower') {
    const value = this.get(kpi, unit, period);
    const r = this.ranks[kpi]?.[unit]?.[period];
    const peer = this.peers[kpi]?.[period];
    const cross = this.cross(kpi, period);
    let peerMedian = peer ? peer[0] : median(cross.map((c) => c.value));
    let bestUnit = peer ? peer[1] : null;
    let bestValue = peer ? peer[2] : null;
    if (!peer && cross.length) {
      const best = [...cross].sort((a, b) => (direction === 'lower' ? a.value - b.value : b.value - a.value))[0];
      bestUnit = best.unit_code;
      bestValue = best.value;
    }
    const ranked = Object.values(this.ranks[kpi] ?? {}).filter((byP) => byP[period] && byP[period][0] !== null).length;
    return {
      value,
      rank: r ? r[0] : null,
      quartile: r ? r[1] : null,
      tooSmall: r ? r[2] === 1 : false,
      of: peer?.[3] || ranked || cross.length,
      peerMedian,
      bestUnit,
      bestValue,
      gapToMedian: value !== null && peerMedian !== null ? value - peerMedian : null,
      gapToBest: value !== null && bestValue !== null ? value - bestValue : null,
    };
  }
}

/** Relative change from `from` to `to`, or null when it cannot be told (no base, zero base). */
export function change(to: number | null, from: number | null): number | null {
  if (to === null || from === null || from === 0) return null;
  return (to - from) / Math.abs(from);
}

export function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * The target path of a KPI for a unit: its baseline-year value (or, when the data start later,
 * its first full year's) moved in a straight line to baseline × (1 + change) in the target year.
 */
export function targetPath(idx: KpiIndex, target: Target, unit: string): { year: number; value: number }[] | null {
  const years = idx.series(target.kpi_id, unit, 'year');
  if (!years.length) return null;
  const base = years.find((y) => Number(y.period) === target.baseline_year) ?? years[0];
  const by = Number(base.period);
  const ty = target.target_year > by ? target.target_year : by + (target.target_year - target.baseline_year);
  const end = base.value * (1 + target.change);
  const path: { year: number; value: number }[] = [];
  for (let y = by; y <= ty; y++) path.push({ year: y, value: base.value + ((end - base.value) * (y - by)) / (ty - by) });
  return path;
}

/** Target paths as the warehouse publishes them: kpi → unit → year → path value. */
export type TargetPaths = Record<string, Record<string, Record<string, number>>>;

/** The warehouse's own path (energy_targets) when published, else one computed from the values. */
export function pathFor(idx: KpiIndex, target: Target, unit: string, paths?: TargetPaths | null): { year: number; value: number }[] | null {
  const published = paths?.[target.kpi_id]?.[unit];
  if (published && Object.keys(published).length) {
    return Object.entries(published)
      .map(([year, value]) => ({ year: Number(year), value }))
      .sort((a, b) => a.year - b.year);
  }
  return targetPath(idx, target, unit);
}

export interface CardFigures {
  value: number | null;
  previous: number | null;
  lastYear: number | null;
  /** Relative change, or for shares and rates the difference in percentage points (see `inPoints`). */
  vsPrevious: number | null;
  vsLastYear: number | null;
  /** Shares and rates change by percentage points: 4.1% after 0.9% is +3.2 points, not +342%. */
  inPoints: boolean;
  /** Year value against the target path for the period's year: (value − path) ÷ path. */
  toTarget: { year: number; path: number; value: number; gap: number } | null;
  spark: { period: string; value: number }[];
}

export function cardFigures(idx: KpiIndex, kpi: string, unit: string, period: string, grain: Grain, target?: Target | null, { sparkLength = 12, paths }: { sparkLength?: number; paths?: TargetPaths | null } = {}): CardFigures {
  const value = idx.get(kpi, unit, period);
  const prev = idx.get(kpi, unit, previous(period));
  const ly = idx.get(kpi, unit, sameLastYear(period));
  let toTarget: CardFigures['toTarget'] = null;
  if (target) {
    const path = pathFor(idx, target, unit, paths);
    const year = yearOf(period);
    const point = path?.find((p) => p.year === year);
    const yearValue = idx.get(kpi, unit, String(year));
    if (point && yearValue !== null && point.value !== 0) {
      toTarget = { year, path: point.value, value: yearValue, gap: (yearValue - point.value) / Math.abs(point.value) };
    }
  }
  const spark = idx.series(kpi, unit, grain).filter((p) => p.period <= period).slice(-sparkLength);
  const inPoints = kpiKind(kpi) === 'fraction';
  const diff = (to: number | null, from: number | null) => (to === null || from === null ? null : to - from);
  const delta = inPoints ? diff : change;
  return { value, previous: prev, lastYear: ly, vsPrevious: delta(value, prev), vsLastYear: delta(value, ly), inPoints, toTarget, spark };
}

/** Whether a change is good news for a KPI of this direction (null when flat or unknown). */
export function isBetter(delta: number | null, direction: 'higher' | 'lower'): boolean | null {
  // A change shown as 0.0% is neither good nor bad news.
  if (delta === null || Math.abs(delta) < 0.0005) return null;
  return direction === 'higher' ? delta > 0 : delta < 0;
}

export interface Lag {
  kpi_id: string;
  unit_code: string;
  value: number;
  peer_median: number;
  /** Relative shortfall against the median, positive = behind (direction-aware). */
  behind: number;
}

/**
 * Units furthest behind the peer median across the given KPIs in one period, direction-aware.
 * Units the benchmark model marks too small to rank are left out.
 */
export function laggards(idx: KpiIndex, kpis: string[], period: string, direction: (kpi: string) => 'higher' | 'lower', limit = 10): Lag[] {
  const out: Lag[] = [];
  for (const kpi of kpis) {
    const dir = direction(kpi);
    const sign = dir === 'lower' ? 1 : -1;
    for (const { unit_code } of idx.cross(kpi, period)) {
      const s = idx.standing(kpi, unit_code, period, dir);
      if (s.tooSmall || s.value === null || s.peerMedian === null || s.peerMedian === 0) continue;
      const behind = (sign * (s.value - s.peerMedian)) / Math.abs(s.peerMedian);
      if (behind > 0) out.push({ kpi_id: kpi, unit_code, value: s.value, peer_median: s.peerMedian, behind });
    }
  }
  return out.sort((a, b) => b.behind - a.behind).slice(0, limit);
}

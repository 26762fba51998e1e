/**
 * Period arithmetic on the warehouse's period labels: month '2024-03', quarter '2024-Q1',
 * year '2024'. Pure functions, shared by the pages and the page-data script.
 */

export type Grain = 'month' | 'quarter' | 'year';
export const GRAINS: Grain[] = ['month', 'quarter', 'year'];

export function grainOf(period: string): Grain {
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  if (/^\d{4}$/.test(period)) return 'year';
  throw new Error(`unknown period "${period}": expected 2024-03, 2024-Q1 or 2024`);
}

export function yearOf(period: string): number {
  return Number(period.slice(0, 4));
}

/** The period `n` steps after `period` at its own grain (negative n goes back). */
export function shift(period: string, n: number): string {
  const grain = grainOf(period);
  const y = yearOf(period);
  if (grain === 'year') return String(y + n);
  if (grain === 'quarter') {
    const i = y * 4 + (Number(period.slice(6)) - 1) + n;
    return `${Math.floor(i / 4)}-Q${(i % 4) + 1}`;
  }
  const i = y * 12 + (Number(period.slice(5)) - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export const previous = (period: string) => shift(period, -1);

/** The same period one year earlier: 2024-03 → 2023-03, 2024-Q1 → 2023-Q1, 2024 → 2023. */
export function sameLastYear(period: string): string {
  return String(yearOf(period) - 1) + period.slice(4);
}

/** Periods sorted oldest first (labels of one grain sort correctly as strings). */
export function sortPeriods(periods: Iterable<string>): string[] {
  return [...new Set(periods)].sort();
}

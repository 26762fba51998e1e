/**
 * A card's change on the previous period and on last year, on the sample warehouse: a share moves
 * in points, anything else by a fraction of the earlier value — and only when both values have the
 * same sign. Meetings can offset more than they emit, so the sample's net meeting emissions cross
 * zero: from +0.70 t to −0.28 t is no percentage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { haveSample, openSample, q } from './helpers/sample.ts';

let w: Warehouse;
beforeAll(async () => {
  if (haveSample) w = await openSample();
});
afterAll(() => w?.close());

interface Card { kpi_id: string; unit_code: string; period: string; value: number; last_year_value: number; change_vs_last_year: number | null; change_unit: string }

describe.runIf(haveSample)('kpi_cards changes and ties on the sample', () => {
  it('gives no relative change across zero, and the exact one otherwise', async () => {
    const cards = await q<Card>(w.conn, `select kpi_id, unit_code, period, value, last_year_value, change_vs_last_year, change_unit
      from kpi_cards where last_year_value is not null and last_year_value <> 0 and change_unit = 'relative'`);
    const flipped = cards.filter((c) => c.value * c.last_year_value < 0);
    expect(flipped.length).toBeGreaterThan(0);
    expect(flipped.filter((c) => c.change_vs_last_year !== null)).toEqual([]);
    const same = cards.filter((c) => c.value * c.last_year_value >= 0);
    expect(same.length).toBeGreaterThan(1000);
    for (const c of same) expect(c.change_vs_last_year, `${c.kpi_id} ${c.unit_code} ${c.period}`).toBeCloseTo((c.value - c.last_year_value) / Math.abs(c.last_year_value), 12);
  });

  it('ranks nothing on a change across zero in the benchmarks either', async () => {
    const rows = await q<{ n: number; bad: number }>(w.conn, `select count(*) filter (where value * prior_year_value < 0) as n,
      count(*) filter (where value * prior_year_value < 0 and change_vs_prior_year_pct is not null) as bad from benchmarks`);
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    expect(Number(rows[0].bad)).toBe(0);
  });

  it('says every unit is equal exactly where kpi_values holds one value for all units (no donations in December 2024)', async () => {
    const [dec] = await q<{ n: number; equal: number }>(w.conn, `select count(*) as n, count(*) filter (where units_all_equal) as equal
      from kpi_cards where kpi_id = 'pool_donated_value_yuan' and grain = 'month' and period = '2024-12' and unit_code <> 'ALL'`);
    expect([Number(dec.n), Number(dec.equal)]).toEqual([14, 14]);
    const wrong = await q<{ kpi_id: string }>(w.conn, `with spread as (
        select kpi_id, grain, period, count(distinct value) < 2 as one_value from kpi_values where unit_code <> 'ALL' group by all)
      select cards.kpi_id, cards.grain, cards.period from kpi_cards as cards join spread using (kpi_id, grain, period)
      where cards.unit_code <> 'ALL' and cards.units_all_equal is distinct from spread.one_value limit 5`);
    expect(wrong).toEqual([]);
  });
});

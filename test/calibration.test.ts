/**
 * The bundled sample reproduces the published figures (METRICS.md, "Calibration") through the
 * same tables the dashboard reads: kpi_values for the pool, the platform mart for the Games.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { haveSample, openSample, q } from './helpers/sample.ts';

describe.skipIf(!haveSample)('calibration against the published figures', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await openSample();
  });
  afterAll(() => w?.close());

  const cumulative = async (kpi: string, unit: string, through: string) =>
    (await q<{ v: number }>(w.conn, `select round(sum(value), 2) as v from kpi_values where kpi_id = ? and unit_code = ? and grain = 'month' and period <= ?`, [kpi, unit, through]))[0].v;

  it('end-July 2023: 2,934 pool fulfilments and 33.734 million yuan of purchases avoided', async () => {
    expect(await cumulative('pool_fulfilments', 'ALL', '2023-07')).toBe(2934);
    expect(await cumulative('pool_cost_avoided_yuan', 'ALL', '2023-07')).toBe(33_734_000);
  });

  it('end-2023: 3,761 fulfilments and 37.5457 million yuan avoided, 12.4039 million of it at the city level', async () => {
    expect(await cumulative('pool_fulfilments', 'ALL', '2023-12')).toBe(3761);
    expect(await cumulative('pool_cost_avoided_yuan', 'ALL', '2023-12')).toBe(37_545_700);
    expect(await cumulative('pool_cost_avoided_yuan', 'HZ', '2023-12')).toBe(12_403_900);
  });

  it('14 physical warehouses totalling 49,200 m²', async () => {
    expect(await q(w.conn, `select count(*) as n, sum(area_m2) as m2 from stg_warehouses where warehouse_kind = 'physical'`)).toEqual([{ n: 14, m2: 49_200 }]);
  });

  it('Asian Games and Para Games: 5,567 trips and 418,000 km on the three city platforms', async () => {
    const r = await q<{ platforms: number; trips: number; km: number }>(w.conn, `
      select count(distinct platform) as platforms, sum(trips) as trips, round(sum(km), 1) as km
      from vehicle_platform_daily
      where reporting_unit_code = 'HZ'
        and (depart_date between date '2023-09-23' and date '2023-10-08' or depart_date between date '2023-10-22' and date '2023-10-28')`);
    expect(r).toEqual([{ platforms: 3, trips: 5567, km: 418_000 }]);
  });
});

describe.skipIf(!haveSample)('the sample is plausible for every unit', () => {
  it('procurement savings rates lie between 0 and 30% (a 万元 header on yuan values would give ~100%)', async () => {
    const w = await openSample();
    try {
      const rates = await q<{ unit_code: string; value: number }>(w.conn, `select unit_code, value from kpi_values where kpi_id = 'proc_savings_rate' and grain = 'year' and period = '2023'`);
      expect(rates.length).toBe(15);
      for (const r of rates) expect([r.unit_code, r.value > 0 && r.value < 0.3]).toEqual([r.unit_code, true]);
    } finally {
      w.close();
    }
  });
});

/**
 * The long kpi_values table, the kpis registry, the model tests and the benchmarks mart, on the
 * fixture (test/fixtures/kpi/fixture.sql).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModels } from '../engine/tests.ts';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';
import { declaredKpis } from './helpers/metrics.ts';

// Every KPI the project declares (test/metrics-conformance.test.ts holds them to METRICS.md).
const DECLARED = declaredKpis().map((k) => k.id);

let w: KpiWarehouse;
beforeAll(async () => { w = await kpiWarehouse(); });
afterAll(() => w?.close());

describe('kpi_values', () => {
  it('holds every declared KPI at month, quarter and year grain', async () => {
    const r = await w.rows<{ kpi_id: string; grains: string[] }>(
      `select kpi_id, list(distinct grain order by grain) as grains from kpi_values group by kpi_id order by kpi_id`);
    expect(r.map((x) => x.kpi_id)).toEqual([...DECLARED].sort());
    for (const x of r) expect(x.grains, x.kpi_id).toEqual(['month', 'quarter', 'year']);
  });

  it('has one row per (kpi_id, unit_code, grain, period) and well-formed periods', async () => {
    const [r] = await w.rows<{ n: number; keys: number; bad_periods: number }>(`
      select count(*) as n,
             count(distinct (kpi_id, unit_code, grain, period)) as keys,
             count(*) filter (where not (
                 (grain = 'month' and regexp_full_match(period, '\\d{4}-\\d{2}'))
              or (grain = 'quarter' and regexp_full_match(period, '\\d{4}-Q[1-4]'))
              or (grain = 'year' and regexp_full_match(period, '\\d{4}')))) as bad_periods
      from kpi_values`);
    expect(r.keys).toBe(r.n);
    expect(r.bad_periods).toBe(0);
  });

  it('keeps shares within [0, 1]', async () => {
    const [r] = await w.rows<{ n: number; out: number }>(`
      select count(*) as n, count(*) filter (where value < 0 or value > 1) as out
      from kpi_values join kpis using (kpi_id) where unit_of_measure = 'share'`);
    expect(r.n).toBeGreaterThan(0);
    expect(r.out).toBe(0);
  });

  it('recomputes a city ratio from sums rather than averaging unit ratios', async () => {
    // Cost per km, April: XH 165/150 = 1.1, HZ 150/100 = 1.5. The city is (165 + 150) / (150 + 100)
    // = 1.26, not the mean 1.3.
    expect(await w.kpi('vehicle_cost_per_km', 'ALL', 'month', '2024-04')).toBeCloseTo(1.26, 12);
    const [inputs] = await w.rows(`select numerator, denominator, months_counted from kpi_inputs
      where kpi_id = 'vehicle_cost_per_km' and unit_code = 'ALL' and grain = 'month' and period = '2024-04'`);
    expect(inputs).toEqual({ numerator: 315, denominator: 250, months_counted: 1 });
  });
});

describe('kpis registry', () => {
  it('describes each KPI with names, unit, direction, formula and its factor sources', async () => {
    const r = await w.rows<{ kpi_id: string; name_zh: string; name_en: string; direction: string; formula: string; source: string }>(
      `select * from kpis order by kpi_id`);
    expect(r.map((x) => x.kpi_id)).toEqual([...DECLARED].sort());
    for (const x of r) {
      expect(x.name_zh, x.kpi_id).toMatch(/[\u4e00-\u9fff]/);
      expect(['higher', 'lower']).toContain(x.direction);
      expect(x.formula.length, x.kpi_id).toBeGreaterThan(30);
    }
    const scope2 = r.find((x) => x.kpi_id === 'carbon_scope2_t')!;
    // Rendered from ref.emission_factors: the series, its years and the fallback years used.
    expect(scope2.source).toContain('grid factor series national');
    expect(scope2.source).toContain('2023 0.5306');
    expect(scope2.source).toContain('fallback used for 2020, 2024');
    expect(r.find((x) => x.kpi_id === 'energy_kgce')!.source).toContain('kgce_per_kwh_electricity = 0.1229 kgce/kWh');
  });
});

describe('model tests', () => {
  it('pass on the fixture, and catch a share outside its declared range', async () => {
    const ok = await testModels(w.conn, { sqlDir: 'sql' });
    expect(ok.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(ok.passed).toBeGreaterThan(300);
    await w.conn.run(`update kpi_values set value = 1.5 where kpi_id = 'vehicle_electric_share' and unit_code = 'XH' and period = '2024-04'`);
    try {
      const bad = await testModels(w.conn, { sqlDir: 'sql' });
      const failed = bad.results.filter((r) => r.status === 'fail').map((r) => r.id);
      expect(failed).toContain('tests.kpi_values_within_declared_range');
    } finally {
      await w.conn.run(`update kpi_values set value = 50.0 / 350 where kpi_id = 'vehicle_electric_share' and unit_code = 'XH' and period = '2024-04'`);
    }
  });
});

describe('benchmarks', () => {
  it('ranks units direction-aware with median, best unit and gaps', async () => {
    // Operating cost per staff, January 2024, lower is better: XH 144,100 ÷ 3,000 staff = 48.0333…,
    // HZ 160,000 (B3's electricity bill) ÷ 9,800 = 16.3265…: HZ first; median (48.0333 + 16.3265) ÷ 2;
    // quartile 1 + ⌊4 (rank − 1) / 2⌋.
    const r = await w.rows<Record<string, number | string | boolean>>(`
      select unit_code, rank, quartile, peer_median, best_unit, gap_to_median, gap_to_best, too_small_to_rank
      from benchmarks where kpi_id = 'opcost_per_staff_yuan' and grain = 'month' and period = '2024-01'
      order by unit_code`);
    const xh = 144_100 / 3000, hz = 160_000 / 9800, median = (xh + hz) / 2;
    expect(r.map((x) => [x.unit_code, x.rank, x.quartile, x.best_unit, x.too_small_to_rank])).toEqual([['HZ', 1, 1, 'HZ', false], ['XH', 2, 3, 'HZ', false]]);
    expect(r[0].peer_median).toBeCloseTo(median, 9);
    expect(r[1].gap_to_median).toBeCloseTo(xh - median, 9);
    expect(r[1].gap_to_best).toBeCloseTo(xh - hz, 9);
    expect(r[0].gap_to_best).toBe(0);
  });

  it('does not rank a total, which grows with a unit\'s size, and keeps its median as context', async () => {
    // Purchase cost avoided, 2024-Q1: XH 12,500, HZ 6,000; median 9,250.
    const r = await w.rows(`
      select unit_code, rankable, rank, quartile, best_unit, behind_median, peer_median, gap_to_median, too_small_to_rank, rank_withheld
      from benchmarks where kpi_id = 'pool_cost_avoided_yuan' and grain = 'quarter' and period = '2024-Q1'
      order by unit_code`);
    expect(r).toEqual([
      { unit_code: 'HZ', rankable: false, rank: null, quartile: null, best_unit: null, behind_median: null, peer_median: 9250, gap_to_median: -3250, too_small_to_rank: false, rank_withheld: false },
      { unit_code: 'XH', rankable: false, rank: null, quartile: null, best_unit: null, behind_median: null, peer_median: 9250, gap_to_median: 3250, too_small_to_rank: false, rank_withheld: false },
    ]);
  });

  it('shows units too small to rank without a rank', async () => {
    // XH has 2 buildings, fewer than rank_min_buildings (3).
    const [r] = await w.rows(`select rank, quartile, too_small_to_rank, size from benchmarks
      where kpi_id = 'energy_kgce_per_m2' and unit_code = 'XH' and grain = 'month' and period = '2024-01'`);
    expect(r).toEqual({ rank: null, quartile: null, too_small_to_rank: true, size: 2 });
  });

  it('compares with the same period a year earlier', async () => {
    const [r] = await w.rows<{ prior_year_value: number; change_vs_prior_year: number }>(`
      select prior_year_value, change_vs_prior_year from benchmarks
      where kpi_id = 'energy_kgce' and unit_code = 'XH' and grain = 'month' and period = '2024-01'`);
    // January 2023: 50,000 kWh × 0.1229 = 6,145 kgce; 2024: 16,791.2264 → +10,646.2264
    expect(r.prior_year_value).toBeCloseTo(6145, 9);
    expect(r.change_vs_prior_year).toBeCloseTo(10646.2264, 6);
  });
});

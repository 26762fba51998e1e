/**
 * Energy and carbon KPIs on the fixture. XH has B1 (10,000 m², 400 occupants) and B2 (5,000 m²,
 * 100 occupants): 15,000 m², 500 occupants, 3,000 staff (ref.units). January 2024:
 *   B1 electricity 100,000 kWh (bill), B2 electricity 3,000 + 2,000 kWh (intervals, 27 of 31 days)
 *   B1 natural gas: a quarterly bill of 9,100 m³ over 91 days → January 3,100, February 2,900,
 *     March 3,100 m³
 *   B1 diesel 100 L × 0.84 = 84 kg; water 1,000 m³; PV 2,000 kWh (not energy, not subtracted)
 * XH's vehicles burn gasoline: April 10 + 20 L (V1), May 5 L (V1) + 2 L (V4, a hybrid).
 * HZ has B3 (20,000 m², 500 occupants): 200,000 kWh in January 2024, a 2020 annual bill of
 * 3,660,000 kWh, and V3 burns 12 L of diesel in April 2024.
 * Factors (data/reference): electricity 0.1229 kgce/kWh, gas 1.2143 kgce/m³, diesel 1.4571 and
 * gasoline 1.4714 kgce/kg; gas 2.1622 kgCO2/m³, diesel 3.0959 and gasoline 2.9251 tCO2/t;
 * national grid factor 2023 0.5306 (used for 2024, flagged), 2021 0.5568 (used for 2020).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from './helpers/warehouse.ts';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';

let w: KpiWarehouse;
beforeAll(async () => { w = await kpiWarehouse(); });
afterAll(() => w?.close());

// XH January 2024 kgce: 105,000 × 0.1229 = 12,904.5; 3,100 × 1.2143 = 3,764.33;
// 84 × 1.4571 = 122.3964 → 16,791.2264
const XH_JAN_KGCE = 16791.2264;

describe('energy', () => {
  it('adds electricity, gas and building diesel in kgce, spreading a quarterly bill by days', async () => {
    expect(await w.kpi('energy_kgce', 'XH', 'month', '2024-01')).toBeCloseTo(XH_JAN_KGCE, 6);
    expect(await w.kpi('energy_kgce', 'XH', 'month', '2024-02')).toBeCloseTo(2900 * 1.2143, 6); // 3,521.47
    // Q1: 16,791.2264 + 3,521.47 + 3,764.33 = 24,077.0264
    expect(await w.kpi('energy_kgce', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(24077.0264, 6);
  });

  it("counts the unit's vehicle fuel in its energy", async () => {
    // HZ April: V3 12 L diesel × 0.84 = 10.08 kg × 1.4571 = 14.687568 kgce
    expect(await w.kpi('energy_kgce', 'HZ', 'month', '2024-04')).toBeCloseTo(14.687568, 9);
    // XH 2024: 24,077.0264 + gasoline 37 L × 0.74 = 27.38 kg × 1.4714 = 40.286932 → 24,117.313332
    expect(await w.kpi('energy_kgce', 'XH', 'year', '2024')).toBeCloseTo(24117.313332, 6);
  });

  it('divides by floor area and occupants, not by their sum over months', async () => {
    expect(await w.kpi('energy_kgce_per_m2', 'XH', 'month', '2024-01')).toBeCloseTo(XH_JAN_KGCE / 15000, 12);
    expect(await w.kpi('energy_kgce_per_m2', 'XH', 'year', '2024')).toBeCloseTo(24117.313332 / 15000, 12);
    expect(await w.kpi('energy_kgce_per_person', 'XH', 'month', '2024-01')).toBeCloseTo(XH_JAN_KGCE / 500, 12);
    expect(await w.kpi('water_m3_per_person', 'XH', 'quarter', '2024-Q1')).toBe(2); // 1,000 m³ / 500
    // HZ sends no water readings: no value rather than a flattering zero
    expect(await w.kpi('water_m3_per_person', 'HZ', 'year', '2024')).toBeUndefined();
    expect(await w.kpi('electricity_kwh_per_m2', 'XH', 'year', '2024')).toBe(7); // 105,000 / 15,000
    // City January: (16,791.2264 + HZ 200,000 × 0.1229 = 24,580) / (15,000 + 20,000)
    expect(await w.kpi('energy_kgce_per_m2', 'ALL', 'month', '2024-01')).toBeCloseTo((XH_JAN_KGCE + 24580) / 35000, 12);
  });

  it('measures the coverage of interval readings', async () => {
    const [r] = await w.rows<{ interval_coverage: number; has_gaps: boolean }>(`
      select interval_coverage, has_gaps from energy_building_months
      where building_id = 'B2' and carrier = 'electricity' and month = '2024-01-01'`);
    // 15 + 12 days = 648 hours of January's 744
    expect(r.interval_coverage).toBeCloseTo(648 / 744, 12);
    expect(r.has_gaps).toBe(true);
  });

  it('flags a building-month far above the same month a year earlier', async () => {
    const r = await w.rows(`select building_id, carrier, strftime(month, '%Y-%m') as month, ratio_to_prior_year, anomaly from energy_anomalies`);
    // B1 electricity January 2024 100,000 vs January 2023 50,000 kWh → 2.0 > 1.5
    expect(r).toEqual([{ building_id: 'B1', carrier: 'electricity', month: '2024-01', ratio_to_prior_year: 2, anomaly: 'high' }]);
  });

  it("draws the target path from the unit's own baseline year", async () => {
    const [r] = await w.rows<{ baseline_year: number; baseline_value: number; target_value: number; path_value: number }>(`
      select baseline_year, baseline_value, target_value, path_value from kpi_targets
      where unit_code = 'HZ' and target_id = 'energy_per_m2' and year = 2022`);
    // HZ 2020 (a full year through the annual bill): 3,660,000 × 0.1229 / 20,000 = 22.4907;
    // target 2025 = × 0.95 = 21.366165; 2022 is 2/5 of the way: 22.4907 − 0.4 × 1.124535 = 22.040886
    expect(r.baseline_year).toBe(2020);
    expect(r.baseline_value).toBeCloseTo(22.4907, 9);
    expect(r.target_value).toBeCloseTo(21.366165, 9);
    expect(r.path_value).toBeCloseTo(22.040886, 9);
  });
});

describe('carbon', () => {
  // XH January 2024 scope 1: 3,100 × 2.1622 / 1,000 = 6.70282 + 84 × 3.0959 / 1,000 = 0.2600556
  const scope1 = 6.9628756;
  // scope 2: 105,000 kWh × 0.5306 / 1,000 = 55.713 (PV not subtracted)
  const scope2 = 55.713;

  it('computes scope 1 and scope 2 with the data year\'s grid factor, recording the series', async () => {
    expect(await w.kpi('carbon_scope1_t', 'XH', 'month', '2024-01')).toBeCloseTo(scope1, 9);
    expect(await w.kpi('carbon_scope2_t', 'XH', 'month', '2024-01')).toBeCloseTo(scope2, 9);
    expect(await w.kpi('carbon_total_t', 'XH', 'month', '2024-01')).toBeCloseTo(scope1 + scope2, 9);
    // Vehicle gasoline, April: 30 L × 0.74 = 22.2 kg × 2.9251 / 1,000
    expect(await w.kpi('carbon_scope1_t', 'XH', 'month', '2024-04')).toBeCloseTo(0.06493722, 12);
    const [row] = await w.rows(`select factor_series, factor_year, factor_is_fallback from carbon_unit_months where unit_code = 'XH' and month = '2024-01-01'`);
    expect(row).toEqual({ factor_series: 'national', factor_year: 2023, factor_is_fallback: true });
    // 2020 precedes the series: its first year (2021, 0.5568) is used → 3,660,000 × 0.5568 / 1,000
    expect(await w.kpi('carbon_scope2_t', 'HZ', 'year', '2020')).toBeCloseTo(2037.888, 9);
  });

  it('computes intensities per staff and per m²', async () => {
    expect(await w.kpi('carbon_t_per_staff', 'XH', 'month', '2024-01')).toBeCloseTo((scope1 + scope2) / 3000, 12);
    expect(await w.kpi('carbon_kg_per_m2', 'XH', 'month', '2024-01')).toBeCloseTo((scope1 + scope2) * 1000 / 15000, 12);
  });

  it('switches the grid-factor series with one setting', async () => {
    const s = scratch();
    try {
      cpSync('data/reference', s.dir, { recursive: true });
      const settings = readFileSync(`${s.dir}/settings.csv`, 'utf8');
      writeFileSync(`${s.dir}/settings.csv`, settings.replace(/^grid_factor_series,national,/m, 'grid_factor_series,east_china,'));
      const east = await kpiWarehouse({ referenceDir: s.dir });
      try {
        // East China 2023 0.5500: 105,000 × 0.55 / 1,000 = 57.75
        expect(await east.kpi('carbon_scope2_t', 'XH', 'month', '2024-01')).toBeCloseTo(57.75, 9);
        const [row] = await east.rows(`select factor_series, factor_year from carbon_unit_months where unit_code = 'XH' and month = '2024-01-01'`);
        expect(row).toEqual({ factor_series: 'east_china', factor_year: 2023 });
      } finally {
        east.close();
      }
    } finally {
      s.dispose();
    }
  });
});

describe('meetings', () => {
  it('estimates a missing venue reading and keeps over-offset nets negative', async () => {
    const r = await w.rows<{ meeting_id: string; venue_kwh_used: number; gross_t: number; net_t: number; is_zero_carbon: boolean }>(
      `select meeting_id, venue_kwh_used, gross_t, net_t, is_zero_carbon from meeting_emissions order by meeting_id`);
    // M1: venue 0.1 × 50 × 2 = 10 kWh × 0.5306 = 5.306 kg; car 100 × 0.17 = 17; transit 200 × 0.05
    // = 10; pages 1,000 × 0.005 = 5; meals 50 × 2.5 = 125 → 162.306 kg; offset 0.2 t → −0.037694 t
    expect(r[0].venue_kwh_used).toBe(10);
    expect(r[0].gross_t).toBeCloseTo(0.162306, 12);
    expect(r[0].net_t).toBeCloseTo(-0.037694, 12);
    expect(r[0].is_zero_carbon).toBe(true);
    // M2: venue 30 × 0.5306 = 15.918; car 50 × 0.17 = 8.5; meals 20 × 2.5 = 50 → 74.418 kg, no offset
    expect(r[1].net_t).toBeCloseTo(0.074418, 12);
    expect(r[1].is_zero_carbon).toBe(false);
    expect(await w.kpi('meeting_net_tco2e', 'XH', 'month', '2024-03')).toBeCloseTo(0.036724, 12);
    expect(await w.kpi('meeting_zero_carbon_share', 'XH', 'quarter', '2024-Q1')).toBe(0.5);
  });
});

/**
 * Vehicle KPIs on the fixture. XH's vehicles: V1 (gasoline, in service throughout), V2 (electric,
 * retired 2024-04-10), V4 (hybrid, acquired 2024-05-27); HZ's V3 (diesel, acquired 2024-04-15).
 * XH reports trips in April and May only, so its Q2 and 2024 figures cover those two months.
 *
 * Working days (ref.holidays 2024): April has 22 weekdays − 4, 5 April (清明) + Sunday 7 and
 * Sunday 28 April (make-up workdays) = 22; May has 23 weekdays − 1, 2, 3 May (劳动节) + Saturday
 * 11 May = 21. V2 in April (1–10): 1, 2, 3, 7, 8, 9, 10 = 7 working days, 10 calendar days.
 * V4 in May (27–31): 5 working days, 5 calendar days. V3 in April (15–30): 15–19, 22–26, 28,
 * 29, 30 = 13 working days, 16 calendar days.
 *
 * Trip days: V1 1 Apr, 7 Apr (make-up workday), 8–10 Apr (one three-day trip), 13 Apr (Saturday),
 * 1 May (holiday), 11 May (make-up workday), 20 May (sent by the city platform); V2 2 Apr (two
 * trips, one vehicle-day); V4 27, 28, 29 May; V3 15 Apr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';

let w: KpiWarehouse;
beforeAll(async () => { w = await kpiWarehouse(); });
afterAll(() => w?.close());

describe('day utilisation', () => {
  it('divides working vehicle-days with a trip by in-service working vehicle-days', async () => {
    // April: used V1 1, 7, 8, 9, 10 + V2 2 = 6; in service V1 22 + V2 7 = 29 (V2 retired 10 April)
    expect(await w.kpi('vehicle_day_utilisation', 'XH', 'month', '2024-04')).toBeCloseTo(6 / 29, 12);
    // May (holiday week): used V1 11, 20 + V4 27, 28, 29 = 5 (1 May is a holiday, counted apart);
    // in service V1 21 + V4 5 = 26
    expect(await w.kpi('vehicle_day_utilisation', 'XH', 'month', '2024-05')).toBeCloseTo(5 / 26, 12);
    // Q2 over reported months April and May: (6 + 5) / (29 + 26) = 0.2
    expect(await w.kpi('vehicle_day_utilisation', 'XH', 'quarter', '2024-Q2')).toBeCloseTo(0.2, 12);
    expect(await w.kpi('vehicle_day_utilisation', 'XH', 'year', '2024')).toBeCloseTo(0.2, 12);
    // City April: (6 + V3 1) / (29 + 13); Q2: (11 + 1) / (55 + 13)
    expect(await w.kpi('vehicle_day_utilisation', 'ALL', 'month', '2024-04')).toBeCloseTo(7 / 42, 12);
    expect(await w.kpi('vehicle_day_utilisation', 'ALL', 'quarter', '2024-Q2')).toBeCloseTo(12 / 68, 12);
  });

  it('counts weekend and holiday trip days apart', async () => {
    const r = await w.rows<{ month: string; used_off_days: number; used_working_days: number }>(`
      select strftime(month, '%Y-%m') as month, used_off_days, used_working_days
      from vehicle_months where vehicle_id = 'V1' and month >= '2024-04-01' and month < '2024-06-01' order by month`);
    // April: 13 April (Saturday); May: 1 May (holiday)
    expect(r).toEqual([
      { month: '2024-04', used_off_days: 1, used_working_days: 5 },
      { month: '2024-05', used_off_days: 1, used_working_days: 2 },
    ]);
  });

  it('has no vehicle KPI for a month without reported trips, and shows the months counted', async () => {
    expect(await w.kpi('vehicle_day_utilisation', 'XH', 'month', '2024-06')).toBeUndefined();
    expect(await w.kpi('vehicle_trips', 'XH', 'month', '2024-03')).toBeUndefined();
    const [r] = await w.rows<{ months_counted: number }>(`
      select months_counted from kpi_inputs
      where kpi_id = 'vehicle_day_utilisation' and unit_code = 'XH' and grain = 'year' and period = '2024'`);
    expect(r.months_counted).toBe(2);
  });
});

describe('distance, cost and fleet mix', () => {
  it('attributes trips to the vehicle\'s unit, not the exporting platform', async () => {
    // May: T7, T8, T9 (sent by HZ's platform, V1 is XH's), T11–T13
    expect(await w.kpi('vehicle_trips', 'XH', 'month', '2024-05')).toBe(6);
    expect(await w.kpi('vehicle_trips', 'HZ', 'quarter', '2024-Q2')).toBe(1); // T10 only
    // April km: 50 + 30 + 200 (odometer 1,200 − 1,000) + 20 + 40 + 10 = 350; May 10 + 60 + 40 + 30 = 140
    expect(await w.kpi('vehicle_km', 'XH', 'month', '2024-04')).toBe(350);
    expect(await w.kpi('vehicle_km', 'XH', 'quarter', '2024-Q2')).toBe(490);
  });

  it('computes cost per km over trips that record a cost, zero included', async () => {
    // April: cost 100 + 0 + 40 + 20 + 5 = 165 over 50 + 30 + 20 + 40 + 10 = 150 km (T3 has no cost)
    expect(await w.kpi('vehicle_cost_per_km', 'XH', 'month', '2024-04')).toBeCloseTo(1.1, 12);
    // Q2: (165 + 10 + 60 + 30) / (150 + 10 + 60 + 40) = 265 / 260 (T11–T13 have no cost)
    expect(await w.kpi('vehicle_cost_per_km', 'XH', 'quarter', '2024-Q2')).toBeCloseTo(265 / 260, 12);
    expect(await w.kpi('vehicle_cost_per_km', 'HZ', 'month', '2024-04')).toBeCloseTo(1.5, 12); // 150 / 100
  });

  it('computes km per in-service vehicle-year and the electric share', async () => {
    // April: 350 km over (V1 30 + V2 10) / 365 vehicle-years = 3,193.75
    expect(await w.kpi('vehicle_km_per_vehicle_year', 'XH', 'month', '2024-04')).toBeCloseTo(3193.75, 9);
    // Q2: 490 km over (40 + V1 31 + V4 5) / 365 = 2,353.289…
    expect(await w.kpi('vehicle_km_per_vehicle_year', 'XH', 'quarter', '2024-Q2')).toBeCloseTo(490 * 365 / 76, 9);
    // Electric: V2's 40 + 10 km; April 50/350, Q2 50/490, May 0
    expect(await w.kpi('vehicle_electric_share', 'XH', 'month', '2024-04')).toBeCloseTo(50 / 350, 12);
    expect(await w.kpi('vehicle_electric_share', 'XH', 'quarter', '2024-Q2')).toBeCloseTo(50 / 490, 12);
    expect(await w.kpi('vehicle_electric_share', 'XH', 'month', '2024-05')).toBe(0);
  });

  it('reports fuel per 100 km by class and energy type', async () => {
    const [r] = await w.rows<{ fuel_l_per_100km: number }>(`
      select fuel_l_per_100km from vehicle_fuel_efficiency
      where unit_code = 'XH' and month = '2024-04-01' and vehicle_class = 'sedan' and energy = 'gasoline'`);
    // V1 April: 10 + 20 litres over 50 + 30 + 200 + 20 = 300 km → 10 L/100 km
    expect(r.fuel_l_per_100km).toBeCloseTo(10, 12);
  });
});

describe('underused vehicles', () => {
  it('counts vehicles below the utilisation threshold (0.5) over each period', async () => {
    // April: V1 5/22, V2 1/7 → 2. May: V1 2/21 underused, V4 3/5 = 0.6 not; V2 retired → 1.
    expect(await w.kpi('vehicle_underused_count', 'XH', 'month', '2024-04')).toBe(2);
    expect(await w.kpi('vehicle_underused_count', 'XH', 'month', '2024-05')).toBe(1);
    // Q2: V1 7/43, V2 1/7 underused; V4 3/5 not → 2. City: + V3 1/13 → 3.
    expect(await w.kpi('vehicle_underused_count', 'XH', 'quarter', '2024-Q2')).toBe(2);
    expect(await w.kpi('vehicle_underused_count', 'ALL', 'quarter', '2024-Q2')).toBe(3);
  });
});

describe('platform figures', () => {
  it('sums trips and km by exporting unit over a date window', async () => {
    const [r] = await w.rows<{ trips: number; km: number }>(`
      select sum(trips) as trips, sum(km) as km from vehicle_platform_daily
      where reporting_unit_code = 'HZ' and depart_date between '2024-04-01' and '2024-05-31'`);
    expect(r).toEqual({ trips: 2, km: 140 }); // T10 100 km + T9 40 km
  });
});

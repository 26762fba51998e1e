/**
 * Procurement and operating-cost KPIs on the fixture. XH's awarded records (by contracted_on):
 *   R1  01-25 goods 办公家具 open tender     budget 60,000  contract 50,000  S-A  SME
 *   R2  02-01 goods 计算机 e-mall (区教育局)   12,000 / 12,000  S-B  not SME
 *   R3  02-20 goods 计算机 e-mall (区教育局)   10,000 / 9,000   " S-B " (trimmed: S-B)  not SME
 *   R4  03-02 goods 计算机 e-mall (区教育局)   15,000 / 15,000  S-C  SME unknown
 *   R5  03-10 goods 计算机 e-mall (区教育局)   5,000 / 5,000    S-C  SME
 *   R6  03-15 goods 打印设备 single source    20,000 / 20,000  S-D  SME
 *   R7  03-20 services inquiry              30,000 / 28,000  S-A  SME
 *   R10 03-25 works open tender             1,000,000 / 900,000 S-F not SME
 * R8 has no contract amount (counts nowhere). HZ: R9 02-10 goods open tender 300,000 / 250,000 S-E.
 * Q1 XH: Σ budget 1,152,000, Σ contract 1,039,000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';

let w: KpiWarehouse;
beforeAll(async () => { w = await kpiWarehouse(); });
afterAll(() => w?.close());

describe('procurement', () => {
  it('computes the savings rate from sums over awarded records', async () => {
    // (1,152,000 − 1,039,000) / 1,152,000 = 0.098090…
    expect(await w.kpi('proc_savings_rate', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(113000 / 1152000, 12);
    // February: (22,000 − 21,000) / 22,000
    expect(await w.kpi('proc_savings_rate', 'XH', 'month', '2024-02')).toBeCloseTo(1000 / 22000, 12);
  });

  it('computes method and SME shares of contract value', async () => {
    // Competitive: R1 50,000 + R7 28,000 (inquiry) + R10 900,000 = 978,000 of 1,039,000
    expect(await w.kpi('proc_competitive_share', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(978000 / 1039000, 12);
    // Single source: R6 20,000
    expect(await w.kpi('proc_single_source_share', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(20000 / 1039000, 12);
    // SME: 50,000 + 5,000 + 20,000 + 28,000 = 103,000 over the value with SME known
    // (1,039,000 − R4 15,000 = 1,024,000)
    expect(await w.kpi('proc_sme_share', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(103000 / 1024000, 12);
  });

  it('computes supplier concentration (HHI) per period, suppliers by trimmed name', async () => {
    // Q1 XH: S-A 78,000, S-B 21,000, S-C 20,000, S-D 20,000, S-F 900,000 of 1,039,000:
    // 10,000 × (78² + 21² + 20² + 20² + 900²) / 1,039² = 7,571.18…
    expect(await w.kpi('proc_hhi', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(10000 * 817325e6 / 1039000 ** 2, 6);
    expect(await w.kpi('proc_hhi', 'XH', 'month', '2024-01')).toBe(10000); // S-A alone
    // City Q1: + S-E 250,000 of 1,289,000: 10,000 × (817,325e6 + 62,500e6) / 1,289,000² = 5,295.30…
    expect(await w.kpi('proc_hhi', 'ALL', 'quarter', '2024-Q1')).toBeCloseTo(10000 * 879825e6 / 1289000 ** 2, 6);
  });

  it('flags a split-purchase group in the month of its first record', async () => {
    const groups = await w.rows<{ group_id: string; record_ids: string[]; is_flagged: boolean; thresholds_crossed: string[] | null }>(`
      select group_id, record_ids, is_flagged, thresholds_crossed from proc_split_groups
      where agency = '区教育局' order by group_id`);
    // R2 starts a group; R3 (day 19) and R4 (day 30, inclusive) join it; R5 (day 38) starts the
    // next. 12,000, 9,000, 15,000 are each below 20,000 and sum to 36,000 ≥ 20,000.
    expect(groups).toEqual([
      { group_id: 'R2', record_ids: ['R2', 'R3', 'R4'], is_flagged: true, thresholds_crossed: ['proc_split_preapproval'] },
      { group_id: 'R5', record_ids: ['R5'], is_flagged: false, thresholds_crossed: null },
    ]);
    expect(await w.kpi('proc_split_flags', 'XH', 'month', '2024-02')).toBe(1);
    expect(await w.kpi('proc_split_flags', 'XH', 'month', '2024-03')).toBe(0);
    expect(await w.kpi('proc_split_flags', 'ALL', 'year', '2024')).toBe(1);
    const records = await w.rows<{ record_id: string }>(`select record_id from proc_split_group_records where group_id = 'R2' order by position_in_order`);
    expect(records.map((r) => r.record_id)).toEqual(['R2', 'R3', 'R4']);
  });

  it('leaves records without a contract amount out of every KPI', async () => {
    const [r] = await w.rows<{ n: number }>(`select count(*) as n from int_proc_awarded where record_id = 'R8'`);
    expect(r.n).toBe(0);
  });
});

describe('operating cost', () => {
  it('adds energy cost, vehicle cost and goods and services procured', async () => {
    // XH January: electricity 80,000 + gas 27,300 × 31/91 = 9,300 + water 4,000 + diesel 800
    // + R1 50,000 = 144,100; per staff ÷ 3,000
    expect(await w.kpi('opcost_total_yuan', 'XH', 'month', '2024-01')).toBeCloseTo(144100, 6);
    expect(await w.kpi('opcost_per_staff_yuan', 'XH', 'month', '2024-01')).toBeCloseTo(144100 / 3000, 9);
    // Q1: energy 80,000 + 27,300 + 4,000 + 800 = 112,100; goods and services R1–R7 139,000
    // (works R10 excluded) = 251,100
    expect(await w.kpi('opcost_total_yuan', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(251100, 6);
    // Q2: trips' cost 100 + 0 + 40 + 20 + 5 + 10 + 60 + 30 = 265 (T9 was sent by HZ's platform)
    expect(await w.kpi('opcost_total_yuan', 'XH', 'quarter', '2024-Q2')).toBeCloseTo(265, 9);
  });
});

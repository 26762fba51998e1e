/**
 * Asset-pool KPIs on the fixture (test/fixtures/kpi/fixture.sql). XH's warehouse ledger:
 *   P0 01-02 deposit  计算机   5            P4 02-10 loan     计算机 1 × 6,000 (A2, due 03-01)
 *   P1 01-05 deposit  办公家具 10           P5 02-25 return   计算机 1 (A2)
 *   P2 01-10 loan     办公家具 2 × 1,000 (A1, due 02-15, never returned)
 *   P3 01-20 transfer 办公家具 3, no new price, original value 1,500
 *   P6 03-05 donation 办公家具 1 × 800      P7 03-10 disposal 办公家具 1
 * HZ: H1 01-03 deposit 打印设备 4; H2 02-20 allocation 打印设备 2 × 3,000.
 * The run's as-of date is 2024-05-31 (last day of the latest month in the raw data: trips in May).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';

let w: KpiWarehouse;
beforeAll(async () => { w = await kpiWarehouse(); });
afterAll(() => w?.close());

describe('fulfilments and cost avoided', () => {
  it('counts loans, transfers and allocations, not deposits, returns, donations or disposals', async () => {
    expect(await w.kpi('pool_fulfilments', 'XH', 'month', '2024-01')).toBe(2); // P2, P3
    expect(await w.kpi('pool_fulfilments', 'XH', 'month', '2024-03')).toBe(0); // donation and disposal only
    expect(await w.kpi('pool_fulfilments', 'XH', 'quarter', '2024-Q1')).toBe(3); // + P4
    expect(await w.kpi('pool_fulfilments', 'ALL', 'year', '2024')).toBe(4); // + H2
  });

  it('values a fulfilment without unit_price_new at its original value and counts it', async () => {
    // January: P2 2 × 1,000 + P3 3 × 1,500 (original value) = 6,500
    expect(await w.kpi('pool_cost_avoided_yuan', 'XH', 'month', '2024-01')).toBe(6500);
    // Q1: 6,500 + P4 1 × 6,000 = 12,500; city: + H2 2 × 3,000 = 18,500
    expect(await w.kpi('pool_cost_avoided_yuan', 'XH', 'quarter', '2024-Q1')).toBe(12500);
    expect(await w.kpi('pool_cost_avoided_yuan', 'ALL', 'quarter', '2024-Q1')).toBe(18500);
    const [jan] = await w.rows<{ valued_at_original_cost: number }>(
      `select valued_at_original_cost from pool_unit_months where unit_code = 'XH' and month = '2024-01-01'`);
    expect(jan.valued_at_original_cost).toBe(1);
  });

  it('keeps running totals for reading published cumulative figures at a date', async () => {
    // By 2024-02-15: P2, P3 (6,500) and P4 (6,000) → 3 fulfilments, 12,500 yuan city-wide.
    const [r] = await w.rows<{ n: number; yuan: number }>(`
      select max(all_fulfilments_to_date) as n, max(all_cost_avoided_to_date) as yuan
      from pool_fulfilments where txn_date <= '2024-02-15'`);
    expect(r).toEqual({ n: 3, yuan: 12500 });
  });

  it('reports donations apart, valued like fulfilments', async () => {
    expect(await w.kpi('pool_donated_value_yuan', 'XH', 'month', '2024-03')).toBe(800); // P6 1 × 800
    expect(await w.kpi('pool_donated_value_yuan', 'XH', 'month', '2024-01')).toBe(0);
  });
});

describe('overdue loans', () => {
  it('counts a loan past due and not returned, judged at each period end', async () => {
    // A1 due 02-15: not yet due at 01-31, overdue at 02-29 and at 03-31. A2 came back 02-25.
    expect(await w.kpi('pool_overdue_loans', 'XH', 'month', '2024-01')).toBe(0);
    expect(await w.kpi('pool_overdue_loans', 'XH', 'month', '2024-02')).toBe(1);
    expect(await w.kpi('pool_overdue_loans', 'XH', 'quarter', '2024-Q1')).toBe(1);
    expect(await w.kpi('pool_overdue_loans', 'HZ', 'month', '2024-02')).toBe(0);
  });

  it('lists each loan with its status at the as-of date', async () => {
    const loans = await w.rows<{ txn_id: string; status: string; returned_on: string | null; days_overdue: number | null }>(
      `select txn_id, status, returned_on::varchar as returned_on, days_overdue from pool_loans order by txn_id`);
    // P2: 2024-02-15 → 2024-05-31 = 14 (rest of Feb) + 31 + 30 + 31 = 106 days overdue
    expect(loans).toEqual([
      { txn_id: 'P2', status: 'overdue', returned_on: null, days_overdue: 106 },
      { txn_id: 'P4', status: 'returned', returned_on: '2024-02-25', days_overdue: null },
    ]);
  });
});

describe('stock and turnover', () => {
  it('computes daily stock from deposits, returns and outflows', async () => {
    // XH end of 2024-01-20: 5 + 10 − 2 − 3 = 10; end of 2024-03-10: 10 − 1 + 1 − 1 − 1 = 8
    const r = await w.rows<{ day: string; stock: number }>(`
      select day::varchar as day, sum(stock) as stock from pool_stock_daily
      where unit_code = 'XH' and day in ('2024-01-20', '2024-03-10') group by day order by day`);
    expect(r).toEqual([{ day: '2024-01-20', stock: 10 }, { day: '2024-03-10', stock: 8 }]);
  });

  it('divides fulfilled quantity by average daily stock', async () => {
    // XH January, from the first transaction (01-02): 3 days × 5 + 5 × 15 + 10 × 13 + 12 × 10
    // = 340 stock-days over 30 days; fulfilled 2 + 3 = 5 → 5 ÷ (340/30) = 0.441176…
    expect(await w.kpi('pool_turnover', 'XH', 'month', '2024-01')).toBeCloseTo(150 / 340, 10);
    // Q1: Feb 9 × 10 + 15 × 9 + 5 × 10 = 275 over 29 days; Mar 4 × 10 + 5 × 9 + 22 × 8 = 261
    // over 31; fulfilled 6 → 6 ÷ ((340 + 275 + 261) / 90) = 0.616438…
    expect(await w.kpi('pool_turnover', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(6 * 90 / 876, 10);
    // HZ February: 19 days × 4 + 10 × 2 = 96 over 29 days; fulfilled 2 → 0.604167
    expect(await w.kpi('pool_turnover', 'HZ', 'month', '2024-02')).toBeCloseTo(2 * 29 / 96, 10);
  });
});

describe('reuse first', () => {
  it('compares pool quantity with procured quantity of the same category', async () => {
    // January 办公家具: pool 5 (P2 2 + P3 3), procured R1 5 → 0.5
    expect(await w.kpi('pool_reuse_first_rate', 'XH', 'month', '2024-01')).toBe(0.5);
    // February 计算机: pool 1 (P4), procured R2 2 + R3 1 → 1/4
    expect(await w.kpi('pool_reuse_first_rate', 'XH', 'month', '2024-02')).toBe(0.25);
    // Q1: pool 6 ÷ (6 + R1 5 + R2–R5 6 + R6 1) = 6/18
    expect(await w.kpi('pool_reuse_first_rate', 'XH', 'quarter', '2024-Q1')).toBeCloseTo(1 / 3, 12);
    // HZ February: pool 2 printers, no printer purchases (R9 air conditioners are no pool category)
    expect(await w.kpi('pool_reuse_first_rate', 'HZ', 'month', '2024-02')).toBe(1);
  });

  it('flags purchases made while the unit or the city level held idle stock', async () => {
    const r = await w.rows<{ record_id: string; unit_idle_stock: number; city_idle_stock: number }>(
      `select record_id, unit_idle_stock, city_idle_stock from pool_missed_reuse order by record_id`);
    // R1 (01-25): XH held 5 办公家具; R2–R5: XH held 4–5 计算机; R6 (03-15) 打印设备: XH none,
    // the city level 2 (4 − 2). R9 (空调) and R7 (services) are not candidates.
    expect(r).toEqual([
      { record_id: 'R1', unit_idle_stock: 5, city_idle_stock: 0 },
      { record_id: 'R2', unit_idle_stock: 5, city_idle_stock: 0 },
      { record_id: 'R3', unit_idle_stock: 4, city_idle_stock: 0 },
      { record_id: 'R4', unit_idle_stock: 5, city_idle_stock: 0 },
      { record_id: 'R5', unit_idle_stock: 5, city_idle_stock: 0 },
      { record_id: 'R6', unit_idle_stock: 0, city_idle_stock: 2 },
    ]);
    expect(await w.kpi('pool_missed_reuse_yuan', 'XH', 'month', '2024-02')).toBe(21000); // 12,000 + 9,000
    expect(await w.kpi('pool_missed_reuse_yuan', 'XH', 'quarter', '2024-Q1')).toBe(111000); // 50,000 + 21,000 + 15,000 + 5,000 + 20,000
  });
});

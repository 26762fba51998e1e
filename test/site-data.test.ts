/**
 * The page-data step on the fixture warehouse: what each page gets, that it stays small, that no
 * personal identifier is published, and that missing models give empty states, not failures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseCatalog, writeSiteData, type SiteDataSummary } from '../scripts/site-data.ts';
import { buildFixtureWarehouse, PLANTED_PERSONAL } from '../scripts/site-fixture.ts';
import { ROOT } from './helpers/browser.ts';
import { CONTRACT } from '../contract/contract.ts';

const WORK = join(ROOT, 'test-results/site-data');
const DB = join(WORK, 'fixture.duckdb');
const OUT = join(WORK, 'data');
const read = (rel: string) => JSON.parse(readFileSync(join(OUT, rel), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe('site data from the fixture warehouse', () => {
  let summary: SiteDataSummary;
  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    await buildFixtureWarehouse(DB);
    summary = await writeSiteData({ db: DB, out: OUT, catalog: join(WORK, 'no-catalog.json') });
  });

  it('keeps every page under 1 MB (site.json plus the page file)', () => {
    const size = (rel: string) => summary.files.find((f) => f.path === rel)!.bytes;
    const pages = summary.files.map((f) => f.path).filter((p) => p !== 'site.json');
    expect(pages).toContain('districts/YH.json');
    for (const p of pages) expect(size('site.json') + size(p), p).toBeLessThan(1_000_000);
  });

  it('publishes no personal identifier anywhere', () => {
    for (const f of filesUnder(OUT)) {
      const text = readFileSync(f, 'latin1') + readFileSync(f, 'utf8');
      for (const id of PLANTED_PERSONAL) expect(text.includes(id), `${id} in ${f}`).toBe(false);
    }
  });

  it('strips personal columns from quarantined example rows and masks personal values', () => {
    const q = read('quality.json');
    const unknownUnit = q.examples.find((e: { row: number }) => e.row === 12);
    expect(unknownUnit.record).toEqual({ trip_id: 'T-9', unit: '余航区', distance_km: '12' });
    // Only the contract's publishable columns: the driver, the free-text purpose and a column the
    // contract does not know ("note", which carried a phone and an e-mail) are left out.
    expect(q.examples.find((e: { row: number }) => e.row === 40).record).toEqual({ trip_id: 'T-40', unit: 'YH', distance_km: '-5' });
    // Reasons are grouped by their shape: the quoted value is hidden.
    expect(q.quarantine.rows).toContainEqual(['vehicle_trips', 'unit', 'unknown unit "…"', '?', 1]);
    expect(q.quarantine.rows).toContainEqual(['vehicle_trips', 'distance_km', 'distance_km is negative', 'YH', 2]);
  });

  it('shows who has not sent this month in the freshness matrix', () => {
    const f = read('quality.json').freshness;
    expect(f.current).toBe('2024-12');
    const trips = Object.fromEntries(f.cells.filter((c: { table_name: string }) => c.table_name === 'vehicle_trips').map((c: { unit_code: string; month: string }) => [c.unit_code, c.month]));
    expect(trips.CA).toBe('2024-11');
    expect(trips.JD).toBe('2024-11');
    expect(trips.YH).toBe('2024-12');
    // Every monthly table is listed, even one nobody has sent yet (all its cells say so).
    expect(f.tables).toEqual(CONTRACT.filter((t) => t.monthColumn).map((t) => t.name));
  });

  it('derives the underused vehicles and filters the overdue loans', () => {
    const vehicles = read('area-vehicles.json').lists.vehicle_underused;
    // Two of four vehicles per unit are used 4 or 5 of 21 working days a month: below 50%.
    expect(vehicles.total).toBe(28);
    const v0 = vehicles.rows.find((r: unknown[]) => r[1] === '浙A·YH0000');
    expect(v0[vehicles.columns.indexOf('day_utilisation')]).toBeCloseTo(12 / 63, 8); // 3 × 4 ÷ (3 × 21)
    expect(vehicles.columns).not.toContain('driver_id');
    const loans = read('area-pool.json').lists;
    expect(loans.pool_overdue_loans.total).toBe(42); // 3 overdue of 4 loans × 14 units
    expect(loans.pool_overdue_loans.columns).not.toContain('contact_phone');
    expect(loans.pool_missed_reuse).toMatchObject({ exists: false, total: 0 });
    expect(read('area-energy.json').lists.energy_anomalies.exists).toBe(false);
    expect(read('area-procurement.json').lists.proc_split_groups.total).toBe(2); // FY's group is not flagged
  });

  it('publishes values and ranks in the nested shape the pages read', () => {
    const yh = read('districts/YH.json');
    expect(Object.keys(yh.ranks.vehicle_trips)).toEqual(['YH']);
    const [median, best, bestValue, ranked] = yh.peers.vehicle_trips['2024'];
    expect(typeof median).toBe('number');
    expect(typeof best).toBe('string');
    expect(typeof bestValue).toBe('number');
    expect(ranked).toBe(13); // Chun'an is too small to rank on vehicle KPIs in the fixture
    const site = read('site.json');
    expect(site.units).toHaveLength(14);
    expect(site.periods.quarter).toHaveLength(8);
    expect(site.as_of).toBe('2024-12');
  });

  it('writes blank templates with Chinese headers', () => {
    const csv = readFileSync(join(OUT, 'templates/vehicle_trips.csv'), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toContain('出车单号');
    expect(statSync(join(OUT, 'templates/vehicle_trips.xlsx')).size).toBeGreaterThan(1000);
  });

  it('builds empty states when there is no warehouse', async () => {
    const out = join(WORK, 'empty');
    const s = await writeSiteData({ db: join(WORK, 'missing.duckdb'), out, catalog: join(WORK, 'no-catalog.json') });
    expect(s.warnings.join('\n')).toMatch(/missing\.duckdb not found/);
    const site = JSON.parse(readFileSync(join(out, 'site.json'), 'utf8'));
    expect(site.periods.month).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'area-pool.json'), 'utf8')).lists.pool_overdue_loans.exists).toBe(false);
  });
});

describe('catalog normalisation', () => {
  it('reads the engine catalog shape', () => {
    const c = normaliseCatalog({
      generated_at: '2025-01-06T09:00:00Z',
      models: [
        {
          name: 'kpi_values', layer: 'marts', description: 'All KPIs', state: 'built', row_count: 10, sql: 'select 1',
          columns: [{ name: 'kpi_id', type: 'VARCHAR', tests: ['t1'] }],
          depends_on: { models: ['int_kpi_components'], sources: ['ref.units'] },
          tests: [{ id: 't1', kind: 'not_null', column: 'kpi_id', status: 'pass' }],
        },
      ],
    })!;
    expect(c.models[0]).toEqual({
      name: 'kpi_values', layer: 'marts', description: 'All KPIs', state: 'built', row_count: 10,
      columns: [{ name: 'kpi_id', type: 'VARCHAR', description: null, tests: 1 }],
      tests: [{ id: 't1', kind: 'not_null', column: 'kpi_id', status: 'pass' }],
      depends_on: ['int_kpi_components'], sources: ['ref.units'],
    });
  });
  it('accepts a plain list of dependencies and test names', () => {
    const c = normaliseCatalog({ models: [{ name: 'stg_trips', depends_on: ['raw.vehicle_trips'], tests: ['unique'], columns: ['trip_id'] }] })!;
    expect(c.models[0].layer).toBe('staging');
    expect(c.models[0].depends_on).toEqual(['raw.vehicle_trips']);
    expect(c.models[0].columns[0].name).toBe('trip_id');
  });
});

describe('freshness of energy readings', () => {
  it('counts a quarterly bill for the last month it covers', async () => {
    const { freshWarehouse, scratch } = await import('./helpers/warehouse.ts');
    const s = scratch();
    const db = join(s.dir, 'w.duckdb');
    const w = await freshWarehouse(db);
    // JD sends one bill for 2024-10-01 … 2024-12-31 (period_end stored exclusive: 2025-01-01).
    await w.conn.run(`insert into raw.buildings values ('B-JD-1', 'JD', '建德市行政中心', 9000, 300, '办公', 1, 2);
      insert into raw.energy_readings values ('B-JD-1', 'JD', 'electricity', timestamp '2024-10-01', timestamp '2025-01-01', 120000, 'kWh', null, false, 2, 2);`);
    w.close();
    try {
      await writeSiteData({ db, out: join(s.dir, 'out') });
      const f = JSON.parse(readFileSync(join(s.dir, 'out', 'quality.json'), 'utf8')).freshness;
      expect(f.cells.filter((c: { table_name: string }) => c.table_name === 'energy_readings')).toEqual([{ table_name: 'energy_readings', unit_code: 'JD', month: '2024-12' }]);
    } finally {
      s.dispose();
    }
  });
});

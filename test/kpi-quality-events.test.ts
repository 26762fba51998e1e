/**
 * What the briefing's data-quality section and its sentences rest on: export_quality_periods
 * (late exports, heavily quarantined files, per unit and for the city) on the KPI fixture with
 * load-ledger rows written by hand, and the event statements of kpi_highlights on the sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../engine/index.ts';
import { kpiWarehouse, type KpiWarehouse } from './fixtures/kpi/warehouse.ts';
import { haveSample, openSample, q } from './helpers/sample.ts';

let w: KpiWarehouse;

beforeAll(async () => {
  w = await kpiWarehouse();
  // Two loads: XH's procurement of March with 4 of 40 rows quarantined (10%, at or above the 5% of
  // quality_quarantine_share), XH's trips of April and May with 2 of 200 (1%).
  await w.conn.run(`insert into meta.load_ledger (file_id, path, sha256, table_name, unit_codes, months, rows_read, rows_loaded, rows_quarantined, status, loaded_at) values
    (101, 'xh-procurement-2024-03.csv', 'a', 'procurement', ['XH'], ['2024-03'], 40, 36, 4, 'loaded', TIMESTAMP '2024-05-31 09:00'),
    (102, 'xh-trips-2024-04-05.csv', 'b', 'vehicle_trips', ['XH'], ['2024-04', '2024-05'], 200, 198, 2, 'loaded', TIMESTAMP '2024-05-31 09:00')`);
  const r = await runModels(w.conn, { sqlDir: 'sql' });
  expect(r.failures).toEqual([]);
});
afterAll(() => w?.close());

const row = async (grain: string, period: string, unit: string, table: string) =>
  (await w.rows(`select * from export_quality_periods where grain = '${grain}' and period = '${period}' and unit_code = '${unit}' and table_name = '${table}'`))[0];

describe('export_quality_periods', () => {
  it('calls a table late for a period its latest month does not reach', async () => {
    // HZ's energy readings stop in January 2024, XH's reach March.
    expect((await row('month', '2024-03', 'HZ', 'energy_readings')).is_late).toBe(true);
    expect((await row('month', '2024-03', 'XH', 'energy_readings')).is_late).toBe(false);
    expect((await row('month', '2024-01', 'HZ', 'energy_readings')).is_late).toBe(false);
    const city = await row('month', '2024-03', 'ALL', 'energy_readings');
    expect(city.units_late).toBe(1);
    expect(city.is_late).toBe(true);
  });

  it('names a unit whose files for the period had the threshold share quarantined or more', async () => {
    const xh = await row('month', '2024-03', 'XH', 'procurement');
    expect(xh).toMatchObject({ files: 1, rows_read: 40, rows_quarantined: 4, is_heavily_quarantined: true });
    expect(xh.quarantine_share).toBeCloseTo(0.1, 12);
    const trips = await row('month', '2024-04', 'XH', 'vehicle_trips');
    expect(trips).toMatchObject({ files: 1, rows_read: 200, rows_quarantined: 2, is_heavily_quarantined: false });
    const city = await row('month', '2024-03', 'ALL', 'procurement');
    expect(city).toMatchObject({ units_heavily_quarantined: 1, is_heavily_quarantined: true, rows_read: 40 });
  });

  it('counts a file once for every period its months touch, and once in a period spanning them', async () => {
    expect((await row('month', '2024-05', 'XH', 'vehicle_trips')).rows_read).toBe(200);
    expect(await row('quarter', '2024-Q2', 'XH', 'vehicle_trips')).toMatchObject({ files: 1, rows_read: 200 });
    expect(await row('quarter', '2024-Q2', 'ALL', 'vehicle_trips')).toMatchObject({ files: 1, rows_read: 200, rows_quarantined: 2 });
  });

  it('is what the statements on late exports read', async () => {
    const statements = await w.rows<{ table_name: string; units_count: number }>(`select table_name, units_count from kpi_highlights where grain = 'month' and period = '2024-03' and unit_code = 'ALL' and kind = 'quality' order by table_name`);
    const late = await w.rows<{ table_name: string; units_late: number }>(`select table_name, units_late from export_quality_periods where grain = 'month' and period = '2024-03' and unit_code = 'ALL' and units_late > 0 order by table_name`);
    expect(statements.map((s) => [s.table_name, s.units_count])).toEqual(late.map((l) => [l.table_name, l.units_late]));
    expect(statements.length).toBeGreaterThan(0);
  });
});

describe.runIf(haveSample)('event statements (sample warehouse)', () => {
  it('name the events a period overlaps, first, for the city and every unit', async () => {
    const s = await openSample();
    try {
      // events.csv: the Asian Games 2023-09-23..10-08 and the Para Games 2023-10-22..28 both fall in October 2023.
      const october = await q<{ unit_code: string; position: number; event_id: string }>(s.conn, `select unit_code, position, event_id from kpi_highlights where grain = 'month' and period = '2023-10' and kind = 'event' order by unit_code, position`);
      const units = await q<{ unit_code: string }>(s.conn, 'select unit_code from ref.units');
      expect(new Set(october.map((r) => r.unit_code)).size).toBe(units.length + 1);
      expect(october.filter((r) => r.unit_code === 'ALL')).toEqual([
        { unit_code: 'ALL', position: 1, event_id: 'asian_games_2023' },
        { unit_code: 'ALL', position: 2, event_id: 'asian_para_games_2023' },
      ]);
      // September holds only the Games' first days; December 2024 overlaps nothing.
      expect((await q(s.conn, `select event_id from kpi_highlights where grain = 'month' and period = '2023-09' and unit_code = 'ALL' and kind = 'event'`))).toEqual([{ event_id: 'asian_games_2023' }]);
      expect(await q(s.conn, `select event_id from kpi_highlights where grain = 'month' and period = '2024-12' and kind = 'event'`)).toEqual([]);
      // A policy's start day counts in its quarter and year.
      expect(await q(s.conn, `select event_id from kpi_highlights where grain = 'year' and period = '2021' and unit_code = 'ALL' and kind = 'event'`)).toEqual([{ event_id: 'fyp14_start' }]);
    } finally {
      s.close();
    }
  });
});

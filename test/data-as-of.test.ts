/**
 * The warehouse's current period comes from the load ledger (the model data_as_of, and a run's
 * default as-of date), not from the largest date of a table: a stray future date in one row, or
 * a file whose rows were all replaced, moves neither.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadFile } from '../loaders/load.ts';
import { runModels } from '../engine/index.ts';
import { freshWarehouse, rows, scratch, type Scratch } from './helpers/warehouse.ts';
import type { Warehouse } from '../warehouse/db.ts';

let w: Warehouse | undefined;
let s: Scratch | undefined;
afterEach(() => {
  w?.close();
  s?.dispose();
});

const HEADER = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)';
const trips = (unit: string, month: string, ids: string[], extra: string[] = []) =>
  [HEADER, ...ids.map((id, i) => `${id},${unit},浙A001,${month}-0${1 + (i % 9)} 08:00,${month}-0${1 + (i % 9)} 09:00,10`), ...extra].join('\n') + '\n';

describe('data_as_of', () => {
  it('is the latest main period of a file still in raw, per table and overall', async () => {
    w = await freshWarehouse();
    s = scratch();
    await loadFile(w.conn, s.file('vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A001,余杭区,轿车,纯电\n'));
    await loadFile(w.conn, s.file('vehicle_trips/a.csv', trips('余杭区', '2024-02', ['A1', 'A2', 'A3'])));
    // March's file carries one trip mistyped into next January: the month of most rows is March.
    await loadFile(w.conn, s.file('vehicle_trips/b.csv', trips('余杭区', '2024-03', ['B1', 'B2', 'B3'], ['B4,余杭区,浙A001,2025-01-05 08:00,2025-01-05 09:00,10'])));
    const r = await runModels(w.conn, { sqlDir: 'sql', select: ['data_as_of'] });
    expect(r.failures).toEqual([]);
    expect(await rows(w.conn, `select table_name, current_period, period_end::VARCHAR as period_end, files_in_period, units_in_period from data_as_of order by table_name`)).toEqual([
      { table_name: 'all', current_period: '2024-03', period_end: '2024-03-31', files_in_period: 1, units_in_period: 1 },
      { table_name: 'vehicle_trips', current_period: '2024-03', period_end: '2024-03-31', files_in_period: 1, units_in_period: 1 },
    ]);
    // The largest date in the table is January 2025; the run is as of March 2024 all the same.
    expect(r.asOf).toBe('2024-03-31');

    // A file of April whose rows are all replaced later no longer makes April current.
    await loadFile(w.conn, s.file('vehicle_trips/c.csv', trips('余杭区', '2024-04', ['C1', 'C2'])));
    await loadFile(w.conn, s.file('vehicle_trips/d.csv', trips('余杭区', '2024-04', ['C1', 'C2', 'C3'])));
    await runModels(w.conn, { sqlDir: 'sql', select: ['data_as_of'] });
    expect(await rows(w.conn, `select current_period, files_in_period from data_as_of where table_name = 'all'`)).toEqual([{ current_period: '2024-04', files_in_period: 1 }]);
  });
});

/** The bench's CSV floor steps measure what they say: the rows they keep, how they type and number them. */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, openWarehouse } from '../warehouse/db.ts';
import { loadFile } from '../loaders/load.ts';
import { freshWarehouse, scratch, type Scratch } from '../test/helpers/warehouse.ts';

let s: Scratch;
let base: string;
let trips: string;
beforeAll(async () => {
  s = scratch();
  base = join(s.dir, 'base.duckdb');
  const w = await freshWarehouse(base);
  await loadFile(w.conn, s.file('vehicles/gs.csv', '车牌号,单位,车型,能源类型\n浙A100,拱墅区,轿车,纯电\n'));
  w.close();
  // K1 clean; K2 returns before it departs; K3 names a vehicle the register lacks; K4 writes its
  // unit as a code in capitals, which only the units table's normalised spellings resolve.
  trips = s.file('trips.csv', [
    '出车单号,单位,车牌号,出车时间,回车时间,里程(公里),费用(元)',
    'K1,拱墅区,浙A100,2024-05-06 08:00,2024-05-06 10:00,30,12.345',
    'K2,拱墅区,浙A100,2024-05-07 08:00,2024-05-06 10:00,30,10',
    'K3,拱墅区,浙Z999,2024-05-08 08:00,2024-05-08 10:00,30,10',
    'K4,GS,浙A100,2024-05-09 08:00,2024-05-09 10:00,12.5,8',
  ].join('\n') + '\n');
});
afterAll(() => s.dispose());

async function step(db: string, extra: string[] = []) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/steps/one-pass-csv.ts', '--base', base, '--db', db, '--file', trips, ...extra], { encoding: 'utf8' });
  const w = await openWarehouse(db, { readOnly: true });
  try {
    const loaded = await all<{ trip_id: string; unit_code: string; cost_yuan: number }>(w.conn, 'select trip_id, unit_code, cost_yuan::DOUBLE as cost_yuan from raw.vehicle_trips where _file_id = 0 order by trip_id');
    return { figures: JSON.parse(out.trim().split('\n').at(-1)!), loaded };
  } finally {
    w.close();
  }
}

describe('bench step one-pass-csv', () => {
  it('inserts every row unchecked, the unit as written', async () => {
    const r = await step(join(s.dir, 'unchecked.duckdb'));
    expect(r.figures).toMatchObject({ rows: 4, repeatedKeys: 0, table: 'vehicle_trips' });
    expect(r.loaded.map((x) => [x.trip_id, x.unit_code])).toEqual([['K1', '拱墅区'], ['K2', '拱墅区'], ['K3', '拱墅区'], ['K4', 'GS']]);
  });

  it('with --row-checks keeps only the rows the loader would load, units resolved and money rounded', async () => {
    const r = await step(join(s.dir, 'checked.duckdb'), ['--row-checks']);
    expect(r.figures.rows).toBe(2);
    // 12.345 rounds to 12.35 (money to the fen).
    expect(r.loaded).toEqual([{ trip_id: 'K1', unit_code: 'GS', cost_yuan: 12.35 }, { trip_id: 'K4', unit_code: 'GS', cost_yuan: 8 }]);
    // The loader itself, on the same file and base: the same rows loaded, with the same values.
    const copy = join(s.dir, 'loader.duckdb');
    copyFileSync(base, copy);
    const w = await openWarehouse(copy);
    try {
      const result = await loadFile(w.conn, trips, { table: 'vehicle_trips' });
      expect([result.rowsLoaded, result.rowsQuarantined]).toEqual([2, 2]);
      expect(await all(w.conn, 'select trip_id, unit_code, cost_yuan::DOUBLE as cost_yuan from raw.vehicle_trips order by trip_id')).toEqual(r.loaded);
    } finally {
      w.close();
    }
  });
});

describe('bench step bare-read-csv', () => {
  it('with --row-numbers numbers the rows in file order, as raw._row does', async () => {
    // Ids out of their sort order, so a number given by anything but the file's order shows.
    const file = s.file('numbered.csv', ['id,km', ...['Q7', 'A2', 'M5', 'B9', 'Z1'].map((id, i) => `${id},${i * 10}`)].join('\n') + '\n');
    const db = join(s.dir, 'bare.duckdb');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/steps/bare-read-csv.ts', '--db', db, '--file', file, '--row-numbers'], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ rows: 5 });
    const w = await openWarehouse(db, { readOnly: true });
    try {
      expect(await all(w.conn, 'select _row::INTEGER as r, id from t order by id')).toEqual([
        { r: 2, id: 'A2' }, { r: 4, id: 'B9' }, { r: 3, id: 'M5' }, { r: 1, id: 'Q7' }, { r: 5, id: 'Z1' },
      ]);
    } finally {
      w.close();
    }
  });
});

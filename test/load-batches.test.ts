/**
 * `steward load` parses files of one table in batches. A batch must leave the warehouse exactly as
 * loading its files one at a time would: the same ledger, the same quarantine (row numbers, reasons,
 * the file a duplicate points at) and the same raw rows, including a corrected re-export that
 * replaces a month and duplicates planted across a district's yearly files.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadFile, loadFiles, loadOrder } from '../loaders/load.ts';
import { freshWarehouse, rows, scratch } from './helpers/warehouse.ts';
import { haveSample, sampleDir } from './helpers/sample.ts';

/** Districts whose exports carry a correction (富阳区) and cross-file duplicates (SC, 拱墅区). */
const PICK = /^(富阳区|SC|拱墅区|fuyang|gongshu)/i;

async function snapshot(conn: DuckDBConnection) {
  return {
    ledger: await rows(conn, `select path, table_name, rows_read, rows_loaded, rows_quarantined, rows_superseded, unit_codes, months,
        (select path from meta.load_ledger s where s.file_id = l.superseded_by) as superseded_by from meta.load_ledger l order by path`),
    quarantine: await rows(conn, `select q.path, q."row", q."column", q.rule, q.reason, q.record::VARCHAR as record from meta.quarantine q order by all`),
    trips: await rows(conn, `select l.path, r.* exclude (_file_id) from raw.vehicle_trips r join meta.load_ledger l on l.file_id = r._file_id order by all`),
    pool: await rows(conn, `select l.path, r.* exclude (_file_id) from raw.pool_transactions r join meta.load_ledger l on l.file_id = r._file_id order by all`),
  };
}

describe.skipIf(!haveSample)('loading in batches', () => {
  it('leaves the warehouse as loading the same files one by one does', async () => {
    const inbox = join(sampleDir, 'inbox');
    const files = loadOrder(['vehicles', 'warehouses', 'vehicle_trips', 'pool_transactions'].flatMap((t) =>
      readdirSync(join(inbox, t)).filter((f) => PICK.test(f)).map((f) => join(inbox, t, f))));
    expect(files.some((f) => f.includes('更正'))).toBe(true);

    const batched = await freshWarehouse();
    const one = await freshWarehouse();
    try {
      const heard: string[] = [];
      const results = await loadFiles(batched.conn, files, {}, (r) => heard.push(r.path));
      expect(heard).toEqual(results.map((r) => r.path));
      for (const f of files) await loadFile(one.conn, f);
      const a = await snapshot(batched.conn);
      const b = await snapshot(one.conn);
      // The slice is meant to exercise replacement and cross-file duplicates: make sure it does.
      expect(a.ledger.some((r) => r.superseded_by !== null)).toBe(true);
      expect(a.quarantine.some((r) => /also in file/.test(String(r.reason)))).toBe(true);
      expect(a.ledger).toEqual(b.ledger);
      expect(a.quarantine).toEqual(b.quarantine);
      expect(a.trips.length).toBeGreaterThan(1000);
      expect(a.trips).toEqual(b.trips);
      expect(a.pool).toEqual(b.pool);
    } finally {
      batched.close();
      one.close();
    }
  });
});

describe('a trip id that moves to another month inside one batch', () => {
  const header = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)';
  const trip = (id: string, day: string, km: number) => `${id},余杭,浙A001,${day} 08:00,${day} 09:00,${km}`;
  // March first holds T1. A later April file also carries T1, and a March re-export (it repeats
  // most of March's trips) drops it.
  const march = [header, trip('T1', '2024-03-05', 10), trip('T2', '2024-03-06', 11), trip('T4', '2024-03-07', 14)].join('\n');
  const april = [header, trip('T1', '2024-04-05', 12), trip('T3', '2024-04-06', 13)].join('\n');
  const marchAgain = [header, trip('T2', '2024-03-06', 11), trip('T4', '2024-03-07', 14)].join('\n');

  for (const [order, names] of [
    ['the April file first: its T1 is a duplicate of the March row not yet replaced', ['a-april.csv', 'b-march-again.csv']],
    ['the re-export first: March no longer holds T1, so April\'s T1 loads', ['a-march-again.csv', 'b-april.csv']],
  ] as const) {
    it(`is judged as one-by-one loading judges it (${order})`, async () => {
      const s = scratch();
      const batched = await freshWarehouse();
      const one = await freshWarehouse();
      try {
        const register = s.file('vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A001,余杭,轿车,纯电\n');
        const first = s.file('vehicle_trips/0-march.csv', march);
        const files = names.map((n) => s.file(`vehicle_trips/${n}`, n.includes('april') ? april : marchAgain));
        for (const w of [batched, one]) {
          await loadFile(w.conn, register);
          await loadFile(w.conn, first);
        }
        await loadFiles(batched.conn, files);
        for (const f of files) await loadFile(one.conn, f);
        const a = await snapshot(batched.conn);
        const b = await snapshot(one.conn);
        expect(a.quarantine).toEqual(b.quarantine);
        expect(a.ledger).toEqual(b.ledger);
        expect(a.trips).toEqual(b.trips);
        const t1 = await rows(batched.conn, `select strftime(depart_at, '%Y-%m') as month from raw.vehicle_trips where trip_id = 'T1'`);
        expect(t1).toEqual(names[0].includes('april') ? [] : [{ month: '2024-04' }]);
      } finally {
        batched.close();
        one.close();
        s.dispose();
      }
    });
  }
});

describe('row numbers of a CSV read in parallel', () => {
  it('names the right line for faults spread through a file larger than one read buffer', async () => {
    const s = scratch();
    const w = await freshWarehouse();
    try {
      await loadFile(w.conn, s.file('vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A001,余杭,轿车,纯电\n'));
      // About 40 MB: DuckDB splits a file this size among its threads.
      const n = 360_000;
      const bad = new Set([7, 123_457, 180_001, 359_999]);
      const lines = ['出车单号,单位,车牌号,出车时间,回车时间,里程(公里),用车事由'];
      for (let i = 1; i <= n; i++) {
        const km = bad.has(i) ? '不详' : String(i % 97);
        lines.push(`T${String(i).padStart(9, '0')},余杭,浙A001,2024-03-05 08:00,2024-03-05 09:00,${km},${'公务出行'.repeat(8)}`);
      }
      const r = await loadFile(w.conn, s.file('vehicle_trips/big.csv', lines.join('\n') + '\n'));
      expect(r.bytes).toBeGreaterThan(36 << 20);
      expect(r.rowsQuarantined).toBe(bad.size);
      // File row = data row + 1 (the header is row 1).
      const q = await rows(w.conn, `select "row", reason from meta.quarantine order by "row"`);
      expect(q.map((x) => Number(x.row))).toEqual([...bad].map((i) => i + 1));
      const ok = await rows(w.conn, `select count(*) filter (where _row <> cast(substr(trip_id, 2) as BIGINT) + 1) as wrong, count(*) as n from raw.vehicle_trips`);
      expect(ok).toEqual([{ wrong: 0, n: n - bad.size }]);
    } finally {
      w.close();
      s.dispose();
    }
  });
});

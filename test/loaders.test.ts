import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadFile } from '../loaders/load.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { freshWarehouse, rows, scratch, type Scratch } from './helpers/warehouse.ts';

let w: Warehouse;
let s: Scratch;
beforeEach(async () => {
  w = await freshWarehouse();
  s = scratch();
});
afterEach(() => {
  w.close();
  s.dispose();
});

const VEHICLES = `车牌号,单位,车型,能源类型,购置日期,报废日期
浙A001,余杭,轿车,纯电,2021-01-05,
浙A002,余杭区,SUV,汽油,2021/3/5,2024年6月30日
浙A003,Yuhang,商务车,油电混动,20210401,
`;

async function loadVehicles() {
  const r = await loadFile(w.conn, s.file('vehicles/yh.csv', VEHICLES));
  expect(r.rowsLoaded).toBe(3);
}

/** Accounting invariant for every ledger entry: rows read = loaded (incl. later superseded) + quarantined. */
async function expectInvariant() {
  const bad = await rows(w.conn, `select l.path, l.rows_read, l.rows_loaded, l.rows_quarantined,
      (select count(*) from meta.quarantine q where q.file_id = l.file_id) as q_rows
    from meta.load_ledger l where l.rows_read <> l.rows_loaded + l.rows_quarantined
       or l.rows_quarantined <> (select count(*) from meta.quarantine q where q.file_id = l.file_id)`);
  expect(bad).toEqual([]);
}

describe('formats and encodings', () => {
  it('reads GBK CSV with a title row, Chinese headers, 万元 and every date form', async () => {
    await loadVehicles();
    const csv = [
      '杭州市余杭区公务用车出车记录（2024年3月）',
      '出车单号,区县（市）,车牌号,出车时间,回车时间,里程(公里),费用(万元)',
      'T1,Yuhang,浙A001,2024年3月5日 08:30,2024-03-05 11:00,"1,234.5",0.0123',
      'T2,YH,浙A002,2024/3/6 9:05,2024.3.6 10:00:30,５６,',
      'T3,余杭区,浙A003,20240307 09:00,20240307 10:15,12元,0.01',
    ].join('\r\n');
    const r = await loadFile(w.conn, s.file('vehicle_trips/yh-2024-03.csv', csv, 'gbk'));
    expect(r).toMatchObject({ encoding: 'gb18030', rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0, units: ['YH'], months: ['2024-03'] });
    const got = await rows(w.conn, `select trip_id, depart_at::VARCHAR d, return_at::VARCHAR r, distance_km, cost_yuan, _row from raw.vehicle_trips order by trip_id`);
    expect(got).toEqual([
      // 0.0123 万元 = 123 yuan; the title line is row 1, the header row 2, so data starts at row 3.
      { trip_id: 'T1', d: '2024-03-05 08:30:00', r: '2024-03-05 11:00:00', distance_km: 1234.5, cost_yuan: 123, _row: 3 },
      { trip_id: 'T2', d: '2024-03-06 09:05:00', r: '2024-03-06 10:00:30', distance_km: 56, cost_yuan: null, _row: 4 },
      { trip_id: 'T3', d: '2024-03-07 09:00:00', r: '2024-03-07 10:15:00', distance_km: 12, cost_yuan: 100, _row: 5 },
    ]);
  });

  it('reads UTF-8 with BOM, tab-separated, with canonical English headers', async () => {
    await loadVehicles();
    const tsv = 'trip_id\tunit\tvehicle_id\tdepart_at\treturn_at\tdistance_km\tcharge_kwh\nT9\tYH\t浙A001\t2024-04-01 08:00\t2024-04-01 09:00\t10\t4.5\n';
    const r = await loadFile(w.conn, s.file('vehicle_trips/yh.tsv', tsv, 'utf8-bom'));
    expect(r).toMatchObject({ encoding: 'utf-8-bom', rowsLoaded: 1 });
    expect(await rows(w.conn, 'select trip_id, charge_kwh from raw.vehicle_trips')).toEqual([{ trip_id: 'T9', charge_kwh: 4.5 }]);
  });

  it('reads XLSX with a merged title row, Excel date cells and serial days', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['杭州市公物仓业务台账（2024年3月）']);
    ws.mergeCells('A1:H1');
    ws.addRow(['业务编号', '单位', '仓库编号', '业务日期', '业务类型', '资产类别', '数量', '新购参考单价（万元）']);
    ws.addRow(['G1', '市本级', 'WH-HZ', new Date(Date.UTC(2024, 2, 5)), '借用', '办公家具', 4, 0.12]);
    ws.addRow(['G2', 'HZ', 'WH-HZ', 45357, '调剂', '计算机', 2, 0.5]); // 45357 = 2024-03-06
    await loadFile(w.conn, s.file('warehouses/hz.csv', '仓库编号,单位,仓库名称,面积(平方米)\nWH-HZ,HZ,市公物仓,8000\n'));
    const path = s.file('pool_transactions/hz.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await loadFile(w.conn, path);
    expect(r).toMatchObject({ format: 'xlsx', rowsRead: 2, rowsLoaded: 2 });
    expect(await rows(w.conn, `select txn_id, txn_date::VARCHAR d, txn_type, quantity, unit_price_new, _row from raw.pool_transactions order by 1`)).toEqual([
      { txn_id: 'G1', d: '2024-03-05', txn_type: 'loan', quantity: 4, unit_price_new: 1200, _row: 3 },
      { txn_id: 'G2', d: '2024-03-06', txn_type: 'transfer', quantity: 2, unit_price_new: 5000, _row: 4 },
    ]);
  });

  it('reads JSON arrays and NDJSON, numbering rows by record', async () => {
    await loadVehicles();
    const json = JSON.stringify([
      { 出车单号: 'J1', 单位: 'YH', 车牌号: '浙A001', 出车时间: '2024-05-01 08:00', 回车时间: '2024-05-01 09:00', '里程(公里)': 8 },
      { 出车单号: 'J2', 单位: 'YH', 车牌号: '浙A001', 出车时间: '2024-05-02 08:00', 回车时间: '2024-05-01 09:00', '里程(公里)': 8 },
    ]);
    const r1 = await loadFile(w.conn, s.file('vehicle_trips/a.json', json));
    expect(r1).toMatchObject({ format: 'json', rowsRead: 2, rowsLoaded: 1, rowsQuarantined: 1 });
    expect(await rows(w.conn, `select "row", "column", reason from meta.quarantine`)).toEqual([{ row: 2, column: 'return_at', reason: 'depart_at after return_at' }]);
    const nd = '{"出车单号":"N1","单位":"YH","车牌号":"浙A001","出车时间":"2024-06-01 08:00","回车时间":"2024-06-01 09:00","里程(公里)":"3"}\n\n{not json}\n';
    const r2 = await loadFile(w.conn, s.file('vehicle_trips/b.ndjson', nd));
    expect(r2).toMatchObject({ format: 'ndjson', rowsRead: 2, rowsLoaded: 1, rowsQuarantined: 1 });
    expect(await rows(w.conn, `select "row", reason from meta.quarantine where path like '%b.ndjson'`)).toEqual([{ row: 3, reason: 'line is not valid JSON' }]);
  });
});

describe('validation and quarantine', () => {
  it('quarantines each faulty row with its column and a reason a clerk understands', async () => {
    await loadVehicles();
    const csv = [
      '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)',
      'A1,余航区,浙A001,2024-03-05 08:00,2024-03-05 09:00,5', // unknown unit
      'A2,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,-5', // negative distance
      'A3,YH,浙A001,2024-03-05 08:00,2024-03-08 09:00,2500', // over 2,000 km
      'A4,YH,浙A999,2024-03-05 08:00,2024-03-05 09:00,5', // unknown vehicle
      'A5,YH,浙A001,2024-13-45 08:00,2024-03-05 09:00,5', // bad datetime
      'A6,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,五公里', // bad number
      ',YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,5', // missing trip id
      'A1,YH,浙A001,2024-03-06 08:00,2024-03-06 09:00,7', // fine
      'A1,YH,浙A001,2024-03-07 08:00,2024-03-07 09:00,7', // duplicate of the row above
      'A9,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,', // no distance at all
    ].join('\n');
    const r = await loadFile(w.conn, s.file('vehicle_trips/t.csv', csv));
    expect(r.rowsRead).toBe(10);
    expect(r.rowsLoaded).toBe(1);
    const q = await rows(w.conn, `select "row", "column", reason from meta.quarantine order by "row"`);
    expect(q).toEqual([
      { row: 2, column: 'unit', reason: 'unknown unit "余航区" (use a code, name or pinyin from the units table)' },
      { row: 3, column: 'distance_km', reason: 'distance_km is negative' },
      { row: 4, column: 'distance_km', reason: 'distance_km is over 2000 km for one trip (vehicle_max_trip_km)' },
      { row: 5, column: 'vehicle_id', reason: 'unknown vehicle_id "浙A999" (not in vehicles; load the vehicles export first)' },
      { row: 6, column: 'depart_at', reason: 'depart_at "2024-13-45 08:00" is not a date and time such as 2024-03-05 08:30' },
      { row: 7, column: 'distance_km', reason: 'distance_km "五公里" is not a number' },
      { row: 8, column: 'trip_id', reason: '出车单号 (trip_id) is empty' },
      { row: 10, column: 'trip_id', reason: 'duplicate trip_id A1 also in row 9 of this file' },
      { row: 11, column: 'distance_km', reason: 'distance_km is missing (give 里程 or both odometer readings)' },
    ]);
    await expectInvariant();
  });

  it('refuses an unknown enumerated value and keeps unknown columns aside', async () => {
    await loadFile(w.conn, s.file('warehouses/w.csv', '仓库编号,单位,仓库名称,面积(平方米),备注\nWH1,SC,上城区公物仓,2000,一楼\n'));
    const ex = await rows(w.conn, 'select header from meta.extra_columns');
    expect(ex).toEqual([{ header: '备注' }]);
    const r = await loadFile(w.conn, s.file('pool_transactions/p.csv', '业务编号,单位,仓库编号,业务日期,业务类型,资产类别,数量\nP1,SC,WH1,2024-01-02,租赁,计算机,1\nP2,SC,WH2,2024-01-02,借用,计算机,1\n'));
    expect(r.rowsQuarantined).toBe(2);
    const q = await rows(w.conn, `select "column", reason from meta.quarantine order by "row"`);
    expect(q[0]).toEqual({ column: 'txn_type', reason: 'txn_type "租赁" is not one of 入仓, 借用, 归还, 调剂, 划拨, 捐赠, 处置' });
    expect(q[1].column).toBe('warehouse_id');
  });

  it('quarantines every row of a file whose header lacks a required column', async () => {
    const r = await loadFile(w.conn, s.file('vehicles/v.csv', '车牌号,单位,能源类型\nX1,YH,汽油\nX2,YH,纯电\n'));
    expect(r).toMatchObject({ rowsRead: 2, rowsLoaded: 0, rowsQuarantined: 2 });
    const q = await rows(w.conn, 'select distinct reason from meta.quarantine');
    expect(q).toEqual([{ reason: 'required column 车型 (vehicle_class) is missing from the header row (row 1)' }]);
  });

  it('detects the table from the header row when the folder does not say', async () => {
    const r = await loadFile(w.conn, s.file('misc/export.csv', '建筑编号,单位,建筑名称,建筑面积(平方米),用能人数\nB1,滨江,滨江区政府大楼,12000,300\n'));
    expect(r).toMatchObject({ table: 'buildings', rowsLoaded: 1 });
    const bad = await loadFile(w.conn, s.file('misc/other.csv', 'a,b,c\n1,2,3\n'));
    expect(bad.status).toBe('refused');
    expect(bad.message).toMatch(/no header row/);
  });
});

describe('energy readings', () => {
  it('normalises bills and intervals: inclusive date ends, exclusive datetime ends, units by header, column or carrier', async () => {
    await loadFile(w.conn, s.file('buildings/b.csv', '建筑编号,单位,建筑名称,建筑面积(平方米),用能人数\nB1,BJ,滨江区政府大楼,12000,300\n'));
    const csv = [
      '建筑编号,能源品种,开始日期,结束日期,用量,计量单位',
      'B1,电,2023-10-01,2023-12-31,1.2,万千瓦时', // quarterly bill, 12,000 kWh, ends 2024-01-01 exclusive
      'B1,水,2024-01-01,,30,吨', // water in tonnes = m³; no end: one month
      'B1,电,2024-01-01 09:00,2024-01-01 10:00,15,', // hourly interval, kWh by default
      'B1,天然气,2024-01-01,2024-01-31,80,千瓦时', // kWh does not fit gas
    ].join('\n');
    const r = await loadFile(w.conn, s.file('energy_readings/e.csv', csv));
    expect(r).toMatchObject({ rowsRead: 4, rowsLoaded: 3, rowsQuarantined: 1 });
    expect(await rows(w.conn, `select unit_code, carrier, period_start::VARCHAR s, period_end::VARCHAR e, quantity, quantity_unit, is_interval from raw.energy_readings order by _row`)).toEqual([
      { unit_code: 'BJ', carrier: 'electricity', s: '2023-10-01 00:00:00', e: '2024-01-01 00:00:00', quantity: 12000, quantity_unit: 'kWh', is_interval: false },
      { unit_code: 'BJ', carrier: 'water', s: '2024-01-01 00:00:00', e: '2024-02-01 00:00:00', quantity: 30, quantity_unit: 'm3', is_interval: false },
      { unit_code: 'BJ', carrier: 'electricity', s: '2024-01-01 09:00:00', e: '2024-01-01 10:00:00', quantity: 15, quantity_unit: 'kWh', is_interval: true },
    ]);
    expect(await rows(w.conn, 'select "column", reason from meta.quarantine')).toEqual([{ column: 'quantity_unit', reason: 'unit kWh does not fit carrier natural_gas' }]);
  });
});

describe('ledger', () => {
  it('makes a repeated load a no-op and lets a corrected re-export replace its unit-month', async () => {
    await loadVehicles();
    const head = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)\n';
    const march = head + 'M1,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,50\nM2,YH,浙A001,2024-03-06 08:00,2024-03-06 09:00,60\n';
    const april = head + 'M3,YH,浙A001,2024-04-05 08:00,2024-04-05 09:00,70\n';
    const a = s.file('vehicle_trips/yh-2024-03.csv', march);
    await loadFile(w.conn, a);
    await loadFile(w.conn, s.file('vehicle_trips/yh-2024-04.csv', april));
    const again = await loadFile(w.conn, a);
    expect(again.status).toBe('unchanged');
    expect(await rows(w.conn, 'select count(*) n from raw.vehicle_trips')).toEqual([{ n: 3 }]);

    // The correction fixes M1's distance and adds M4; April is untouched.
    const corrected = head + 'M1,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,5\nM2,YH,浙A001,2024-03-06 08:00,2024-03-06 09:00,60\nM4,YH,浙A001,2024-03-07 08:00,2024-03-07 09:00,8\n';
    const r = await loadFile(w.conn, s.file('vehicle_trips/yh-2024-03-更正.csv', corrected));
    expect(r).toMatchObject({ rowsLoaded: 3, rowsQuarantined: 0, rowsSuperseded: 2 });
    expect(await rows(w.conn, `select strftime(depart_at, '%Y-%m') m, count(*) n, sum(distance_km) km from raw.vehicle_trips group by 1 order by 1`)).toEqual([
      { m: '2024-03', n: 3, km: 73 },
      { m: '2024-04', n: 1, km: 70 },
    ]);
    expect(await rows(w.conn, `select path, rows_superseded, superseded_by is not null as replaced from meta.load_ledger where path like '%yh-2024-03.csv'`)).toEqual([
      { path: expect.stringContaining('yh-2024-03.csv'), rows_superseded: 2, replaced: true },
    ]);
    await expectInvariant();
  });

  it('quarantines a trip id already loaded from a file of another month', async () => {
    await loadVehicles();
    const head = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)\n';
    await loadFile(w.conn, s.file('vehicle_trips/a.csv', head + 'D1,YH,浙A001,2024-03-05 08:00,2024-03-05 09:00,50\n'));
    await loadFile(w.conn, s.file('vehicle_trips/b.csv', head + 'D1,YH,浙A001,2024-04-05 08:00,2024-04-05 09:00,50\nD2,YH,浙A001,2024-04-06 08:00,2024-04-06 09:00,50\n'));
    const q = await rows(w.conn, 'select "row", reason from meta.quarantine');
    expect(q).toEqual([{ row: 2, reason: expect.stringMatching(/^duplicate trip_id D1 also in file .*a\.csv \(row 2\)$/) }]);
  });
});

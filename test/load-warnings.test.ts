/**
 * Files that load but are probably not what they claim: amounts that fit 万元 under a header that
 * says yuan or nothing, and a unit-month far short of the unit's usual rows. The load goes on;
 * the file carries the warning, printed and kept in its ledger message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { loadFile } from '../loaders/load.ts';
import { freshWarehouse, rows, scratch, type Scratch } from './helpers/warehouse.ts';

let s: Scratch;
let w: Warehouse;
beforeAll(async () => {
  s = scratch();
  w = await freshWarehouse();
});
afterAll(() => {
  w.close();
  s.dispose();
});

const proc = (header: string, amounts: number[], month = '03') => ['采购编号,单位,采购单位,项目名称,品目类型,采购方式,公告日期,' + header,
  ...amounts.map((a, i) => `CG-${header.length}-${month}-${i},HZ,市机关事务局,项目${i},货物,公开招标,2024-${month}-01,${a}`)].join('\n') + '\n';

describe('amounts that fit 万元', () => {
  it('warns when the median amount under a yuan or unlabeled header is below a thousand', async () => {
    const r = await loadFile(w.conn, s.file('a/procurement/yuan.csv', proc('预算金额(元)', [7.17, 25.5, 120, 48.6, 3060])));
    expect(r.rowsLoaded).toBe(5);
    expect(r.warnings).toEqual(['budget_yuan: the median amount under header "预算金额(元)" is 48.6 yuan, below 1,000: amounts like these are usually 万元; if so, say 万元 in the header (预算金额(万元)) or convert them in a mapping (convert: { budget_yuan: { factor: 10000, source: … } }) and load the file again']);
    expect(await rows(w.conn, `select message from meta.load_ledger where path like '%yuan.csv'`)).toEqual([{ message: `warning: ${r.warnings[0]}` }]);
    const bare = await loadFile(w.conn, s.file('a/procurement/bare.csv', proc('预算金额', [7.17, 25.5, 120])));
    expect(bare.warnings).toHaveLength(1);
  });

  it('stays quiet for amounts in yuan, and for 万元 said in the header', async () => {
    expect((await loadFile(w.conn, s.file('b/procurement/ok.csv', proc('预算金额(元)', [48000, 255000, 1200000], '04')))).warnings).toEqual([]);
    expect((await loadFile(w.conn, s.file('b/procurement/wan.csv', proc('预算金额（万元）', [4.8, 25.5, 120], '05')))).warnings).toEqual([]);
  });
});

describe('a month far short of the unit usual rows', () => {
  const trips = (month: string, n: number) => ['出车单号,单位,车牌号,出车时间,回车时间,里程(公里)',
    ...Array.from({ length: n }, (_, i) => `T-${month}-${i},GS,浙A100,2024-${month}-0${1 + (i % 9)} 08:00,2024-${month}-0${1 + (i % 9)} 09:00,10`)].join('\n') + '\n';

  it('warns when a unit-month has under a quarter of the median of its months before', async () => {
    await loadFile(w.conn, s.file('c/vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A100,GS,轿车,汽油\n'));
    for (const [m, n] of [['01', 40], ['02', 44], ['03', 36]] as const) expect((await loadFile(w.conn, s.file(`c/vehicle_trips/${m}.csv`, trips(m, n)))).warnings).toEqual([]);
    const short = await loadFile(w.conn, s.file('c/vehicle_trips/04.csv', trips('04', 9)));
    expect(short.rowsLoaded).toBe(9);
    expect(short.warnings).toEqual(['GS 2024-04: 9 rows, where GS usually sends 40 a month (median of its 3 months before): is the export complete?']);
    expect((await loadFile(w.conn, s.file('c/vehicle_trips/05.csv', trips('05', 30)))).warnings).toEqual([]);
  });
});

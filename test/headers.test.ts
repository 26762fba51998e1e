import { describe, expect, it } from 'vitest';
import { TABLES } from '../contract/contract.ts';
import { detectHeader, mapHeaders, normaliseHeader, splitUnit } from '../loaders/headers.ts';

const map = (table: string, headers: string[]) => mapHeaders(TABLES[table], headers);
const pick = (table: string, headers: string[]) => Object.fromEntries(map(table, headers).columns.map((c) => [c.header, [c.column.name, c.scale, c.quantityUnit].filter((x) => x !== undefined)]));

describe('header mapping', () => {
  it('ignores case, spacing and full-width brackets', () => {
    expect(normaliseHeader(' 金额（万元） ')).toBe('金额(万元)');
    expect(normaliseHeader('Trip_ID')).toBe('trip_id');
    expect(splitUnit('里程(公里)')).toEqual({ base: '里程', unit: '公里' });
    expect(splitUnit('出车单号')).toEqual({ base: '出车单号' });
  });

  it('scales by the unit in the header, whether or not the alias lists that unit', () => {
    expect(pick('procurement', ['预算金额（万元）', '中标金额(元)'])).toEqual({ '预算金额（万元）': ['budget_yuan', 10000], '中标金额(元)': ['contract_yuan', 1] });
    expect(pick('vehicle_trips', ['费用 (万元)', '里程（米）', 'DISTANCE_KM'])).toEqual({ '费用 (万元)': ['cost_yuan', 10000], '里程（米）': ['distance_km', 0.001] });
    expect(pick('energy_readings', ['用量(万千瓦时)'])).toEqual({ '用量(万千瓦时)': ['quantity', 10000, 'kWh'] });
    expect(pick('energy_readings', ['用量（立方米）'])).toEqual({ '用量（立方米）': ['quantity', 1, 'm3'] });
  });

  it('takes 区县（市） as the unit column, not as 区县 measured in 市', () => {
    expect(pick('vehicles', ['区县（市）'])).toEqual({ '区县（市）': ['unit', 1] });
  });

  it('reports unknown headers, second headers for one column, units that do not fit and missing required columns', () => {
    const m = map('vehicle_trips', ['出车单号', '车牌号', '派车单号', '里程(小时)', '备注']);
    expect(m.extras.map((x) => x.header)).toEqual(['备注']);
    expect(m.duplicates).toEqual([{ index: 2, header: '派车单号', column: 'trip_id' }]);
    expect(m.badUnits.map((b) => b.header)).toEqual(['里程(小时)']);
    expect(m.missingRequired.map((c) => c.name)).toEqual(['unit', 'depart_at', 'return_at']);
  });
});

describe('header row and table detection', () => {
  it('skips title rows above the header and recognises the table', () => {
    const rows = [['杭州市余杭区公务用车出车记录（2024年3月）', '', ''], ['', '', ''], ['出车单号', '单位', '车牌号', '出车时间', '回车时间', '里程(公里)']];
    const d = detectHeader(rows);
    expect(d.table?.name).toBe('vehicle_trips');
    expect(d.headerRow).toBe(2);
  });

  it('refuses a header that fits no table, with the reason', () => {
    const d = detectHeader([['名称', '金额']]);
    expect(d.table).toBeUndefined();
    expect(d.reason).toMatch(/names all the required columns of any table/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsxRows, serialToText } from '../loaders/xlsx.ts';
import { scratch, type Scratch } from './helpers/warehouse.ts';

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

async function rowsOf(path: string) {
  const out: { number: number; cells: (string | null)[] }[] = [];
  for await (const r of readXlsxRows(path)) out.push(r);
  return out;
}

describe('streaming XLSX reader', () => {
  it('keeps every Chinese character whole across inflate chunk boundaries', async () => {
    // 20,000 rows of inline strings make a sheet of several MB: hundreds of 16 KB chunk
    // boundaries, many of which fall inside a three-byte character.
    const path = `${s.dir}/many.xlsx`;
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const ws = wb.addWorksheet('出车');
    ws.addRow(['出车单号', '单位', '用车单位']).commit();
    for (let i = 0; i < 20_000; i++) ws.addRow([`T${i}`, '余杭区', `区机关事务服务中心${i % 7}`]).commit();
    await wb.commit();
    const rows = await rowsOf(path);
    expect(rows.length).toBe(20_001);
    const bad = rows.slice(1).filter((r, i) => r.cells[1] !== '余杭区' || r.cells[2] !== `区机关事务服务中心${i % 7}` || r.number !== i + 2);
    expect(bad).toEqual([]);
  });

  it('reads shared strings, dates by their cell format, numbers, booleans, formulas and entities', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['杭州市公物仓业务台账（2024年3月）']);
    ws.mergeCells('A1:F1');
    ws.addRow(['日期', '时间', '数量', '是否', '公式', '名称']);
    ws.addRow([new Date(Date.UTC(2024, 2, 5)), new Date(Date.UTC(2024, 2, 5, 8, 30)), 1234.5, true, { formula: 'C3*2', result: 2469 }, 'A&B <办公>']);
    ws.addRow([null, null, 7]);
    const path = `${s.dir}/kinds.xlsx`;
    await wb.xlsx.writeFile(path);
    const rows = await rowsOf(path);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4]);
    expect(rows[0].cells[0]).toBe('杭州市公物仓业务台账（2024年3月）');
    expect(rows[2].cells).toEqual(['2024-03-05', '2024-03-05 08:30:00', '1234.5', 'true', '2469', 'A&B <办公>']);
    expect(rows[3].cells).toEqual([null, null, '7']);
  });

  it('converts serial days as wall-clock values, in the 1900 and 1904 systems', () => {
    expect(serialToText(45356)).toBe('2024-03-05');
    expect(serialToText(45356.5)).toBe('2024-03-05 12:00:00');
    expect(serialToText(43894, true)).toBe('2024-03-05');
  });

  it('refuses a file that is not a zip, naming why', async () => {
    const path = s.file('fake.xlsx', 'name,unit\n1,余杭区\n2,余杭区\n3,余杭区\n');
    await expect(rowsOf(path)).rejects.toThrow(/is not an XLSX file \(no zip directory/);
  });
});

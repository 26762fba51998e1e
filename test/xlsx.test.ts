import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsxRows, serialToText } from '../loaders/xlsx.ts';
import { scratch, type Scratch } from './helpers/warehouse.ts';
import { workbookEntries, zip } from './corpus/zip.ts';

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

async function rowsOf(path: string) {
  const out: { number: number; cells: (string | null)[] }[] = [];
  for await (const r of readXlsxRows(path)) out.push(r);
  return out;
}

describe('streaming XLSX reader', () => {
  it('reads cells however their XML is laid out: attribute order, whitespace, gaps, self-closing, rich text', async () => {
    const row = (n: number, cells: string) => `<row r="${n}" spans="1:4">${cells}</row>`;
    const sheet = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="1" max="4" width="12"/></cols><sheetData>
${row(1, '<c r="A1" t="inlineStr"><is><t>车牌号</t></is></c><c t="inlineStr" r="B1"><is><t>单位</t></is></c>')}
${row(2, '<c\n r="A2"\tt="inlineStr"><is><r><rPr><charset val="134"/><sz val="11"/></rPr><t>浙A</t></r><r><t xml:space="preserve">·001 </t></r><rPh sb="0" eb="1"><t>ZHE</t></rPh></is></c><c r="D2" t="b"><v>1</v></c>')}
${row(4, '<c r="A4" t="inlineStr"><is><t>a &lt;c&gt; &amp; "q"</t></is></c><c r="B4"/><c t="n"><v>12.5</v></c><c r="$D$4" t="str"><v>x</v></c>')}
${row(5, '<c r="AA5" t="inlineStr"><is><t>far</t></is></c>')}
</sheetData></worksheet>`);
    const path = `${s.dir}/layout.xlsx`;
    (await import('node:fs')).writeFileSync(path, await zip(workbookEntries(sheet)));
    const rows = await rowsOf(path);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 4, 5]);
    expect(rows[0].cells).toEqual(['车牌号', '单位']);
    // Rich text runs joined, the phonetic guide left out; a cell with no reference follows the last.
    expect(rows[1].cells).toEqual(['浙A·001 ', null, null, 'true']);
    expect(rows[2].cells).toEqual(['a <c> & "q"', null, '12.5', 'x']);
    expect(rows[3].cells.length).toBe(27);
    expect(rows[3].cells[26]).toBe('far');
  });

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

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { CONTRACT } from '../contract/contract.ts';
import { mapHeaders } from '../loaders/headers.ts';
import { loadFile, loadOrder } from '../loaders/load.ts';
import { contractMarkdown, templateCsv, templateHeader, CONTRACT_PAGE, TEMPLATE_DIR } from '../loaders/templates.ts';
import { freshWarehouse, scratch } from './helpers/warehouse.ts';

describe('templates and the contract page', () => {
  it('every template header maps back to its column', () => {
    for (const t of CONTRACT) {
      const m = mapHeaders(t, t.columns.map(templateHeader));
      expect(m.columns.map((c) => c.column.name), t.name).toEqual(t.columns.map((c) => c.name));
      expect(m.extras, t.name).toEqual([]);
    }
  });

  it('the committed templates and contract page are what the contract generates (run `steward templates`)', async () => {
    for (const t of CONTRACT) {
      expect(readFileSync(`${TEMPLATE_DIR}/${t.name}.csv`, 'utf8'), t.name).toBe(templateCsv(t));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(`${TEMPLATE_DIR}/${t.name}.xlsx`);
      expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1), t.name).toEqual(t.columns.map(templateHeader));
    }
    expect(readFileSync(CONTRACT_PAGE, 'utf8')).toBe(contractMarkdown());
  });

  it('the example rows of all templates load cleanly, in both formats', async () => {
    for (const ext of ['csv', 'xlsx']) {
      const w = await freshWarehouse();
      const s = scratch();
      try {
        const files = CONTRACT.map((t) => s.file(`${t.name}/template.${ext}`, readFileSync(`${TEMPLATE_DIR}/${t.name}.${ext}`)));
        for (const f of loadOrder(files)) {
          const r = await loadFile(w.conn, f);
          expect({ file: f, loaded: r.rowsLoaded, reasons: r.reasons }).toEqual({ file: f, loaded: 1, reasons: [] });
        }
      } finally {
        w.close();
        s.dispose();
      }
    }
  });
});

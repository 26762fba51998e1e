/**
 * Exports from other systems, in the shapes they really come in (test/fixtures/exports), loaded
 * through mappings drafted by `steward map` and completed where the draft says a person must
 * decide. Every source row ends loaded, quarantined or skipped, and the counts are the ones the
 * fixture rows give.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { loadFile, loadFiles, type FileResult } from '../loaders/load.ts';
import { readMapping } from '../loaders/mapping.ts';
import { draftMapping, previewFile, repairMojibake } from '../loaders/map.ts';
import { looksLikeMojibake } from '../loaders/warnings.ts';
import { invariantViolations } from './reliability/warehouse-state.ts';
import { freshWarehouse, rows, scratch, type Scratch } from './helpers/warehouse.ts';
import { writeRealShapes, type RealShapes } from './fixtures/exports/real-shapes.ts';

let s: Scratch;
let f: RealShapes;
beforeAll(async () => {
  s = scratch();
  f = await writeRealShapes(join(s.dir, 'exports'));
});
afterAll(() => s.dispose());

/** Drafts a mapping for `file` as `steward map` does, applies a person's completions, and writes it. */
async function mapped(file: string, source: string, completions: [string | RegExp, string][] = [], table?: string) {
  const draft = draftMapping(await previewFile(file), { file, source, table });
  let text = draft.text;
  for (const [from, to] of completions) {
    const before = text;
    text = text.replace(from, to);
    if (text === before) throw new Error(`completion ${from} changed nothing in the draft:\n${draft.text}`);
  }
  const path = join(s.dir, `${source}.yaml`);
  writeFileSync(path, text);
  return { draft, path, mapping: readMapping(path) };
}

const UNIT = (code: string): [RegExp, string] => [/# constants:\n#   unit: "\?\?\?".*\n/, `constants:\n  unit: ${code}\n`];

describe('procurement-intention pages of one month (workbooks, preamble, unlabeled 万元, scraper rows, no contract date)', () => {
  let w: Warehouse;
  let results: FileResult[];
  let draft: Awaited<ReturnType<typeof mapped>>['draft'];
  beforeAll(async () => {
    w = await freshWarehouse(join(s.dir, 'procurement.duckdb'));
    const m = await mapped(f.procurementPages[1], 'zj-procurement-intentions', [UNIT('HZ')]);
    draft = m.draft;
    results = await loadFiles(w.conn, f.procurementPages, { mapping: m.mapping });
  });
  afterAll(() => w.close());

  it('drafts the mapping: header under the preamble, the table, a composite key, 万元, the scraper rows', () => {
    expect(draft.headerRow).toBe(3);
    expect(draft.table.name).toBe('procurement');
    expect(draft.mapping.combine?.record_id).toEqual({ from: ['{file}', '序号'], separator: '-' });
    expect(draft.mapping.columns).toMatchObject({ 金额: 'budget_yuan', 采购项目名称: 'project_name' });
    expect(draft.mapping.convert?.budget_yuan.factor).toBe(10000);
    expect(draft.mapping.skip).toEqual([{ header: '序号', match: '^\\D', reason: 'a sub-header or repeated header row, not a record' }]);
    expect(draft.mapping.drop_identical_rows).toBe(true);
    expect(draft.undecided).toEqual(['unit: no column names it; set constants.unit']);
    expect(draft.text).toMatch(/# FLAG 金额: amounts 25\.5 \(median\) read as yuan would be implausibly small/);
  });

  it('accounts for every row of every page: loaded, quarantined (no key, no date) or skipped (scraper rows)', () => {
    const counts = results.map((r) => [r.rowsRead, r.rowsLoaded, r.rowsQuarantined, r.rowsSkipped]);
    // p1: 5 intentions. p2: 5, a row fetched twice, the header repeated, a section title. p3: 5.
    // p4: 5, one without 序号 (no key) and one with no date at all (intentions have no contract date).
    expect(counts).toEqual([[5, 5, 0, 0], [8, 5, 0, 3], [5, 5, 0, 0], [5, 3, 2, 0]]);
    expect(results[1].skips.map((x) => [x.rule, x.count])).toEqual([['not_reported', 2], ['identical_row', 1]]);
    expect(results[3].reasons.map((x) => [x.rule, x.column, x.row]).sort()).toEqual([['missing_required', 'record_id', 5], ['no_date', 'contracted_on', 7]]);
  });

  it('adds the pages of one month to each other: none replaces another', async () => {
    expect(results.map((r) => r.rowsSuperseded)).toEqual([0, 0, 0, 0]);
    expect(await rows(w.conn, `select count(*)::INT n, min(budget_yuan)::DOUBLE lo, max(budget_yuan)::DOUBLE hi from raw.procurement`)).toEqual([{ n: 18, lo: 71700, hi: 30600000 }]);
    expect(await rows(w.conn, `select record_id, budget_yuan::DOUBLE b, announced_on::VARCHAR a from raw.procurement where record_id = '采购意向-2024-03-p1-1'`)).toEqual([{ record_id: '采购意向-2024-03-p1-1', b: 71700, a: '2024-03-02' }]);
    expect(await invariantViolations(join(s.dir, 'procurement.duckdb'))).toEqual([]);
  });
});

describe('a municipal energy report (preamble, Not Available, therms and kgal)', () => {
  let w: Warehouse;
  let r: FileResult;
  let draft: Awaited<ReturnType<typeof mapped>>['draft'];
  beforeAll(async () => {
    w = await freshWarehouse();
    await loadFile(w.conn, f.energyBuildings, { table: 'buildings' });
    const m = await mapped(f.energyReport, 'springfield-energy-report');
    draft = m.draft;
    r = await loadFile(w.conn, f.energyReport, { mapping: m.mapping });
  });
  afterAll(() => w.close());

  it('drafts a complete mapping: one reading per carrier column, conversions with their source, the year from the preamble', () => {
    expect(draft.undecided).toEqual([]);
    expect(draft.mapping).toMatchObject({ table: 'energy_readings', header_row: 5, columns: { 'Property Id': 'building_id' }, constants: { period_start: '2023-01-01', period_end: '2023-12-31' } });
    expect(draft.mapping.unpivot?.map((v) => v.constants?.carrier)).toEqual(['电', '天然气', '水']);
    expect(draft.mapping.unpivot?.[1].convert?.quantity).toMatchObject({ factor: 2.8317, from: 'therms' });
    expect(draft.mapping.skip).toEqual([{ column: 'quantity', match: '^(Not Available)$', reason: 'quantity not reported' }]);
  });

  it('skips the Not Available readings, counted apart from the quarantine, and converts the rest', async () => {
    // 4 buildings × 3 carriers; 4 cells read Not Available.
    expect(r).toMatchObject({ rowsRead: 12, rowsLoaded: 8, rowsQuarantined: 0, rowsSkipped: 4 });
    expect(await rows(w.conn, `select carrier, round(quantity, 6) q, quantity_unit u from raw.energy_readings where building_id = 'SPR-001' order by carrier`)).toEqual([
      { carrier: 'electricity', q: 1200000, u: 'kWh' },
      { carrier: 'natural_gas', q: 28317, u: 'm3' }, // 10,000 therms × 2.8317
      { carrier: 'water', q: 7570.823568, u: 'm3' }, // 2,000 kgal × 3.785411784
    ]);
    expect(await rows(w.conn, `select rows_read, rows_loaded, rows_quarantined, rows_skipped from meta.load_ledger where mapping = 'springfield-energy-report'`)).toEqual([{ rows_read: 12, rows_loaded: 8, rows_quarantined: 0, rows_skipped: 4 }]);
    expect(await rows(w.conn, `select count(*)::INT n from meta.skipped where rule = 'not_reported' and reason like 'quantity not reported: quantity "Not Available"'`)).toEqual([{ n: 4 }]);
  });
});

describe('a fuel-card export (date and time apart, a card serial as the only id, odometer typos)', () => {
  let w: Warehouse;
  let r: FileResult;
  let draft: Awaited<ReturnType<typeof mapped>>['draft'];
  beforeAll(async () => {
    w = await freshWarehouse();
    await loadFile(w.conn, f.fuelVehicles, { table: 'vehicles' });
    // A refuelling is an instant: the person takes the draft's suggestion for return_at.
    const m = await mapped(f.fuelCard, 'fuel-card', [UNIT('YH'), [/^# {3}return_at: (.*?)\s+#.*$/m, '  return_at: $1']]);
    draft = m.draft;
    r = await loadFile(w.conn, f.fuelCard, { mapping: m.mapping });
  });
  afterAll(() => w.close());

  it('drafts the date-and-time combination and the key from card and serial', () => {
    expect(draft.table.name).toBe('vehicle_trips');
    expect(draft.mapping.combine).toMatchObject({ depart_at: ['交易日期', '交易时间'], trip_id: { from: ['卡号', '交易流水号'], separator: '-' } });
  });

  it('dates every trip at its time, and quarantines the odometer typos with their reasons', async () => {
    expect(r).toMatchObject({ rowsRead: 6, rowsLoaded: 4, rowsQuarantined: 2, rowsSkipped: 0 });
    expect(r.reasons.map((x) => [x.rule, x.row]).sort()).toEqual([['implausible_distance', 6], ['negative_distance', 4]]);
    expect(await rows(w.conn, `select trip_id, depart_at::VARCHAR d, return_at::VARCHAR r, odometer_end - odometer_start km from raw.vehicle_trips order by trip_id limit 2`)).toEqual([
      { trip_id: '9100012-1', d: '2024-05-06 08:12:00', r: '2024-05-06 08:12:00', km: 450 },
      { trip_id: '9100012-2', d: '2024-05-13 17:40:00', r: '2024-05-13 17:40:00', km: 440 },
    ]);
  });
});

describe('an awarded-contracts list ($ amounts, mojibake, buyers in free text)', () => {
  const completions: [string | RegExp, string][] = [
    UNIT('HZ'),
    [/# values:\n#   category: .*\n#   method: .*\n/, `values:
  category: [{ match: "^Construction Services$", value: 工程 }]
  method: [{ match: "^RFQ$", value: 询价 }, { match: "^RFP$", value: 公开招标 }, { match: "^Non-Competitive$", value: 单一来源 }]
`],
    [/# convert:\n#   contract_yuan: .*\n#   budget_yuan: .*\n/, `convert:
  contract_yuan: { factor: 5.2, from: CAD, source: "a rate chosen for this test, not a published one" }
  budget_yuan: { factor: 5.2, from: CAD, source: "a rate chosen for this test, not a published one" }
`],
  ];
  let w: Warehouse;
  let r: FileResult;
  let draft: Awaited<ReturnType<typeof mapped>>['draft'];
  beforeAll(async () => {
    w = await freshWarehouse();
    const m = await mapped(f.contracts, 'city-contracts', completions);
    draft = m.draft;
    r = await loadFile(w.conn, f.contracts, { mapping: m.mapping });
  });
  afterAll(() => w.close());

  it('drafts columns from English headers and value shapes, and flags dollars, mojibake and personal details', () => {
    expect(draft.mapping.columns).toMatchObject({
      'Contract Number': 'record_id', 'Award Date': 'contracted_on', Division: 'agency', 'Solicitation Type': 'method',
      Description: 'project_name', 'Estimated Value': 'budget_yuan', 'Awarded Amount': 'contract_yuan',
    });
    expect(draft.mapping.date_formats).toEqual({ contracted_on: '%m/%d/%Y' });
    expect(draft.flags).toEqual(expect.arrayContaining([
      'Awarded Amount: amounts in dollars ($), not yuan',
      'Buyer Email: personal details (e-mail or phone): left aside, never published',
      'Buyer Phone: personal details (e-mail or phone): left aside, never published',
    ]));
    expect(draft.flags.some((x) => x.startsWith('Supplier: mojibake'))).toBe(true);
    expect(draft.undecided).toHaveLength(5);
  });

  it('loads the awards in yuan with names repaired, and quarantines the amount that is not one', async () => {
    expect(r).toMatchObject({ rowsRead: 6, rowsLoaded: 5, rowsQuarantined: 1 });
    expect(r.reasons).toEqual([expect.objectContaining({ rule: 'bad_number', column: 'contract_yuan', row: 6 })]);
    expect(r.warnings).toEqual([]);
    expect(await rows(w.conn, `select record_id, supplier, method, category, contract_yuan::DOUBLE c, contracted_on::VARCHAR d from raw.procurement order by record_id limit 4`)).toEqual([
      { record_id: '47019001', supplier: 'Café Office Supply Inc.', method: 'inquiry', category: 'goods', c: 58500, d: '2024-01-15' },
      { record_id: '47019002', supplier: '“Green” Auto Care Ltd.', method: 'open_tender', category: 'services', c: 1239680, d: '2024-01-29' },
      { record_id: '47019003', supplier: 'Northern Roofing Co.', method: 'open_tender', category: 'works', c: 5980000, d: '2024-02-14' },
      { record_id: '47019004', supplier: 'Société Énergie Conseil', method: 'single_source', category: 'services', c: 234000, d: '2024-02-28' },
    ]);
    // Buyers' e-mails and phones stay aside as extra columns, reported by name only.
    expect(r.extras).toEqual(['Buyer Email', 'Buyer Phone']);
  });

  it('warns of mojibake when the mapping does not repair it', async () => {
    const w2 = await freshWarehouse();
    try {
      const text = readFileSync(join(s.dir, 'city-contracts.yaml'), 'utf8').replace(/^ {2}supplier: .*\n/m, '');
      const path = join(s.dir, 'city-contracts-raw.yaml');
      writeFileSync(path, text);
      const raw = await loadFile(w2.conn, f.contracts, { mapping: readMapping(path) });
      expect(raw.warnings).toEqual([expect.stringMatching(/^supplier: 3 rows carry mojibake .*e\.g\. "CafÃ© Office Supply Inc\."/)]);
    } finally {
      w2.close();
    }
  });
});

describe('mojibake', () => {
  it('is recognised and repaired, and plain accented or Chinese text is not taken for it', () => {
    for (const bad of ['CafÃ©', 'â€œGreenâ€\u009d', 'SociÃ©tÃ©', 'Ã‰nergie', '��', '锟斤拷']) expect(looksLikeMojibake(bad), bad).toBe(true);
    for (const good of ['Café', '“Green”', 'Société Énergie', '杭州市机关事务管理局', 'naïve façade', 'Größe', '½ price', '© 2024']) expect(looksLikeMojibake(good), good).toBe(false);
    expect(repairMojibake('CafÃ©')).toBe('Café');
    expect(repairMojibake('â€œGreenâ€\u009d')).toBe('“Green”');
  });
});

/**
 * The hostile half of the corpus: files and situations an attacker or a tired clerk produces,
 * each of which once lost or changed data without a word, crashed the process or exhausted its
 * memory. Grouped by what the warehouse guarantees about them (docs/reliability.md): encodings
 * are proven, replacement is safe and reversible, numbers keep their meaning, workbooks are read
 * whole and bounded, dates are plausible, and everything else is refused on one line or loads.
 * The base warehouse holds two vehicles of 西湖区 (浙Z001, 浙Z002); trips below use them.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import type { CorpusCase } from './corpus.ts';
import { zip, type ZipEntry } from './zip.ts';

type Put = (rel: string, content: string | Buffer) => string;

const TRIP_HEADER = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)';
const trip = (id: string, depart: string, back = depart.replace(/\d\d:\d\d$/, '09:30'), km = '12') => `${id},西湖区,浙Z001,${depart},${back},${km}`;
const lines = (...ls: string[]) => ls.map((l) => l + '\n').join('');
/** Trips C1…Cn of 西湖区 in March 2024. */
const march = (n: number, from = 1, km = (i: number) => String(10 + i)) => Array.from({ length: n }, (_, k) => trip(`C${from + k}`, `2024-03-${String(1 + ((from + k) % 28)).padStart(2, '0')} 08:00`, undefined, km(from + k)));
const VEHICLES = '车牌号,单位,车型,能源类型';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const colName = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));

/** A cell of a hand-written sheet: text, an error value, a styled number or a raw <c> element. */
type Cell = string | { error: string } | { serial: number } | { xml: string };

function sheet(rows: Cell[][], opts: { dimension?: string } = {}): Buffer {
  const body = rows.map((r, i) => `<row r="${i + 1}">${r.map((v, j) => {
    const ref = `${colName(j)}${i + 1}`;
    if (typeof v === 'string') return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
    if ('error' in v) return `<c r="${ref}" t="e"><v>${esc(v.error)}</v></c>`;
    if ('serial' in v) return `<c r="${ref}" s="1"><v>${v.serial}</v></c>`;
    return v.xml;
  }).join('')}</row>`).join('');
  const dim = opts.dimension ? `<dimension ref="${opts.dimension}"/>` : '';
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dim}<sheetData>${body}</sheetData></worksheet>`);
}

/** A workbook of named sheets (hidden ones marked), with a date style (s="1") and shared strings if given. */
async function book(sheets: { name: string; hidden?: boolean; data: ZipEntry['data'] }[], shared?: ZipEntry['data']): Promise<Buffer> {
  const x = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  const list = sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: x(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`) },
    { name: '_rels/.rels', data: x(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: x(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${list}</sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: x(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`) },
    { name: 'xl/styles.xml', data: x(`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>`) },
    ...(shared ? [{ name: 'xl/sharedStrings.xml', data: shared }] : []),
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.data })),
  ]);
}

const tripRows = (...ids: string[]): string[][] => [TRIP_HEADER.split(','), ...ids.map((id) => trip(id, '2024-03-05 08:00').split(','))];

/** A deterministic text of `n` characters from a small alphabet: it compresses, but not to nothing. */
function text(n: number): string {
  let x = 12345;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += 'abcdefghij'[(x >>> 16) % 10];
  }
  return s;
}

export async function hostileCases(dir: string, put: Put): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = (c: CorpusCase) => cases.push(c);
  const link = (rel: string, target: string) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    symlinkSync(target, p);
  };

  // 1. Encodings are proven: one accepted encoding for the whole file, or a refusal naming where.
  const gbkTrips = iconv.encode(lines(TRIP_HEADER + ',驾驶员编号', trip('G1', '2024-03-05 08:00') + ',张喆', trip('G2', '2024-03-06 08:00') + ',李娜'), 'gbk');
  add({ name: 'Big5 text (traditional-Chinese system)', files: [put('enc/vehicles/big5.csv', iconv.encode(lines('車牌號,單位,車型,能源類型', '浙Z101,西湖區,轎車,純電'), 'big5'))],
    outcome: { kind: 'refused', message: /big5\.csv: is not UTF-8 from line 1 \(byte 1\), and read as GBK .*Big5, Shift-JIS or Windows-1252/ } });
  add({ name: 'Shift-JIS text', files: [put('enc/vehicles/sjis.csv', iconv.encode(lines('車両番号,単位,車種,燃料', '品川300,西湖区,セダン,電気'), 'shift_jis'))],
    outcome: { kind: 'refused', message: /sjis\.csv: is not UTF-8 from line 1 .*read as GBK .*(rare ones outside GB2312|characters no GBK export has)/ } });
  add({ name: 'Windows-1252 text', files: [put('enc/vehicles/cp1252.csv', iconv.encode(lines('plate,unit,class,energy', 'Z-1,Zürich,café,électrique'), 'win1252'))],
    outcome: { kind: 'refused', message: /cp1252\.csv: is not text in an accepted encoding: line 2 \(byte \d+\) is neither UTF-8 nor GBK\/GB18030/ } });
  add({ name: 'GBK file with UTF-8 rows appended', files: [put('enc/vehicle_trips/gbk-then-utf8.csv', Buffer.concat([gbkTrips, Buffer.from(lines(trip('U1', '2024-03-07 08:00') + ',王芳'))]))],
    outcome: { kind: 'refused', message: /gbk-then-utf8\.csv: is GBK up to line 4, where UTF-8 text begins \(line 4 \(byte \d+\)/ } });
  add({ name: 'a stray invalid byte in a UTF-8 file', files: [put('enc/vehicles/stray.csv', Buffer.concat([Buffer.from(lines(VEHICLES, '浙Z103,西湖区,轿车,纯电')), Buffer.from('浙Z104,西湖'), Buffer.from([0xff]), Buffer.from('区,轿车,纯电\n')]))],
    outcome: { kind: 'refused', message: /stray\.csv: is UTF-8 up to line 3 \(byte \d+\), where bytes that are not UTF-8 begin/ } });
  add({ name: 'UTF-16 with a byte-order mark', files: [put('enc/vehicles/utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(lines(VEHICLES, '浙Z105,西湖区,轿车,纯电'), 'utf16-le')]))],
    outcome: { kind: 'refused', message: /utf16\.csv: is UTF-16 text \(byte-order mark FF FE\); Steward reads UTF-8 and GBK/ } });
  add({ name: 'UTF-16 without a byte-order mark', files: [put('enc/vehicles/utf16-bare.csv', iconv.encode(lines('plate,unit,class,energy', 'Z106,XH,sedan,bev'), 'utf16-le'))],
    outcome: { kind: 'refused', message: /utf16-bare\.csv: looks like UTF-16 text without a byte-order mark/ } });
  add({ name: 'genuine GBK with a GBK-only character in a name (喆) loads', files: [put('enc/vehicle_trips/gbk-names.csv', gbkTrips)],
    outcome: { kind: 'loaded', table: 'vehicle_trips', loaded: 2, check: { sql: `select string_agg(driver_id, ' ' order by _row) as d from raw.vehicle_trips where _file_id = {file}`, expect: [{ d: '张喆 李娜' }] } } });

  // 2. Replacement is safe and reversible.
  const original = put('replace/original/vehicle_trips/xh-2024-03.csv', lines(TRIP_HEADER, ...march(10)));
  const corrected = put('replace/corrected/vehicle_trips/xh-2024-03-更正.csv', lines(TRIP_HEADER, ...march(9, 1, (i) => String(20 + i)), ...march(1, 11)));
  const loadOriginal = ['load', join('{dir}', original)];
  const loadBoth = [loadOriginal, ['load', join('{dir}', corrected)]];
  const replacedParts = ['raw.vehicle_trips', 'archive.vehicle_trips', 'meta.load_ledger'];
  add({
    name: 'a two-row file with one date typed in another year deletes nothing',
    before: [loadOriginal],
    files: [put('replace/stray/vehicle_trips/xh-2025-01.csv', lines(TRIP_HEADER, trip('N1', '2025-01-05 08:00'), trip('N2', '2024-03-10 08:00')))],
    outcome: { kind: 'loaded', table: 'vehicle_trips', loaded: 2, check: { sql: `select count(*) filter (where strftime(depart_at, '%Y-%m') = '2024-03') as march,
      (select count(*) from archive.vehicle_trips) as archived from raw.vehicle_trips`, expect: [{ march: 11, archived: 0 }] } },
  });
  add({
    name: 'four scraped pages of one unit-month, disjoint records, all stay (additive)',
    files: [1, 2, 3, 4].map((p) => put(`replace/pages/vehicle_trips/page-${p}.csv`, lines(TRIP_HEADER, ...march(5, 100 + 5 * p)))),
    outcome: { kind: 'state', check: { sql: `select count(*) as trips, (select count(*) from archive.vehicle_trips) as archived from raw.vehicle_trips where _file_id > {before}`, expect: [{ trips: 20, archived: 0 }] } },
  });
  add({
    name: '100 one-row files for one unit-month all stay',
    files: ['replace/one-row'],
    outcome: { kind: 'state', check: { sql: `select count(*) as trips, count(distinct _file_id) as files from raw.vehicle_trips where _file_id > {before}`, expect: [{ trips: 100, files: 100 }] } },
  });
  for (let i = 0; i < 100; i++) put(`replace/one-row/vehicle_trips/r-${String(i).padStart(3, '0')}.csv`, lines(TRIP_HEADER, trip(`R${i}`, `2024-03-${String(1 + (i % 28)).padStart(2, '0')} 08:00`)));
  add({
    name: 'a corrected re-export replaces its unit-month; the replaced rows are archived, not deleted',
    before: [loadOriginal], files: [corrected], changes: replacedParts,
    outcome: { kind: 'loaded', table: 'vehicle_trips', loaded: 10, check: { sql: `select (select count(*) from raw.vehicle_trips where _file_id <= {before}) as old_current,
      (select count(*) from archive.vehicle_trips) as archived, (select string_agg(reason, ',') from meta.replacements) as why`, expect: [{ old_current: 0, archived: 10, why: 're-export' }] } },
  });
  add({
    name: 'loading the original again after its re-export says how to restore it, and changes nothing',
    before: loadBoth, files: [original],
    outcome: { kind: 'state', output: /already loaded \(file \d+, [^)]*\); its rows were since replaced: XH 2024-03 by file \d+ .*--restore makes it current again/,
      check: { sql: `select count(*) as new_entries from meta.load_ledger where file_id > {before}`, expect: [{ new_entries: 0 }] } },
  });
  add({
    name: 'steward load FILE --restore makes the original current again (and records it)',
    before: loadBoth, files: [original], args: ['--restore'], changes: replacedParts,
    outcome: { kind: 'state', output: /file \d+ is current again for XH 2024-03: 10 rows back in raw\.vehicle_trips; 10 rows of file \d+ .* moved to the archive/,
      check: { sql: `select (select count(distinct _file_id) from raw.vehicle_trips where depart_at >= '2024-03-01' and depart_at < '2024-04-01') as files,
        (select max(distance_km) from raw.vehicle_trips where trip_id = 'C1') as c1_km, (select string_agg(reason, ',' order by replacement_id) from meta.replacements) as why`, expect: [{ files: 1, c1_km: 11, why: 're-export,restore' }] } },
  });
  add({
    name: 'steward history lists the files of a unit-month, current and replaced',
    command: 'history', before: loadBoth, files: [], args: ['西湖区', '2024年3月'],
    outcome: { kind: 'state', output: /XH 2024-03: the files that supplied it[\s\S]*xh-2024-03\.csv +10 +replaced by file \d+ \(re-export[\s\S]*xh-2024-03-更正\.csv +10 +current/ },
  });
  add({
    name: 'a re-export whose record keys are all empty replaces nothing',
    before: [loadOriginal],
    files: [put('replace/empty-keys/vehicle_trips/xh-2024-03-b.csv', lines(TRIP_HEADER, ...march(3).map((l) => l.replace(/^C\d+/, ''))))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 0, quarantined: [2, 3, 4].map((row) => ({ row, column: 'trip_id', reason: /出车单号 \(trip_id\) is empty/ })) },
  });
  add({
    name: 'a record key already loaded from another month is a duplicate, not a replacement',
    before: [loadOriginal],
    files: [put('replace/dup/vehicle_trips/xh-2024-04.csv', lines(TRIP_HEADER, trip('C1', '2024-04-02 08:00'), trip('D2', '2024-04-03 08:00')))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [{ row: 2, column: 'trip_id', reason: /duplicate trip_id C1 also in file .*xh-2024-03\.csv \(row 2\)/ }] },
  });
  add({
    name: '--replace swaps a unit-month on the user\'s word',
    before: [loadOriginal], args: ['--replace'], changes: replacedParts,
    files: [put('replace/forced/vehicle_trips/xh-2024-03-only.csv', lines(TRIP_HEADER, trip('F1', '2024-03-20 08:00')))],
    outcome: { kind: 'loaded', table: 'vehicle_trips', loaded: 1, check: { sql: `select count(*) as march, (select string_agg(reason, ',') from meta.replacements) as why from raw.vehicle_trips where depart_at >= '2024-03-01' and depart_at < '2024-04-01'`, expect: [{ march: 1, why: '--replace' }] } },
  });

  // 3. Numbers keep their meaning, ids keep every digit, an Excel error is never a value.
  add({
    name: 'numbers that change meaning under another locale are quarantined with the cell text',
    files: [put('numbers/vehicle_trips/locale.csv', lines(TRIP_HEADER, trip('L1', '2024-03-05 08:00', undefined, '"12,34"'), trip('L2', '2024-03-05 08:00', undefined, '"1,2,3,4"'),
      trip('L3', '2024-03-05 08:00', undefined, '"1.234,5"'), trip('L4', '2024-03-05 08:00', undefined, '1_000'), trip('L5', '2024-03-05 08:00', undefined, '"1,234.5"')))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [['12,34', 2], ['1,2,3,4', 3], ['1.234,5', 4], ['1_000', 5]].map(([cell, row]) => ({ row: row as number, column: 'distance_km', reason: new RegExp(`distance_km "${cell}" is not a number`) })) },
  });
  add({
    name: 'JSON ids beyond 2^53 keep every digit (no false duplicate)',
    files: [put('numbers/vehicle_trips/big-ids.json', `[${[0, 1].map((k) => `{"出车单号": 1234567890123456789${k}, "单位": "西湖区", "车牌号": "浙Z001", "出车时间": "2024-03-05 08:00", "回车时间": "2024-03-05 09:00", "里程(公里)": 12.5}`).join(',\n')}]`)],
    outcome: { kind: 'loaded', table: 'vehicle_trips', loaded: 2, check: { sql: `select string_agg(trip_id, ' ' order by _row) as ids from raw.vehicle_trips where _file_id = {file}`, expect: [{ ids: '12345678901234567890 12345678901234567891' }] } },
  });
  const errorRows: Cell[][] = [
    [...TRIP_HEADER.split(','), '费用(元)', '用车事由'],
    [...trip('E1', '2024-03-05 08:00').split(','), { error: '#REF!' }, '公务'],
    [...trip('E2', '2024-03-05 08:00').split(',').slice(0, 5), { error: '#N/A' }, '30', '公务'],
    [...trip('E3', '2024-03-05 08:00').split(','), '30', { error: '#DIV/0!' }],
    [...trip('E4', '2024-03-05 08:00').split(','), '30', '公务'],
  ];
  add({
    name: 'Excel error cells are quarantined, in optional columns too',
    files: [put('numbers/vehicle_trips/errors.xlsx', await book([{ name: '出车记录', data: sheet(errorRows) }]))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [[2, 'cost_yuan', '#REF!'], [3, 'distance_km', '#N/A'], [4, 'purpose', '#DIV/0!']].map(([row, column, e]) => ({ row: row as number, column: column as string, reason: new RegExp(`${column} "${e}" is an Excel error value`) })) },
  });
  add({
    name: 'an id Excel rounded into exponent form is quarantined',
    files: [put('numbers/vehicle_trips/exponent-id.csv', lines(TRIP_HEADER, trip('1.23457E+17', '2024-03-05 08:00'), trip('X2', '2024-03-05 08:00')))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [{ row: 2, column: 'trip_id', reason: /trip_id "1\.23457E\+17" is a number in exponent form/ }] },
  });

  // 4. Workbooks: every visible sheet, bounded before memory is spent.
  add({
    name: 'every visible sheet whose header matches loads as its own ledger part; a hidden stale sheet is skipped with a warning',
    files: [put('xlsx/vehicle_trips/sheets.xlsx', await book([
      { name: '旧数据', hidden: true, data: sheet(tripRows('H1', 'H2')) },
      { name: '3月', data: sheet(tripRows('A1', 'A2')) },
      { name: '说明', data: sheet([['本表由系统导出'], ['请勿修改']]) },
      { name: '3月补录', data: sheet(tripRows('B1')) },
    ]))],
    outcome: { kind: 'state', output: /sheet "旧数据" is hidden: skipped[\s\S]*sheet "说明": no header row/,
      check: { sql: `select part, rows_loaded, (select count(*) from raw.vehicle_trips where trip_id like 'H%') as stale from meta.load_ledger where file_id > {before} order by file_id`,
        expect: [{ part: '3月', rows_loaded: 2, stale: 0 }, { part: '3月补录', rows_loaded: 1, stale: 0 }] } },
  });
  add({
    name: 'a cell reference far outside the grid (ZZZZZZZ3) is refused before memory is spent',
    files: [put('xlsx/vehicle_trips/far-ref.xlsx', await book([{ name: 'S', data: sheet([...tripRows('Z1'), [{ xml: '<c r="ZZZZZZZ3" t="inlineStr"><is><t>x</t></is></c>' }]]) }]))],
    outcome: { kind: 'refused', message: /far-ref\.xlsx: has a cell reference "ZZZZZZZ3" outside Excel's grid/ },
  });
  add({
    name: 'a declared dimension outside the grid is refused',
    files: [put('xlsx/vehicle_trips/far-dimension.xlsx', await book([{ name: 'S', data: sheet(tripRows('Z2'), { dimension: 'A1:ZZZZZZZ1048577' }) }]))],
    outcome: { kind: 'refused', message: /far-dimension\.xlsx: has a declared dimension "ZZZZZZZ1048577" outside Excel's grid/ },
  });
  const long = text(300_000);
  const sharedRows: Cell[][] = [TRIP_HEADER.split(','), ...Array.from({ length: 300 }, (_, i): Cell[] => [`S${i}`, '西湖区', '浙Z001', '2024-03-05 08:00', '2024-03-05 09:00', { xml: `<c r="F${i + 2}" t="s"><v>0</v></c>` }])];
  const sharedBook = await book([{ name: 'S', data: sheet(sharedRows) }], Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="300" uniqueCount="1"><si><t>${long}</t></si></sst>`));
  add({
    name: `one long shared string referenced in 300 cells (${Math.round(sharedBook.length / 1024)} KB) is refused before it fills memory`,
    files: [put('xlsx/vehicle_trips/shared.xlsx', sharedBook)],
    outcome: { kind: 'refused', message: /shared\.xlsx: holds more than 64M characters of cell text, far more than its \d+ KB could/ },
  });
  const airy = Buffer.alloc(900 * 1024, 0x20);
  add({
    name: 'a workbook whose 40 entries together declare far more than the file could hold',
    files: [put('xlsx/vehicle_trips/many-entries.xlsx', await book(Array.from({ length: 40 }, (_, i) => ({ name: `S${i}`, data: Buffer.concat([sheet(tripRows(`M${i}`)).subarray(0, -'</sheetData></worksheet>'.length), airy, Buffer.from('</sheetData></worksheet>')]) }))))],
    outcome: { kind: 'refused', message: /many-entries\.xlsx: declares \d+ MB of content in a \d+ KB file/ },
  });

  // 5. Dates are plausible.
  add({
    name: 'dates far from the present and a year-long trip are quarantined naming the rule',
    files: [put('dates/vehicle_trips/far.csv', lines(TRIP_HEADER, trip('P1', '2099-01-05 08:00'), trip('P2', '0001-01-01 08:00'), trip('P3', '1899-12-30 08:00'),
      trip('P4', '2024-03-05 08:00', '2124-03-05 09:00'), trip('P5', '2024-03-05 08:00', '2025-03-05 09:00'), trip('P6', '2024-03-05 08:00')))],
    outcome: {
      kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [
        { row: 2, column: 'depart_at', reason: /depart_at 2099-01-05 is more than date_future_margin_days after the load date/ },
        { row: 3, column: 'depart_at', reason: /depart_at 0001-01-01 is before 2014-01-01 \(the unit's first export year 2015/ },
        { row: 4, column: 'depart_at', reason: /depart_at 1899-12-30 is before 2014-01-01/ },
        { row: 5, column: 'return_at', reason: /return_at 2124-03-05 is more than date_future_margin_days after the load date/ },
        { row: 6, column: 'return_at', reason: /return_at is more than 31 days after depart_at \(vehicle_max_trip_days\)/ },
      ],
    },
  });
  add({
    name: 'an Excel date cell of serial 0 (1899-12-30) is quarantined as implausible',
    files: [put('dates/vehicle_trips/serial-zero.xlsx', await book([{ name: 'S', data: sheet([TRIP_HEADER.split(','), ['S0', '西湖区', '浙Z001', { serial: 0 }, { serial: 0.5 }, '10'], tripRows('S1')[1]]) }]))],
    outcome: { kind: 'quarantined', table: 'vehicle_trips', loaded: 1, quarantined: [{ row: 2, column: 'depart_at', reason: /depart_at 1899-12-30 is before/ }] },
  });
  add({
    name: 'a register date of 1970-01-01 (an empty Unix time) is quarantined',
    files: [put('dates/vehicles/epoch.csv', lines(VEHICLES + ',购置日期', '浙Z110,西湖区,轿车,纯电,1970-01-01', '浙Z111,西湖区,轿车,纯电,2019-05-01'))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 1, quarantined: [{ row: 2, column: 'acquired_on', reason: /acquired_on 1970-01-01 is before 1980-01-01 \(date_register_earliest_year/ }] },
  });
  add({
    name: 'a loan due in 2099 is quarantined as a mistyped year',
    before: [['load', join('{dir}', put('dates/base/warehouses/wh.csv', lines('仓库编号,单位,仓库名称,面积(平方米)', 'WH-XH-01,西湖区,西湖区公物仓,800')))]],
    files: [put('dates/pool_transactions/due.csv', lines('业务编号,单位,仓库编号,业务日期,业务类型,资产类别,数量,应归还日期', 'Q1,西湖区,WH-XH-01,2024-03-05,借用,计算机,2,2099-06-30', 'Q2,西湖区,WH-XH-01,2024-03-05,借用,计算机,1,2024-06-30'))],
    outcome: { kind: 'quarantined', table: 'pool_transactions', loaded: 1, quarantined: [{ row: 2, column: 'due_date', reason: /due_date 2099-06-30 is more than date_term_max_years after the load date/ }] },
  });

  // 6. Everything else: a one-line refusal, or the load goes on.
  put('links/inbox/vehicles/good.csv', lines(VEHICLES, '浙Z120,西湖区,轿车,纯电'));
  link('links/inbox/vehicles/dangling.csv', 'no-such-file.csv');
  link('links/inbox/vehicles/self.csv', 'self.csv');
  link('links/inbox/vehicles/up', '..');
  add({
    name: 'a dangling symbolic link, a link to itself and a link loop in the inbox are skipped with a warning',
    files: ['links/inbox'], entry: 'good.csv',
    output: /dangling\.csv: a symbolic link to something that does not exist: skipped[\s\S]*self\.csv: a symbolic link that leads back to itself: skipped[\s\S]*up: a symbolic link to a folder it is inside \(a loop\): skipped/,
    outcome: { kind: 'loaded', table: 'vehicles', loaded: 1 },
  });
  for (let i = 0; i < 60; i++) {
    // Two header layouts, alternating: every file is a batch, a transaction, of its own.
    put(`pipe/vehicles/v-${String(i).padStart(2, '0')}.csv`, i % 2 ? lines(VEHICLES, `浙P${i},西湖区,轿车,纯电`) : lines(VEHICLES + ',座位数', `浙P${i},西湖区,轿车,纯电,5`));
  }
  add({
    name: 'output cut off after two lines (steward load DIR | head -2) ends quietly after its transaction',
    files: ['pipe'], readLines: 2,
    outcome: { kind: 'state', status: 141, check: { sql: `select count(*) = count(distinct path) as whole_files, count(*) >= 1 as some from meta.load_ledger where file_id > {before}`, expect: [{ whole_files: true, some: true }] } },
  });
  for (const name of ['raw', 'meta', 'ref']) {
    add({ name: `a warehouse file named ${name}.duckdb`, db: `${name}.duckdb`, files: [put(`names/${name}/vehicles/v.csv`, lines(VEHICLES, `浙Z13${name.length},西湖区,轿车,纯电`))], outcome: { kind: 'loaded', table: 'vehicles', loaded: 1 } });
  }
  add({
    name: 'a disk that fills during the commit reports the write error and keeps the warehouse as it was',
    files: [put('disk/vehicle_trips/big.csv', lines(TRIP_HEADER + ',用车事由', ...Array.from({ length: 40_000 }, (_, i) => `${trip(`K${i}`, `2024-03-${String(1 + (i % 28)).padStart(2, '0')} 08:00`)},${'公务出行'.repeat(6)}${i}`)))],
    fileSizeLimitKb: 256,
    outcome: { kind: 'error', message: /(No space left on device|File too large)/ },
  });
  add({
    name: 'a 70 MB line is refused with its line number',
    files: [put('long/vehicles/long-line.csv', Buffer.concat([Buffer.from(lines(VEHICLES, '浙Z140,西湖区,轿车,纯电') + '浙Z141,西湖区,'), Buffer.alloc(70 << 20, 0x61), Buffer.from(',柴油\n')]))],
    outcome: { kind: 'refused', message: /long-line\.csv: cannot be read as CSV: line 3 is longer than 64 MB/ },
  });
  add({
    name: 'a header of a million columns is refused with its line number',
    files: [put('long/vehicles/wide.csv', Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',') + '\n1,2\n')],
    outcome: { kind: 'refused', message: /wide\.csv: line 1 is longer than 64 KB \(\d+\+ columns\): no export has a header row that long/ },
  });
  add({
    name: 'blank and whitespace-only lines are not rows and shift no row number',
    files: [put('lines/vehicles/blank-lines.csv', `${VEHICLES}\n浙Z150,西湖区,轿车,纯电\n\n   \n浙Z151,西湖湖,轿车,纯电\n\t\n浙Z152,西湖区,轿车,纯电\n`)],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 2, quarantined: [{ row: 5, column: 'unit', reason: /unknown unit "西湖湖"/ }] },
  });
  add({
    name: 'a value quoted across lines keeps later rows on their own line numbers',
    files: [put('lines/vehicles/multiline.csv', `${VEHICLES}\n浙Z153,西湖区,"轿\n车",纯电\n浙Z154,西湖湖,轿车,纯电\n浙Z155,西湖区,轿车,纯电\n`)],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 1, quarantined: [{ row: 2, column: 'vehicle_class', reason: /vehicle_class "轿\n车" is not one of/ }, { row: 4, column: 'unit', reason: /unknown unit "西湖湖"/ }] },
  });
  add({
    name: 'text after a closing quote is quarantined, not silently dropped',
    files: [put('lines/vehicles/after-quote.csv', lines(VEHICLES, '"浙Z156"A,西湖区,轿车,纯电', '浙Z157,西湖区,轿车,纯电'))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 1, quarantined: [{ row: 2, column: '', reason: /text follows the closing quote of a value/ }] },
  });
  add({
    name: 'terminal escape codes in a file name and in cells never reach the terminal',
    files: [put('escapes/vehicles/\u001b[2J\u001b]0;owned\u0007name.csv', lines(VEHICLES, '浙Z158,\u001b]0;owned\u0007西湖区,轿车,纯电', '浙Z159,西湖区,轿车,纯电'))],
    entry: 'name.csv', output: /^[^\u001b\u0007]*$/,
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 1, quarantined: [{ row: 2, column: 'unit', reason: /unknown unit "\u001b\]0;owned\u0007西湖区"/ }] },
  });
  add({
    name: 'a 40 MB field on the last line, without a line end, is read and counted',
    files: [put('long/vehicles/last-field.csv', Buffer.concat([Buffer.from(lines(VEHICLES, '浙Z160,西湖区,轿车,纯电') + '浙Z161,西湖区,'), Buffer.alloc(40 << 20, 0x62), Buffer.from(',柴油')]))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 1, quarantined: [{ row: 3, column: 'vehicle_class', reason: /vehicle_class "b{60}" is not one of/ }] },
  });
  add({
    name: 'a refused file does not stop the rest of the batch',
    files: ['batch'],
    outcome: { kind: 'state', status: 1, output: /✗ .*a-big5\.csv: is not UTF-8[\s\S]*✓ .*b-good\.csv → vehicles: 1 rows, 1 loaded/,
      check: { sql: `select count(*) as loaded from meta.load_ledger where file_id > {before}`, expect: [{ loaded: 1 }] } },
  });
  put('batch/vehicles/a-big5.csv', iconv.encode(lines('車牌號,單位,車型,能源類型', '浙Z170,西湖區,轎車,純電'), 'big5'));
  put('batch/vehicles/b-good.csv', lines(VEHICLES, '浙Z171,西湖区,轿车,纯电'));
  return cases;
}

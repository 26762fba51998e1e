/**
 * The same vehicle trips written in each accepted format — UTF-8 CSV, GBK CSV, XLSX and JSON —
 * so the load throughput of the formats can be compared row for row. One unit (余杭区) and its
 * own vehicles file, which must be loaded first (trips are checked against their vehicles).
 * Two XLSX sizes show whether reading XLSX keeps memory flat as the file grows.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export interface FormatSizes {
  csv: number;
  gbk: number;
  json: number;
  xlsxSmall: number;
  xlsx: number;
}

export interface FormatFile {
  /** Label in the report, e.g. "UTF-8 CSV". */
  label: string;
  key: keyof FormatSizes;
  path: string;
  rows: number;
  bytes: number;
}

export interface FormatSet {
  dir: string;
  vehicles: string;
  files: FormatFile[];
}

const VEHICLES = 500;
const HEADERS = ['出车单号', '单位', '车牌号', '驾驶员编号', '用车单位', '出车时间', '回车时间', '里程(公里)', '费用(元)', '事由', '乘车人数'];

/** n trips of 余杭区 through 2024, as text cells in HEADERS order, ordered by trip number. */
function tripsSql(n: number): string {
  return `select 'T-YH-' || lpad(i::VARCHAR, 9, '0') as "出车单号", '余杭区' as "单位",
      'V-YH-' || lpad(((h // 7) % ${VEHICLES})::VARCHAR, 5, '0') as "车牌号", 'D-' || ((h // 11) % 500)::VARCHAR as "驾驶员编号",
      '用车单位' || ((h // 13) % 40)::VARCHAR as "用车单位", strftime(dep, '%Y-%m-%d %H:%M') as "出车时间",
      strftime(dep + to_minutes((20 + (h // 17) % 300)::INT), '%Y-%m-%d %H:%M') as "回车时间",
      round(1 + ((h // 19) % 1500) / 10.0, 1)::VARCHAR as "里程(公里)", round(((h // 23) % 400) / 10.0, 1)::VARCHAR as "费用(元)",
      '公务' as "事由", (1 + (h // 29) % 4)::VARCHAR as "乘车人数"
    from (select i, h, date '2024-01-01' + to_days((h % 365)::INT) + to_minutes((420 + (h // 365) % 660)::INT) as dep
          from (select i, hash(i) as h from range(${n}) r(i)))
    order by i`;
}

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes (or reuses, when present) the format files of the given sizes under dir. */
export async function ensureFormatFiles(dir: string, sizes: FormatSizes, log: (s: string) => void = () => {}): Promise<FormatSet> {
  mkdirSync(dir, { recursive: true });
  const vehicles = join(dir, 'vehicles.csv');
  const spec: { key: keyof FormatSizes; label: string; file: string }[] = [
    { key: 'csv', label: 'UTF-8 CSV', file: `trips-utf8-${sizes.csv}.csv` },
    { key: 'gbk', label: 'GBK CSV', file: `trips-gbk-${sizes.gbk}.csv` },
    { key: 'json', label: 'JSON', file: `trips-${sizes.json}.json` },
    { key: 'xlsxSmall', label: 'XLSX', file: `trips-${sizes.xlsxSmall}.xlsx` },
    { key: 'xlsx', label: 'XLSX', file: `trips-${sizes.xlsx}.xlsx` },
  ];
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    if (!existsSync(vehicles)) {
      await c.run(`copy (select 'V-YH-' || lpad(k::VARCHAR, 5, '0') as "车牌号", '余杭区' as "单位", case when k % 3 = 0 then '纯电' else '汽油' end as "能源类型",
          '轿车' as "车型", '2020-01-01' as "购置日期" from range(${VEHICLES}) r(k)) to ${sq(vehicles)} (format csv, header true)`);
    }
    for (const s of spec) {
      const path = join(dir, s.file);
      if (existsSync(path)) {
        log(`reusing ${path}`);
        continue;
      }
      const n = sizes[s.key];
      log(`writing ${path} (${n.toLocaleString('en')} rows)`);
      const tmp = `${path}.part`;
      if (s.key === 'csv') {
        await c.run(`copy (${tripsSql(n)}) to ${sq(tmp)} (format csv, header true)`);
      } else if (s.key === 'gbk') {
        const utf8 = `${tmp}.utf8`;
        await c.run(`copy (${tripsSql(n)}) to ${sq(utf8)} (format csv, header true)`);
        await pipeline(createReadStream(utf8), iconv.decodeStream('utf8'), iconv.encodeStream('gbk'), createWriteStream(tmp));
        rmSync(utf8);
      } else if (s.key === 'json') {
        await c.run(`copy (${tripsSql(n)}) to ${sq(tmp)} (format json, array true)`);
      } else {
        await writeXlsx(c, tripsSql(n), tmp);
      }
      renameSync(tmp, path);
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
  writeFileSync(join(dir, '_sizes.json'), JSON.stringify(sizes));
  return {
    dir,
    vehicles,
    files: spec.map((s) => ({ label: s.label, key: s.key, path: join(dir, s.file), rows: sizes[s.key], bytes: statSync(join(dir, s.file)).size })),
  };
}

/** Streams rows into an XLSX with a title row above the header, as district systems export. */
async function writeXlsx(c: Awaited<ReturnType<DuckDBInstance['connect']>>, sql: string, path: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('出车记录');
  ws.addRow(['杭州市余杭区公务用车出车记录（2024年）']).commit();
  ws.addRow(HEADERS).commit();
  const result = await c.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) {
      const cells = row.map((v) => String(v));
      // Numbers as numbers, as a spreadsheet holds them.
      ws.addRow([...cells.slice(0, 7), Number(cells[7]), Number(cells[8]), cells[9], Number(cells[10])]).commit();
    }
  }
  ws.commit();
  await wb.commit();
}

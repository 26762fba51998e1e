/**
 * `steward sample` is byte-for-byte deterministic for a seed, and writes every export form the
 * contract accepts. Generated at a small scale (the pool ledgers are not scaled, so the files
 * are still realistic in form).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample, type Manifest } from '../sample/generate.ts';
import { sampleCommand } from '../sample/cli.ts';

const SCALE = 0.02;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'steward-sample-det-'));
  dirs.push(d);
  return d;
};

/** sha256 of every file under a folder, by relative path. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[prefix + name] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

let a: string;
let manifest: Manifest;

beforeAll(async () => {
  a = tmp();
  manifest = await generateSample({ out: a, scale: SCALE, seed: 7 });
});

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('steward sample determinism', () => {
  it('writes identical bytes for the same seed, XLSX archives included', async () => {
    const b = tmp();
    await generateSample({ out: b, scale: SCALE, seed: 7 });
    const ha = hashes(a);
    expect(Object.keys(ha).some((f) => f.endsWith('.xlsx'))).toBe(true);
    expect(hashes(b)).toEqual(ha);
  });

  it('writes different data for another seed (same layout), replacing only its own earlier files', async () => {
    const c = tmp();
    mkdirSync(join(c, 'vehicle_trips'));
    writeFileSync(join(c, 'vehicle_trips', 'stale.csv'), 'left from an earlier run');
    writeFileSync(join(c, 'notes.txt'), 'not the generator\'s');
    await generateSample({ out: c, scale: SCALE, seed: 8 });
    expect(existsSync(join(c, 'vehicle_trips', 'stale.csv'))).toBe(false);
    expect(readFileSync(join(c, 'notes.txt'), 'utf8')).toBe('not the generator\'s');
    rmSync(join(c, 'notes.txt'));
    const ha = hashes(a);
    const hc = hashes(c);
    const shared = Object.keys(ha).filter((f) => f in hc);
    expect(shared.length).toBeGreaterThan(Object.keys(ha).length * 0.9);
    // Almost every file differs; the one-row warehouse registers are the same by design.
    const same = shared.filter((f) => ha[f] === hc[f]);
    expect(same.every((f) => f.startsWith('warehouses/'))).toBe(true);
  });

  it('refuses a bad --scale or --seed with a message, writing nothing', async () => {
    const d = tmp();
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await sampleCommand(['--out', d, '--scale', 'lots'])).toBe(2);
      expect(await sampleCommand(['--out', d, '--seed', '1.5'])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(errors[0]).toMatch(/--scale "lots" is not a positive number/);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('steward sample formats', () => {
  const files = () => manifest.files;
  const bytes = (f: string) => readFileSync(join(a, f));

  it('writes GBK CSV that is not UTF-8 and decodes to Chinese headers', () => {
    const f = files().find((x) => x.encoding === 'gbk' && x.table === 'vehicle_trips')!;
    const buf = bytes(f.file);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf)).toThrow();
    expect(iconv.decode(buf, 'gbk').split('\r\n')[0]).toContain('出车单号');
  });

  it('writes UTF-8 CSV with and without BOM, comma- and tab-separated', () => {
    const bom = files().find((x) => x.encoding === 'utf8-bom')!;
    expect([...bytes(bom.file).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const tab = files().find((x) => x.delimiter === 'tab')!;
    const header = bytes(tab.file).toString('utf8').split('\r\n')[0];
    expect(header.split('\t').length).toBeGreaterThan(4);
    expect(header).not.toContain(',');
    expect(files().some((x) => x.encoding === 'utf8' && x.delimiter === 'comma')).toBe(true);
  });

  it('writes XLSX with a merged title row above the header, and wall-clock date cells', async () => {
    const f = files().find((x) => x.format === 'xlsx' && x.table === 'vehicle_trips')!;
    expect(f.title_row).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes(f.file) as never);
    const ws = wb.worksheets[0];
    expect(String(ws.getCell('A1').value)).toMatch(/^淳安县公务用车出车记录（20\d\d年）$/);
    expect(ws.getCell('B1').isMerged).toBe(true);
    expect(ws.getRow(2).values).toContain('出车单号');
    const depart = (ws.getRow(2).values as unknown[]).indexOf('出车时间');
    const cell = ws.getRow(3).getCell(depart).value;
    expect(cell).toBeInstanceOf(Date);
    // Trips leave in the working day: the UTC fields hold the wall-clock time.
    expect((cell as Date).getUTCHours()).toBeGreaterThanOrEqual(7);
    expect(wb.created.toISOString()).toBe('2025-01-06T09:00:00.000Z');
  });

  it('writes JSON arrays and NDJSON', () => {
    const json = files().find((x) => x.format === 'json' && x.table === 'procurement')!;
    const arr = JSON.parse(bytes(json.file).toString('utf8'));
    expect(Array.isArray(arr)).toBe(true);
    expect(arr.length).toBe(json.rows);
    const nd = files().find((x) => x.format === 'ndjson' && x.table === 'vehicle_trips')!;
    const lines = bytes(nd.file).toString('utf8').trim().split('\n');
    expect(lines.length).toBe(nd.rows);
    expect(Object.keys(JSON.parse(lines[0]))).toContain('派车单号');
  });

  it('writes money in 万元 for a unit whose system does', () => {
    const f = files().find((x) => x.unit_code === 'XS' && x.table === 'procurement')!;
    const [header, first] = iconv.decode(bytes(f.file), 'gbk').split('\r\n');
    expect(header).toContain('预算金额（万元）');
    const cols = header.split(',');
    const budget = Number(first.split(',')[cols.indexOf('预算金额（万元）')]);
    // A budget of a few thousand yuan to millions reads as 0.05 to a few hundred 万元.
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThan(5_000);
  });

  it('names the re-export so it sorts after its original', () => {
    const c = manifest.correction;
    expect(c.original).toMatch(/富阳区-公务用车出车记录-2024-06\.csv$/);
    expect(c.correction).toMatch(/富阳区-公务用车出车记录-2024-06更正\.csv$/);
    expect([c.correction, c.original].sort()).toEqual([c.original, c.correction]);
  });

  it('keeps the file count reasonable and names units in several ways', () => {
    expect(manifest.files.length).toBeGreaterThan(150);
    expect(manifest.files.length).toBeLessThan(1_500);
    const names = new Set<string>();
    for (const f of files().filter((x) => x.format === 'json' || x.format === 'ndjson')) {
      const text = bytes(f.file).toString('utf8');
      const m = /"(?:unit|单位|区县|所属单位|区县（市）|填报单位)":"([^"]+)"/.exec(text);
      if (m) names.add(m[1]);
    }
    // SC by code, Xihu by pinyin, Lin'an by pinyin with an apostrophe.
    expect(names).toEqual(new Set(['SC', 'Xihu', "Lin'an"]));
  });
});

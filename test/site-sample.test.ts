/**
 * The site built from the real bundled sample warehouse (not the small fixture), read as files:
 * each page's data stays under 1 MB, nothing points at a CDN, none of the personal identifiers the
 * sample planted in its exports reaches dist/, and the overview's headline figures are the
 * warehouse's kpi_values. Then freshness end to end: one trip's distance is changed in a copied
 * GBK export, `steward load` and `steward run` are run on the copy, the site is rebuilt, and the
 * published vehicle_km moves by exactly the change.
 *
 * The files are read from the run's shared sample site (test/helpers/shared-site.ts); the
 * freshness check changes a copy of the sample warehouse and rebuilds a copy of that site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import iconv from 'iconv-lite';
import { all, openWarehouse } from '../warehouse/db.ts';
import { HEADLINE_KPIS } from '../src/components/areas.ts';
import { rebuildSite, ROOT, sitePages, type BuiltSite } from './helpers/browser.ts';
import { haveSample, sampleDir, sampleManifest } from './helpers/sample.ts';
import { runScratch } from './helpers/run.ts';
import { copyOfSharedSite, sharedSite } from './helpers/shared-site.ts';
import { HANG_MS } from './helpers/wait.ts';

let WORK: string;
let DB: string;
let INBOX: string;
const UNITS = readFileSync(join(ROOT, 'data/reference/units.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
/** Hosts of package CDNs and web-font services. */
const CDN = /cdn\.jsdelivr\.net|unpkg\.com|esm\.sh|cdn\.observableusercontent|fonts\.googleapis|fonts\.gstatic\.com/;
/** Headers under which the contract accepts a trip's distance in km (contract/contract.ts). */
const DISTANCE_HEADERS = ['distance_km', '里程(公里)', '行驶里程(公里)'];
const ADDED_KM = 100;

interface ManifestFile {
  file: string;
  table: string;
  unit_code: string;
  format: string;
  encoding?: string;
  delimiter?: string;
  title_row?: boolean;
}
interface Manifest {
  to: string;
  files: ManifestFile[];
  personal_identifiers: Record<string, string[]>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

function steward(args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/steward.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`steward ${args.join(' ')} ${r.signal ? 'hung' : 'failed'} (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

async function query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
  const wh = await openWarehouse(DB, { readOnly: true });
  try {
    return await all<T>(wh.conn, sql, params);
  } finally {
    wh.close();
  }
}

/** A page data file as the browser receives it: dist/_file/data/<name>.<hash>.json. */
function distData(distDir: string, name: string): Record<string, any> {
  const dir = join(distDir, '_file/data', ...name.split('/').slice(0, -1));
  const base = name.split('/').at(-1)!;
  const hits = readdirSync(dir).filter((f) => f.startsWith(`${base}.`) && f.endsWith('.json') && f.split('.').length === 3);
  expect(hits, `${name} in dist`).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, hits[0]), 'utf8'));
}

/** a ≈ b to the 10 significant digits page data keeps. */
function close(a: number | null | undefined, b: number | null | undefined): boolean {
  // A missing figure matches only a missing figure (null in the warehouse, null or absent on the page).
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe.skipIf(!haveSample)('site built from the sample warehouse', () => {
  let site: BuiltSite;
  let manifest: Manifest;

  beforeAll(async () => {
    manifest = sampleManifest<Manifest>();
    WORK = runScratch('site-sample');
    DB = join(WORK, 'warehouse.duckdb');
    INBOX = join(WORK, 'inbox');
    // The shared warehouse is opened read-only by other test files; this file writes to a copy.
    cpSync(join(sampleDir, 'warehouse.duckdb'), DB);
    if (existsSync(join(sampleDir, 'warehouse.duckdb.wal'))) cpSync(join(sampleDir, 'warehouse.duckdb.wal'), `${DB}.wal`);
    cpSync(join(sampleDir, 'inbox'), INBOX, { recursive: true });
    site = await sharedSite('sample');
  });

  afterAll(() => {
    rmSync(DB, { force: true });
    rmSync(INBOX, { recursive: true, force: true });
  });

  it('loads under 1 MB of data on every page', () => {
    const over: string[] = [];
    for (const p of sitePages(UNITS)) {
      const html = readFileSync(join(site.distDir, `${p}.html`), 'utf8');
      const sizes = [...html.matchAll(/registerFile\("[^"]+\.json", \{[^}]*"size":(\d+)\}/g)].map((m) => Number(m[1]));
      expect(sizes.length, p).toBeGreaterThan(0);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total >= 1_000_000) over.push(`${p}: ${total} bytes`);
    }
    expect(over).toEqual([]);
  });

  it('references no CDN anywhere in dist', () => {
    const offenders: string[] = [];
    for (const f of filesUnder(site.distDir)) {
      const m = CDN.exec(readFileSync(f, 'utf8'));
      if (m) offenders.push(`${relative(site.distDir, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("publishes none of the sample's driver ids, driver names or phone numbers", () => {
    const ids = Object.values(manifest.personal_identifiers).flat();
    // The manifest lists all three kinds; an empty list would make this test vacuous.
    expect(manifest.personal_identifiers.driver_ids.length).toBeGreaterThan(0);
    expect(manifest.personal_identifiers.driver_names.length).toBeGreaterThan(0);
    expect(manifest.personal_identifiers.phone_numbers.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const f of filesUnder(site.distDir)) {
      const text = readFileSync(f, 'utf8');
      for (const id of ids) if (text.includes(id)) found.push(`${id} in ${relative(site.distDir, f)}`);
    }
    expect(found).toEqual([]);
  });

  it("shows the warehouse's kpi_values as the overview's city-wide figures, every period", async () => {
    const overview = distData(site.distDir, 'overview');
    const rows = await query<{ kpi_id: string; period: string; value: number | null }>(
      `select kpi_id, period, value::double as value from kpi_values where unit_code = 'ALL' and kpi_id in (${HEADLINE_KPIS.map((k) => `'${k}'`).join(', ')})`,
    );
    expect(HEADLINE_KPIS.length).toBeGreaterThanOrEqual(6);
    const mismatches: string[] = [];
    for (const k of HEADLINE_KPIS) {
      const mine = rows.filter((r) => r.kpi_id === k);
      // Every headline KPI has figures on the sample, including its latest month and year.
      expect(mine.length, k).toBeGreaterThan(0);
      for (const r of mine) {
        const shown = overview.values?.[k]?.ALL?.[r.period];
        if (!close(shown, r.value)) mismatches.push(`${k} ${r.period}: page ${shown}, warehouse ${r.value}`);
      }
      expect(Object.keys(overview.values[k].ALL).length, k).toBe(mine.length);
    }
    expect(mismatches).toEqual([]);
  });

  it('groups quarantine reasons by kind and names files without their folders', () => {
    const quality = distData(site.distDir, 'quality');
    // The sample plants duplicate keys in many units; grouped by shape they are at most two kinds
    // per key column ("also in row …" of the same file, "also in file …" of another).
    const dupKinds = new Map<string, Set<string>>();
    for (const [table, column, reason] of quality.quarantine.rows as string[][]) {
      if (reason.startsWith('duplicate ')) dupKinds.set(`${table}.${column}`, (dupKinds.get(`${table}.${column}`) ?? new Set()).add(reason));
    }
    expect(dupKinds.size).toBeGreaterThan(0);
    for (const [key, kinds] of dupKinds) expect([...kinds].sort(), key).toEqual([...kinds].filter((k) => /^duplicate [a-z_ /]+ … also in (row|file) …$/.test(k)).sort());
    for (const [key, kinds] of dupKinds) expect(kinds.size, key).toBeLessThanOrEqual(2);
    // The format example a message ends with is kept as written ("such as 2024-03-05 08:30").
    const reasons = (quality.quarantine.rows as string[][]).map((r) => r[2]);
    expect(reasons.some((r) => /such as 2024-03-05/.test(r))).toBe(true);
    expect(reasons.filter((r) => /such as N/.test(r))).toEqual([]);
    // The loading machine's folders (the sample's inbox) appear nowhere in the page data.
    const text = JSON.stringify(quality);
    expect(text).not.toContain(sampleDir);
    expect(text).not.toContain('/inbox/');
  });

  // Runs last: it changes the copy and rebuilds the site.
  it('shows a changed export row after load, run and rebuild', async () => {
    const month = manifest.to; // e.g. 2024-12: the newest month, a single-month export
    const year = month.slice(0, 4);
    // A GBK CSV trip export of that month with a distance column (some send odometers only).
    const candidates = manifest.files.filter((f) => f.table === 'vehicle_trips' && f.format === 'csv' && f.file.includes(month) && !f.title_row);
    const chosen = [...candidates.filter((f) => f.encoding === 'gbk'), ...candidates.filter((f) => f.encoding !== 'gbk')]
      .map((f) => {
        const encoding = f.encoding === 'gbk' ? 'gb18030' : 'utf8';
        const text = iconv.decode(readFileSync(join(INBOX, f.file)), encoding);
        const sep = f.delimiter === 'tab' ? '\t' : ',';
        const lines = text.split('\r\n').length > 1 ? text.split('\r\n') : text.split('\n');
        const header = lines[0].split(sep);
        return { f, encoding, text, sep, lines, header, col: header.findIndex((h) => DISTANCE_HEADERS.includes(h.trim())) };
      })
      .find((c) => c.col >= 0);
    expect(chosen, `a ${month} CSV trip export with a distance column`).toBeDefined();
    const { f, encoding, text, sep, lines, header, col } = chosen!;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const idCol = header.findIndex((h) => ['trip_id', '出车单号', '派车单号'].includes(h.trim()));
    expect(idCol).toBeGreaterThanOrEqual(0);

    // A row of the file that was loaded (not quarantined), with a plain (unquoted) distance.
    const loaded = await query<{ trip_id: string; distance_km: number; vehicle_unit: string }>(
      `select t.trip_id, t.distance_km::double as distance_km, v.unit_code as vehicle_unit
       from raw.vehicle_trips t join meta.load_ledger l on l.file_id = t._file_id join raw.vehicles v using (vehicle_id)
       where l.path like $1 and t.distance_km is not null`,
      [`%${f.file.split('/').at(-1)}`],
    );
    const byId = new Map(loaded.map((r) => [r.trip_id, r]));
    const at = lines.findIndex((l, i) => i > 0 && !l.includes('"') && byId.has(l.split(sep)[idCol]) && /^\d+(\.\d+)?$/.test(l.split(sep)[col]));
    expect(at, `a loaded row in ${f.file}`).toBeGreaterThan(0);
    const cells = lines[at].split(sep);
    const trip = byId.get(cells[idCol])!;
    cells[col] = String(Math.round((Number(cells[col]) + ADDED_KM) * 10) / 10);
    lines[at] = cells.join(sep);
    // Same encoding and BOM as the district sent: a GBK file stays GBK.
    const bom = f.encoding === 'utf8-bom';
    writeFileSync(join(INBOX, f.file), iconv.encode(lines.join(eol), encoding, { addBOM: bom }));

    const km = async (unit: string, period: string) =>
      (await query<{ v: number }>(`select value::double as v from kpi_values where kpi_id = 'vehicle_km' and unit_code = $1 and period = $2`, [unit, period]))[0]?.v;
    const before = { unitYear: await km(trip.vehicle_unit, year), unitMonth: await km(trip.vehicle_unit, month), allYear: await km('ALL', year) };
    expect(before.unitYear).toBeGreaterThan(0);

    // The whole copied inbox: unchanged files are recognised by their hash and skipped; the
    // changed one is a re-export of its unit-month and replaces it.
    const out = steward(['load', '--db', DB, INBOX]);
    expect(out).toMatch(/replaces [\d,]+ earlier rows/);
    steward(['run', '--db', DB, '-q']);

    // Hand computation: the vehicle's unit and the city gain exactly ADDED_KM in that month and year.
    const after = { unitYear: await km(trip.vehicle_unit, year), unitMonth: await km(trip.vehicle_unit, month), allYear: await km('ALL', year) };
    expect(after.unitYear).toBeCloseTo(before.unitYear + ADDED_KM, 6);
    expect(after.unitMonth).toBeCloseTo(before.unitMonth + ADDED_KM, 6);
    expect(after.allYear).toBeCloseTo(before.allYear + ADDED_KM, 6);

    const published = (d: Record<string, any>, unit: string, period: string) => d.values.vehicle_km[unit][period] as number;
    const oldArea = distData(site.distDir, 'area-vehicles');
    expect(published(oldArea, trip.vehicle_unit, year)).toBeCloseTo(before.unitYear, 6);
    // The shared site stays as it is: a copy of it is rebuilt from the changed warehouse.
    const rebuilt = await copyOfSharedSite('sample', join(WORK, 'site'));
    await rebuildSite(DB, rebuilt.srcDir, rebuilt.distDir);
    const area = distData(rebuilt.distDir, 'area-vehicles');
    expect(published(area, trip.vehicle_unit, year)).toBeCloseTo(before.unitYear + ADDED_KM, 6);
    expect(published(area, trip.vehicle_unit, month)).toBeCloseTo(before.unitMonth + ADDED_KM, 6);
    expect(published(area, 'ALL', year)).toBeCloseTo(before.allYear + ADDED_KM, 6);
    const district = distData(rebuilt.distDir, `districts/${trip.vehicle_unit}`);
    expect(published(district, trip.vehicle_unit, year)).toBeCloseTo(before.unitYear + ADDED_KM, 6);
  });
});

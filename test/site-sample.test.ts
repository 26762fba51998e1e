/**
 * The site built from the bundled sample warehouse, read as files: every page is there, one per
 * district (test/browser-site.test.ts measures what each page loads); nothing points at a CDN;
 * none of the personal identifiers the sample planted in its exports reaches dist/; and the
 * overview's headline figures are the warehouse's kpi_values. Then freshness end to end: one trip's distance is changed in a copied
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
import { rebuildSite, ROOT, sitePages, type BuiltSite } from './helpers/browser.ts';
import { haveSample, sampleDir, sampleManifest } from './helpers/sample.ts';
import { runScratch } from './helpers/run.ts';
import { copyOfSharedSite, sharedSite } from './helpers/shared-site.ts';
import { HANG_MS } from './helpers/wait.ts';

let WORK: string;
let DB: string;
let INBOX: string;
const UNITS = readFileSync(join(ROOT, 'data/reference/units.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
/** Hosts of package CDNs and web-font services a Framework site may reach for. */
const CDN = /(cdn\.jsdelivr\.net|unpkg\.com|esm\.sh|cdnjs\.cloudflare\.com|cdn\.skypack\.dev|jspm\.io|ga\.jspm|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.run|observablehq\.com\/@|api\.observablehq\.com|events\.observablehq\.com|cdn\.observableusercontent)/;
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

/** a ≈ b to the 7 significant digits page data keeps. */
function close(a: number | null | undefined, b: number | null | undefined): boolean {
  // A missing figure matches only a missing figure (null in the warehouse, null or absent on the page).
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= 5e-7 * Math.max(1e-9, Math.abs(a), Math.abs(b));
}

/** A page-data table's rows as objects. */
const objects = (t: { columns: string[]; rows: unknown[][] }) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))) as Record<string, any>[];

/** A card value of page data: kpi, unit, period → value. */
function valueIn(d: Record<string, any>, kpi: string, unit: string, period: string): number | undefined {
  return objects(d as never).find((r) => r.kpi_id === kpi && r.unit_code === unit && r.period === period)?.value;
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

  it('has every page, one per district, each in the sidebar', () => {
    for (const p of sitePages(UNITS)) expect(existsSync(join(site.distDir, `${p}.html`)), p).toBe(true);
    const sidebar = readFileSync(join(site.distDir, 'index.html'), 'utf8');
    for (const u of UNITS) expect(sidebar).toContain(`districts/${u}.html`);
  });

  it('references no CDN and ships no npm: download', () => {
    const offenders: string[] = [];
    for (const f of filesUnder(site.distDir)) {
      if (!/\.(html|js|css|json)$/.test(f)) continue;
      const m = CDN.exec(readFileSync(f, 'utf8'));
      if (m) offenders.push(`${relative(site.distDir, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
    expect(existsSync(join(site.distDir, '_npm'))).toBe(false);
    // No absolute address in the pages and their styles: everything is served with the site.
    const hosts = new Set<string>();
    for (const f of filesUnder(site.distDir)) if (/\.(html|css)$/.test(f)) for (const m of readFileSync(f, 'utf8').matchAll(/(?:src|href)=["']?(https?:\/\/[^"' >]+)/g)) hosts.add(m[1]);
    expect([...hosts]).toEqual([]);
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

  it("shows the warehouse's kpi_values as the overview's city-wide figures, every period it offers", async () => {
    const rows = await query<{ kpi_id: string; grain: string; period: string; value: number | null }>(
      `select kpi_id, grain, period, value::double as value from kpi_values join kpis using (kpi_id) join dashboard_periods using (grain, period)
       where unit_code = 'ALL' and kpis.headline is not null`);
    const headline = new Set(rows.map((r) => r.kpi_id));
    expect(headline.size).toBeGreaterThanOrEqual(6);
    const mismatches: string[] = [];
    let compared = 0;
    for (const grain of ['month', 'quarter', 'year']) {
      const overview = distData(site.distDir, `overview-${grain}`);
      for (const r of rows.filter((x) => x.grain === grain)) {
        const shown = valueIn(overview, r.kpi_id, 'ALL', r.period);
        if (!close(shown, r.value)) mismatches.push(`${r.kpi_id} ${r.period}: page ${shown}, warehouse ${r.value}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(mismatches).toEqual([]);
  });

  it('groups quarantine by rule and column, one group per duplicate-key column, and names files without their folders', () => {
    const groups = objects(distData(site.distDir, 'quality/quarantine') as never);
    // Duplicate keys are one group per table and key column, however many keys and files.
    const dup = groups.filter((g) => g.rule === 'duplicate_key');
    expect(dup.length).toBeGreaterThan(0);
    expect(new Set(dup.map((g) => `${g.table_name}.${g.column}`)).size).toBe(dup.length);
    // The loading machine's folders (the sample's inbox) appear nowhere in the page data.
    for (const name of ['quality/quarantine', 'quality/examples', 'quality/ledger']) {
      const text = JSON.stringify(distData(site.distDir, name));
      expect(text, name).not.toContain(sampleDir);
      expect(text, name).not.toContain('/inbox/');
    }
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
    expect(out).toMatch(/replaces [A-Z]{2} \d{4}-\d{2} \([\d,]+ rows of file \d+ .*, re-export\)/);
    steward(['run', '--db', DB, '-q']);

    // Hand computation: the vehicle's unit and the city gain exactly ADDED_KM in that month and year.
    const after = { unitYear: await km(trip.vehicle_unit, year), unitMonth: await km(trip.vehicle_unit, month), allYear: await km('ALL', year) };
    expect(after.unitYear).toBeCloseTo(before.unitYear + ADDED_KM, 6);
    expect(after.unitMonth).toBeCloseTo(before.unitMonth + ADDED_KM, 6);
    expect(after.allYear).toBeCloseTo(before.allYear + ADDED_KM, 6);

    const published = (d: Record<string, any>, unit: string, period: string) => valueIn(d, 'vehicle_km', unit, period)!;
    expect(published(distData(site.distDir, 'areas/vehicles-year'), trip.vehicle_unit, year)).toBeCloseTo(before.unitYear, 1);
    // The shared site stays as it is: a copy of it is rebuilt from the changed warehouse.
    const rebuilt = await copyOfSharedSite('sample', join(WORK, 'site'));
    await rebuildSite(DB, rebuilt.srcDir, rebuilt.distDir);
    // Page data keeps 7 significant digits: a yearly km figure to the kilometre or so.
    expect(close(published(distData(rebuilt.distDir, 'areas/vehicles-year'), trip.vehicle_unit, year), before.unitYear + ADDED_KM)).toBe(true);
    expect(close(published(distData(rebuilt.distDir, 'areas/vehicles-month'), trip.vehicle_unit, month), before.unitMonth + ADDED_KM)).toBe(true);
    expect(close(published(distData(rebuilt.distDir, 'areas/vehicles-year'), 'ALL', year), before.allYear + ADDED_KM)).toBe(true);
    expect(close(published(distData(rebuilt.distDir, `districts/${trip.vehicle_unit}`), trip.vehicle_unit, year), before.unitYear + ADDED_KM)).toBe(true);
  });
});

/**
 * The sample: every table for all 14 units, written under one folder with a manifest
 * (`_manifest.json`, ignored by the loader) of what was planted and what the clean rows add up to.
 */
import { mkdirSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT } from '../contract/contract.ts';
import { WorkCalendar, monthsBetween } from './calendar.ts';
import type { Ctx } from './common.ts';
import { generateEnergy } from './energy.ts';
import { generateMeetings } from './meetings.ts';
import { Output, type ManifestFault, type ManifestFile } from './output.ts';
import { POOL_TARGETS, WAREHOUSES, generatePool } from './pool.ts';
import { generateProcurement } from './procurement.ts';
import { GAMES_TARGET, HZ_PLATFORMS, generateVehicles, type VehicleSummary } from './vehicles.ts';

const TABLE_NAMES = new Set(CONTRACT.map((t) => t.name));

export const GENERATOR_VERSION = 'steward-sample 1';
export const DEFAULT_SEED = 20240630;
export const DEFAULT_RANGE = { from: '2021-01', to: '2024-12' };
/** Share of rows planted with a fault. */
export const FAULT_RATE = 0.01;

export interface SampleOptions {
  out: string;
  seed?: number;
  scale?: number;
  from?: string;
  to?: string;
}

export interface Manifest {
  generator: string;
  seed: number;
  scale: number;
  from: string;
  to: string;
  files: ManifestFile[];
  faults: ManifestFault[];
  rows_per_table: Record<string, number>;
  faults_per_table: Record<string, number>;
  /** Rows that load cleanly and stay (planted faults and superseded rows excluded). */
  expected_clean_rows: Record<string, number>;
  correction: VehicleSummary['correction'];
  calibration: {
    holds: boolean;
    warehouses: { count: number; area_m2: number };
    pool: typeof POOL_TARGETS;
    games: { platforms: string[]; windows: [string, string][]; trips: number; km: number };
  };
  metered_buildings: string[];
  personal_identifiers: VehicleSummary['personal'];
}

export async function generateSample(opts: SampleOptions): Promise<Manifest> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const scale = opts.scale ?? 1;
  const from = opts.from ?? DEFAULT_RANGE.from;
  const to = opts.to ?? DEFAULT_RANGE.to;
  if (!/^\d{4}-\d{2}$/.test(from) || !/^\d{4}-\d{2}$/.test(to) || from > to) throw new Error(`--from ${from} --to ${to}: expected two months YYYY-MM, the first not after the second`);
  if (!(scale > 0)) throw new Error(`--scale ${scale}: expected a number above 0 (e.g. 0.1 or 10)`);
  // Earlier sample files are cleared so none is left over: only the table folders and the
  // manifest, never anything else that lives in the folder.
  if (existsSync(opts.out)) {
    for (const name of readdirSync(opts.out)) {
      if (TABLE_NAMES.has(name) || name === '_manifest.json') rmSync(join(opts.out, name), { recursive: true, force: true });
    }
  }
  mkdirSync(opts.out, { recursive: true });
  const out = new Output(opts.out, seed, FAULT_RATE);
  const ctx: Ctx = { seed, scale, from, to, months: monthsBetween(from, to), cal: new WorkCalendar(), out };

  await generatePool(ctx);
  const vehicles = await generateVehicles(ctx);
  const energy = await generateEnergy(ctx);
  await generateProcurement(ctx);
  const venues = new Map<string, string[]>();
  await generateMeetings(ctx, (unit) => {
    if (!venues.has(unit)) venues.set(unit, Array.from({ length: 3 }, (_, i) => `B-${unit}-${String(i + 1).padStart(3, '0')}`));
    return venues.get(unit)!;
  });

  const sum = (f: (x: ManifestFile) => number) => {
    const o: Record<string, number> = {};
    for (const x of out.files) o[x.table] = (o[x.table] ?? 0) + f(x);
    return o;
  };
  const rows = sum((x) => x.rows);
  const faults = sum((x) => x.faults);
  const clean: Record<string, number> = {};
  for (const t of Object.keys(rows)) clean[t] = rows[t] - (faults[t] ?? 0);
  clean.vehicle_trips -= vehicles.correction.original_rows;

  const manifest: Manifest = {
    generator: GENERATOR_VERSION, seed, scale, from, to,
    files: out.files, faults: out.faults,
    rows_per_table: rows, faults_per_table: faults, expected_clean_rows: clean,
    correction: vehicles.correction,
    calibration: {
      holds: scale === 1 && from === DEFAULT_RANGE.from && to === DEFAULT_RANGE.to,
      warehouses: { count: WAREHOUSES.length, area_m2: WAREHOUSES.reduce((s, w) => s + w.area, 0) },
      pool: POOL_TARGETS,
      games: { platforms: HZ_PLATFORMS, windows: [['2023-09-23', '2023-10-08'], ['2023-10-22', '2023-10-28']], trips: vehicles.games.trips, km: vehicles.games.km },
    },
    metered_buildings: energy.metered,
    personal_identifiers: vehicles.personal,
  };
  void GAMES_TARGET;
  writeFileSync(join(opts.out, '_manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

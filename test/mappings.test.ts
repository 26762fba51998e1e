/**
 * Foreign sources through mapping files: Seattle's real public exports (../shared/real-exports)
 * load without code changes, every source row accounted for.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { loadFile } from '../loaders/load.ts';
import { readMapping } from '../loaders/mapping.ts';
import { freshWarehouse, rows, scratch } from './helpers/warehouse.ts';

const REAL = '../shared/real-exports';
const fleet = join(REAL, 'seattle-fleet/Active_Fleet_Complement.csv');
const sold = join(REAL, 'seattle-fleet/Sold_Fleet_Equipment.tsv');
const energy = join(REAL, 'seattle-energy-2016/2016_Building_Energy_Benchmarking.csv');
const haveReal = existsSync(fleet) && existsSync(energy);

describe.skipIf(!haveReal)('Seattle exports through mapping files', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse();
  });
  afterAll(() => w.close());

  it('loads the fleet register: sedans, SUVs and vans become vehicles of unit XH, trucks are quarantined with the reason', async () => {
    const r = await loadFile(w.conn, fleet, { mapping: readMapping('data/mappings/seattle-fleet.yaml') });
    expect(r.rowsRead).toBe(4109); // data lines of the file
    expect(r.rowsLoaded + r.rowsQuarantined).toBe(4109);
    expect(r.rowsLoaded).toBeGreaterThan(500);
    // Line 2: 01035,…,PLYMOUTH,NEON,SUBCOMPACT SEDAN TRAINING,SPD,04-Aug-00
    expect(await rows(w.conn, `select unit_code, platform, vehicle_class, energy, acquired_on::VARCHAR a from raw.vehicles where vehicle_id = '01035'`)).toEqual([
      { unit_code: 'XH', platform: 'SPD', vehicle_class: 'sedan', energy: 'gasoline', a: '2000-08-04' },
    ]);
    // 48 rows describe an electric car with an official-car class (e.g. SEDAN SUBCOMPACT ELECTRIC);
    // the other electric equipment (scooters, carts) has no class and is quarantined.
    expect(await rows(w.conn, `select count(*) n from raw.vehicles where energy = 'bev'`)).toEqual([{ n: 48 }]);
    const reasons = await rows<{ reason: string }>(w.conn, `select reason from meta.quarantine where table_name = 'vehicles' and "column" = 'vehicle_class' limit 1`);
    expect(reasons[0].reason).toMatch(/^vehicle_class ".*" is not one of 轿车, SUV, 商务车, 中巴, 大巴$/);
  });

  it('loads the sold list (tab-separated) with sale dates as retired_on', async () => {
    const r = await loadFile(w.conn, sold, { mapping: readMapping('data/mappings/seattle-fleet-sold.yaml') });
    expect(r.rowsRead).toBe(513);
    expect(r.rowsLoaded + r.rowsQuarantined).toBe(513);
    expect(r.rowsLoaded).toBeGreaterThan(50);
    const dated = await rows<{ n: number }>(w.conn, `select count(*) n from raw.vehicles where retired_on is not null and _file_id = ${r.fileId}`);
    expect(dated[0].n).toBe(r.rowsLoaded);
  });

  it('loads the City of Seattle buildings of the 2016 benchmarking and their annual electricity and gas', async () => {
    const b = await loadFile(w.conn, energy, { mapping: readMapping('data/mappings/seattle-energy-2016-buildings.yaml') });
    expect(b).toMatchObject({ rowsRead: 3376, rowsLoaded: 85, rowsQuarantined: 3291 }); // 85 rows are "Nonresidential COS"
    // Building 9, West Precinct: 97,288 ft² × 0.09290304 = 9,038.35 m²; 60,090 ft² of building ÷ 25 m²/person → 223.
    expect(await rows(w.conn, `select name, round(floor_area_m2, 2) a, occupants from raw.buildings where building_id = '9'`)).toEqual([{ name: 'West Precinct', a: 9038.35, occupants: 223 }]);
    const e = await loadFile(w.conn, energy, { mapping: readMapping('data/mappings/seattle-energy-2016-readings.yaml') });
    expect(e).toMatchObject({ rowsRead: 2 * 3376, rowsLoaded: 170, status: 'loaded' }); // one electricity and one gas record per source row
    // 2,160,443.75 kWh; 47,151.82 therms × 2.8317 = 133,519.81 m³; a 2016 bill: 2016-01-01 to 2016-12-31 inclusive.
    expect(await rows(w.conn, `select carrier, round(quantity, 2) q, quantity_unit, period_end::VARCHAR e from raw.energy_readings where building_id = '9' order by carrier`)).toEqual([
      { carrier: 'electricity', q: 2160443.75, quantity_unit: 'kWh', e: '2017-01-01 00:00:00' },
      { carrier: 'natural_gas', q: 133519.81, quantity_unit: 'm3', e: '2017-01-01 00:00:00' },
    ]);
  });
});

describe('mapping files are checked before use', () => {
  it('names the section and column a mapping gets wrong', () => {
    const s = scratch();
    try {
      const p = join(s.dir, 'bad.yaml');
      writeFileSync(p, 'table: vehicles\ncolumns: { Plate: plate_number }\n');
      expect(() => readMapping(p)).toThrow(`mapping ${p}: columns names "plate_number", which is not a column of vehicles`);
      writeFileSync(p, 'table: cars\n');
      expect(() => readMapping(p)).toThrow(/table "cars" is not one of warehouses, pool_transactions/);
      writeFileSync(p, 'table: vehicles\nvalues: { energy: [{ match: "(", value: 汽油 }] }\n');
      expect(() => readMapping(p)).toThrow(/pattern "\(" is not a valid regular expression/);
    } finally {
      s.dispose();
    }
  });
});

describe('mapping files are checked against their JSON Schema, each problem with its line', () => {
  it('names the line of a wrong section, key, type and column', () => {
    const s = scratch();
    try {
      const p = join(s.dir, 'lines.yaml');
      writeFileSync(p, [
        'table: procurement',             // 1
        'columns:',                       // 2
        '  编号: record_id',              // 3
        'convert:',                       // 4
        '  budget_yuan: { factor: 10000 }', // 5: no source
        'skip:',                          // 6
        '  - { column: quantity, match: x }', // 7: no reason
        'drop_identical_rows: yes please', // 8: not a boolean
        'renames: {}',                    // 9: unknown section
      ].join('\n'));
      let message = '';
      try {
        readMapping(p);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n')).toEqual([
        `mapping ${p}: 4 problems`,
        '  line 9: unknown section "renames" (known: source, table, description, notes, header_row, skip_rows, columns, copies, fallback, combine, constants, defaults, extract, replace, values, date_formats, convert, scale, where, skip, drop_identical_rows, grid_region, unpivot)',
        '  line 5: convert.budget_yuan needs "source"',
        '  line 7: skip.0 needs "reason"',
        '  line 8: drop_identical_rows must be a boolean',
      ]);
      writeFileSync(p, 'table: procurement\nskip:\n  - { column: carrier, match: x, reason: r }\n');
      expect(() => readMapping(p)).toThrow(`mapping ${p}: skip[0] names "carrier", which is not a column of procurement (line 3)`);
      writeFileSync(p, 'table: vehicles\ncolumns: [a, b]\n');
      expect(() => readMapping(p)).toThrow(`mapping ${p}: columns must be a mapping of names to values (line 2)`);
    } finally {
      s.dispose();
    }
  });
});

describe('mapping patterns', () => {
  it('refuses a pattern DuckDB cannot run before any row is read', async () => {
    const s = scratch();
    const w = await freshWarehouse();
    try {
      const p = join(s.dir, 'look.yaml');
      writeFileSync(p, "table: vehicles\nconstants: { unit: XH }\nvalues:\n  vehicle_class: [{ match: '(?=SEDAN)', value: 轿车 }]\n");
      const { checkMappingPatterns } = await import('../loaders/mapping.ts');
      await expect(checkMappingPatterns(w.conn, readMapping(p))).rejects.toThrow(/mapping look: pattern "\(\?=SEDAN\)" is not a regular expression DuckDB accepts/);
    } finally {
      w.close();
      s.dispose();
    }
  });
});

/**
 * What `steward load`, `map` and `status` tell a user, as real processes: documented exit codes,
 * a refused file's closest table and next step, a drafted mapping with five rows as they would
 * load, and reasons grouped by rule and column that add up to the ledger.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from './helpers/warehouse.ts';
import { writeRealShapes, type RealShapes } from './fixtures/exports/real-shapes.ts';

const steward = (args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin/steward.js'), ...args], { encoding: 'utf8' });

let s: Scratch;
let db: string;
let f: RealShapes;
beforeAll(async () => {
  s = scratch();
  db = join(s.dir, 'w.duckdb');
  f = await writeRealShapes(join(s.dir, 'exports'));
});
afterAll(() => s.dispose());

describe('steward load exit codes', () => {
  it('exits 0 when every file loads rows, and again when they are unchanged', () => {
    const good = s.file('ok/vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A1,YH,轿车,汽油\n');
    expect(steward(['load', good, '--db', db]).status).toBe(0);
    const again = steward(['load', good, '--db', db]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/= .*v\.csv: already loaded/);
  });

  it('exits 1 when a file is refused, naming the closest table, the columns it lacks and steward map', () => {
    const file = s.file('misc/intentions.csv', '序号,采购项目名称,预算金额(元),采购方式,公告日期\n1,复印纸,48000,电子卖场,2024-03-05\n');
    const r = steward(['load', file, '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`intentions.csv: no header row in the first 2 rows names all the required columns of any table; closest is procurement (政府采购): row 1 names 3 of its columns but lacks 采购编号 (record_id), 单位 (unit), 采购单位 (agency), 项目名称 (project_name), 品目类型 (category); next: \`steward map ${file}\` drafts a mapping for it`);
  });

  it('says which columns a file in a table folder lacks', () => {
    const file = s.file('inbox/procurement/page.csv', '标题\n序号,名称,金额\n1,复印纸,4.8\n');
    const r = steward(['load', file, '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/page\.csv: no header row: no row in the first 3 rows names a column of procurement \(政府采购\); it needs 采购编号 \(record_id\), 单位 \(unit\), 采购单位 \(agency\), 项目名称 \(project_name\), 品目类型 \(category\), 采购方式 \(method\), 预算金额\(元\) \(budget_yuan\); next: `steward map /);
  });

  it('exits 1 when a file loads no row, and says so', () => {
    const file = s.file('none/vehicles/v.csv', '车牌号,单位,车型,能源类型\n浙A2,余航区,轿车,汽油\n');
    const r = steward(['load', file, '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/nothing loaded: .*v\.csv: all 1 rows were quarantined or skipped/);
  });

  it('exits 2 when it cannot run as asked: an unknown option, no files, a mapping with problems', () => {
    expect(steward(['load', '--dbb', db]).status).toBe(2);
    expect(steward(['load', join(s.dir, 'nowhere'), '--db', db]).status).toBe(2);
    const bad = s.file('m/bad.yaml', 'table: vehicles\nconstants: { plate: 1 }\n');
    const r = steward(['load', f.fuelVehicles, '--db', db, '--mapping', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`steward load: mapping ${bad}: constants names "plate", which is not a column of vehicles (line 2)`);
  });
});

describe('steward map and status', () => {
  it('drafts a mapping, writes it and shows five rows as they would load', () => {
    const out = join(s.dir, 'mappings/energy.yaml');
    expect(steward(['load', f.energyBuildings, '--db', db, '--table', 'buildings']).status).toBe(0);
    const r = steward(['map', f.energyReport, '--out', out, '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('header in row 5; table energy_readings (能耗记录)');
    expect(r.stdout).toContain('flag: placeholder readings (Not Available) are skipped as not reported');
    expect(r.stdout).toContain('the first 5 rows as they would load (8 of 12 rows load, 0 quarantined, 4 skipped)');
    expect(r.stdout).toMatch(/^ +6 +SPR-001 +HZ +electricity +2023-01-01 00:00:00 +2024-01-01 00:00:00 +1200000\.0 +kWh +false +loads/m);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toMatch(/^unpivot:$/m);
    // An existing mapping is not overwritten by accident.
    expect(steward(['map', f.energyReport, '--out', out, '--db', db]).status).toBe(2);
    const load = steward(['load', f.energyReport, '--db', db, '--mapping', out]);
    expect(load.status, load.stdout).toBe(0);
    expect(load.stdout).toMatch(/12 rows, 8 loaded, 4 skipped/);
  });

  it('groups what did not load by rule and column, skipped apart from quarantined', () => {
    const r = steward(['status', '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/energy_readings\s+skipped\s+not_reported\s+quantity\s+4\s+1\s+\S*energy-report-2023\.csv row 7: quantity not reported/);
    expect(r.stdout).toMatch(/vehicles\s+quarantined\s+unknown_unit\s+unit\s+1\s+1/);
    expect(r.stdout).toMatch(/energy_readings\s+1\s+12\s+8\s+0\s+4/);
  });
});

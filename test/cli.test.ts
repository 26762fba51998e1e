/** The steward command as a district clerk and an analyst use it: real processes, real files. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from './helpers/warehouse.ts';

const steward = (args: string[], cwd = process.cwd(), env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(process.cwd(), 'bin/steward.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

let s: Scratch;
let db: string;
beforeAll(() => {
  s = scratch();
  db = join(s.dir, 'w.duckdb');
  s.file('inbox/vehicles/gs.csv', '车牌号,单位,车型,能源类型\n浙A100,拱墅区,轿车,纯电\n浙A101,拱墅区,中巴,柴油\n');
  s.file('inbox/vehicle_trips/gs-2024-05.csv', '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)\nK1,GS,浙A100,2024-05-06 08:00,2024-05-06 10:00,30\nK2,GS,浙A101,2024-05-07 08:00,2024-05-06 10:00,30\n');
  s.file('inbox/_notes.txt', 'ignored: names starting with _ are not exports');
});
afterAll(() => s.dispose());

describe('steward load, status, query', () => {
  it('loads an inbox, prints a line per file and a summary with the top reasons', () => {
    const r = steward(['load', join(s.dir, 'inbox'), '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[1\/2\] ✓ .*vehicles\/gs\.csv → vehicles: 2 rows, 2 loaded/);
    expect(r.stdout).toMatch(/\[2\/2\] ! .*gs-2024-05\.csv → vehicle_trips: 2 rows, 1 loaded, 1 quarantined/);
    expect(r.stdout).toMatch(/1 × return_at: return_before_depart .*row 3: depart_at after return_at/);
  });

  it('answers queries as a table, CSV or JSON', () => {
    const csv = steward(['query', '--db', db, '--format', 'csv', 'select trip_id, distance_km from raw.vehicle_trips']);
    expect(csv.stdout.trim()).toBe('trip_id,distance_km\nK1,30');
    const json = steward(['query', '--db', db, '--format', 'json', "select count(*)::INT n from meta.quarantine"]);
    expect(JSON.parse(json.stdout)).toEqual([{ n: 1 }]);
    const bad = steward(['query', '--db', db, 'select * from nowhere']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^steward query: Catalog Error: Table with name nowhere does not exist/);
    expect(bad.stderr).not.toMatch(/    at /); // no stack trace
  });

  it('shows the ledger and quarantine by reason', () => {
    const r = steward(['status', '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vehicle_trips\s+1\s+2\s+1\s+1/);
    // Grouped by table, outcome, rule and column, with one row's own reason as the example.
    expect(r.stdout).toMatch(/vehicle_trips\s+quarantined\s+return_before_depart\s+return_at\s+1\s+1\s+\S*gs-2024-05\.csv row 3: depart_at after return_at/);
  });
});

describe('steward check', () => {
  it('validates without touching the warehouse and fails when rows would be quarantined', () => {
    const before = statSync(db).mtimeMs;
    const bad = s.file('check/vehicle_trips/new.csv', '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)\nK9,GS,浙A100,2024-06-03 08:00,2024-06-03 09:00,-3\n');
    const r = steward(['check', bad, '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/1 × distance_km: negative_distance .*row 2: distance_km is negative/);
    const good = s.file('check2/vehicle_trips/new.csv', '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)\nK9,GS,浙A100,2024-06-03 08:00,2024-06-03 09:00,3\n');
    const ok = steward(['check', good, '--db', db]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0); // 浙A100 is known from the warehouse's register
    expect(statSync(db).mtimeMs).toBe(before);
    const n = execFileSync(process.execPath, ['bin/steward.js', 'query', '--db', db, '--format', 'csv', 'select count(*) from raw.vehicle_trips'], { encoding: 'utf8' });
    expect(n.trim().split('\n')[1]).toBe('1');
  });

  it('refuses a file it cannot read with a one-line reason', () => {
    const r = steward(['check', s.file('x/notes.pdf', '%PDF-1.4')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ .*notes\.pdf: is not a CSV, TSV, XLSX, JSON or NDJSON file/);
    expect(existsSync(join(s.dir, 'x', 'w.duckdb'))).toBe(false);
  });
});

describe('settings from the environment', () => {
  it('treats a blank setting as unset and refuses one it cannot read, by name and without a stack', () => {
    const blank = steward(['query', '--db', db, '--format', 'csv', 'select count(*) as n from raw.vehicles'], process.cwd(), { STEWARD_MEMORY_LIMIT: ' ', STEWARD_LOCK_WAIT_MS: '' });
    expect(blank.status, blank.stderr).toBe(0);
    expect(blank.stdout.trim()).toBe('n\n2');
    const limit = steward(['query', '--db', db, 'select 1'], process.cwd(), { STEWARD_MEMORY_LIMIT: '3 gigs' });
    expect(limit.status).toBe(1);
    expect(limit.stderr.trim()).toBe('steward query: STEWARD_MEMORY_LIMIT="3 gigs" is not a memory size (such as 4GB or 512MB); unset it for the default of 2GB');
    // DuckDB reads 2GiB and 2G but not 2Gi: that one is named too, not passed on to fail unexplained.
    expect(steward(['query', '--db', db, 'select 1'], process.cwd(), { STEWARD_MEMORY_LIMIT: '2Gi' }).stderr).toMatch(/^steward query: STEWARD_MEMORY_LIMIT="2Gi" is not a memory size/);
    const wait = steward(['query', '--db', db, 'select 1'], process.cwd(), { STEWARD_LOCK_WAIT_MS: 'soon' });
    expect(wait.status).toBe(1);
    expect(wait.stderr).toMatch(/^steward query: STEWARD_LOCK_WAIT_MS="soon" is not a number of milliseconds/);
    const ok = steward(['query', '--db', db, '--format', 'csv', "select current_setting('memory_limit') as m"], process.cwd(), { STEWARD_MEMORY_LIMIT: '512MiB' });
    expect(ok.stdout.trim()).toBe('m\n512.0 MiB');
  });
});

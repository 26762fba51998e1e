/**
 * Two processes, one warehouse. DuckDB lets one process write a file (or several read it), so a
 * second steward command waits for the first (STEWARD_LOCK_WAIT_MS, default 30 s) and then runs,
 * or stops with a message naming the process that holds the warehouse. Nothing is corrupted, and
 * a reader sees the warehouse before or after a load, never in between.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { trips as tripLines, write, writeSmallExports } from './small-exports.ts';
import { ROOT, STACK, invariantViolations, snapshot, steward, stewardAsync } from './warehouse-state.ts';
import { copyWarehouse } from './crash.ts';

let s: Scratch;
let exports: { first: string; second: string; bulk: string };
/**
 * Trips of one month, large enough that a load is still writing them well after it reports its
 * first file: a second process started then finds the warehouse held, however fast loads get.
 */
const BULK_TRIPS = 300_000;
let reference: string;
let referenceSnapshot: Record<string, string>;
const outcomes: string[] = [];

beforeAll(async () => {
  s = scratch();
  const bulk = join(s.dir, 'exports', 'bulk');
  write(bulk, 'vehicle_trips/GS-2024-04.csv', tripLines('GS', 4, BULK_TRIPS));
  exports = { ...writeSmallExports(join(s.dir, 'exports')), bulk };
  reference = join(s.dir, 'reference.duckdb');
  for (const batch of [exports.first, exports.second, exports.bulk]) expect(steward(['load', batch, '--db', reference, '--quiet']).status).toBe(0);
  referenceSnapshot = await snapshot(reference);
});
afterAll(() => {
  console.log(`concurrency: ${outcomes.length} scenarios\n${outcomes.map((o) => '  ' + o).join('\n')}`);
  s.dispose();
});

/** Resolves once `text()` matches, polling. */
async function until(text: () => string, re: RegExp, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!re.test(text())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function loadInBackground(db: string) {
  let stdout = '';
  const p = stewardAsync(['load', exports.first, exports.second, exports.bulk, '--db', db]);
  p.child.stdout.on('data', (b) => (stdout += b));
  return { ...p, started: () => until(() => stdout, /\[ ?1\/\d+\] /, 'the first load to commit a file') };
}

describe('two steward processes on one warehouse', () => {
  it('a second load waits for the first, then finds every file already loaded', async () => {
    const db = join(s.dir, 'two-loads.duckdb');
    const a = loadInBackground(db);
    await a.started();
    const b = stewardAsync(['load', exports.first, exports.second, exports.bulk, '--db', db], { STEWARD_LOCK_WAIT_MS: '60000' });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(rb.stderr).toMatch(new RegExp(`waiting for the warehouse .*two-loads\\.duckdb: in use by another steward process \\(pid ${a.child.pid}\\)`));
    expect(rb.stdout).toMatch(/19 files, 19 unchanged since an earlier load/);
    expect(await invariantViolations(db)).toEqual([]);
    expect(await snapshot(db)).toEqual(referenceSnapshot);
    outcomes.push(`load + load: the second waited for pid ${a.child.pid}, then found all 19 files loaded; warehouse identical to one load`);
  });

  it('a load told not to wait stops with a message naming the holder, and the first completes', async () => {
    const db = join(s.dir, 'no-wait.duckdb');
    const a = loadInBackground(db);
    await a.started();
    const b = steward(['load', exports.second, '--db', db], { env: { STEWARD_LOCK_WAIT_MS: '0' } });
    expect(b.status).toBe(1);
    expect(b.stderr.trim()).toBe(`steward load: the warehouse ${db} is in use by another steward process (pid ${a.child.pid}); try again when it finishes`);
    expect(b.stderr + b.stdout).not.toMatch(STACK);
    const ra = await a.done;
    expect(ra.code).toBe(0);
    expect(await invariantViolations(db)).toEqual([]);
    expect(await snapshot(db)).toEqual(referenceSnapshot);
    outcomes.push(`load + load (STEWARD_LOCK_WAIT_MS=0): "${b.stderr.trim().replace(s.dir, '…')}"`);
  });

  it('a query during a load waits and reads the state after it, never half of it', async () => {
    const db = join(s.dir, 'read-during-load.duckdb');
    const a = loadInBackground(db);
    await a.started();
    const q = steward(['query', '--db', db, '--format', 'json', 'select (select count(*) from meta.load_ledger)::INT as files, (select count(*) from raw.vehicle_trips)::INT as trips'], { env: { STEWARD_LOCK_WAIT_MS: '60000' } });
    expect(q.status, q.stderr).toBe(0);
    expect(q.stderr).toMatch(/waiting for the warehouse/);
    const [{ files, trips }] = JSON.parse(q.stdout);
    await a.done;
    // 19 files; trips per unit: January 40 - 4 quarantined, March 60 - 6, and the corrected
    // February 45 - 5, which replaces the first February's rows; and GS's bulk April.
    expect(files).toBe(19);
    expect(trips).toBe(2 * (40 - 4) + 2 * (60 - 6) + 2 * (45 - 5) + BULK_TRIPS - Math.floor(BULK_TRIPS / 9));
    expect(await snapshot(db)).toEqual(referenceSnapshot);
    outcomes.push(`query during a load: waited, then read ${files} files and ${trips} trips (the complete load)`);
  });

  it('the site-data build during a load waits for it, then reads the loaded warehouse', async () => {
    const db = join(s.dir, 'build-during-load.duckdb');
    const a = loadInBackground(db);
    await a.started();
    const out = join(s.dir, 'site-data');
    const build = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/site-data.ts'), '--db', db, '--out', out], { cwd: ROOT, env: { ...process.env, STEWARD_LOCK_WAIT_MS: '60000' } });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (b) => (stdout += b));
      c.stderr.on('data', (b) => (stderr += b));
      c.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    await a.done;
    expect(build.stdout + build.stderr).not.toMatch(STACK);
    expect(build.stderr, 'the build must wait for the load (use attachWarehouse from warehouse/db.ts)').not.toMatch(/Could not set lock/);
    expect(build.code, build.stderr).toBe(0);
    expect(await snapshot(db)).toEqual(referenceSnapshot);
    outcomes.push(`site-data build during a load: ${build.stderr.includes('waiting') ? 'waited, then ' : ''}built`);
  });

  it('a load started while a reader holds the warehouse waits for the reader', async () => {
    const db = join(s.dir, 'load-during-read.duckdb');
    copyWarehouse(reference, db);
    // The reader: a process holding the warehouse open read-only until its stdin closes.
    const reader = spawn(process.execPath, ['--import', 'tsx', '-e', `const { openWarehouse } = await import(${JSON.stringify(join(ROOT, 'warehouse/db.ts'))}); const w = await openWarehouse(${JSON.stringify(db)}, { readOnly: true }); console.log('open'); process.stdin.resume(); await new Promise((r) => process.stdin.on('end', r)); w.close();`], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let said = '';
    reader.stdout.on('data', (b) => (said += b));
    await until(() => said, /open/, 'the reader to open the warehouse');
    const corrected = join(exports.second, 'vehicle_trips', 'GS-2024-02-corrected.csv');
    let loadErr = '';
    const load = stewardAsync(['load', corrected, '--db', db], { STEWARD_LOCK_WAIT_MS: '60000' });
    load.child.stderr.on('data', (b) => (loadErr += b));
    await until(() => loadErr, /waiting for the warehouse .*in use by another steward process/, 'the load to wait for the reader');
    const closed = new Promise<void>((r) => reader.on('close', () => r()));
    reader.stdin.end();
    await closed;
    const r = await load.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already loaded/);
    expect(await invariantViolations(db)).toEqual([]);
    expect(await snapshot(db)).toEqual(referenceSnapshot);
    outcomes.push('load during a read: the load waited for the reader to close, then ran');
  });
});

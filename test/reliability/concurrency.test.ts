/**
 * Two processes, one warehouse. DuckDB lets one process write a file (or several read it), so a
 * second steward command waits for the first (STEWARD_LOCK_WAIT_MS, default 30 s) and then runs,
 * or stops with a message naming the process that holds the warehouse. Nothing is corrupted, and
 * a reader sees the warehouse before or after a load, never in between.
 *
 * The first load is held still just after its first commit (warehouse/events.ts), holding the
 * warehouse, until the second command has shown that it waits: the overlap is certain, not a race
 * won by a big enough file.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { HANG_MS, linesOf, waitFor } from '../helpers/wait.ts';
import { trips as tripLines, write, writeSmallExports } from './small-exports.ts';
import { ROOT, STACK, invariantViolations, snapshot, steward, stewardAsync, watched } from './warehouse-state.ts';
import { copyWarehouse } from './crash.ts';

let s: Scratch;
let exports: { first: string; second: string; bulk: string };
/** Trips of one month in a file of its own: a batch the held load has still to write. */
const BULK_TRIPS = 30_000;
/** Waiting for the warehouse is bounded only by the hang limit: the holder is released as soon as the waiter shows. */
const WAIT = { STEWARD_LOCK_WAIT_MS: String(HANG_MS) };
let reference: string;
let referenceSnapshot: Record<string, string>;
const outcomes: string[] = [];
const releases: (() => void)[] = [];

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
  // A test that failed half way must not leave its load held until the run ends.
  for (const release of releases) release();
  console.log(`concurrency: ${outcomes.length} scenarios\n${outcomes.map((o) => '  ' + o).join('\n')}`);
  s.dispose();
});

/** A load of all three batches that holds still, warehouse open, once it has committed its first batch. */
function heldLoad(db: string) {
  const events = `${db}.events`;
  const load = stewardAsync(['load', exports.first, exports.second, exports.bulk, '--db', db], { STEWARD_TEST_EVENTS: events, STEWARD_TEST_PAUSE_AT: 'committed:' });
  const release = () => writeFileSync(`${events}.resume`, '');
  releases.push(release);
  return {
    ...load,
    release,
    held: () => waitFor(() => load.exited() || linesOf(events).some((l) => l.startsWith('committed:')), 'the first load to commit its first batch'),
  };
}

/** Resolves once a waiting process has said that it waits for the warehouse (or has ended). */
const waiting = (p: { stderr: () => string; exited: () => boolean }, who: string) =>
  waitFor(() => p.exited() || /waiting for the warehouse/.test(p.stderr()), `${who} to wait for the warehouse`);

describe('two steward processes on one warehouse', () => {
  it('a second load waits for the first, then finds every file already loaded', async () => {
    const db = join(s.dir, 'two-loads.duckdb');
    const a = heldLoad(db);
    await a.held();
    const b = stewardAsync(['load', exports.first, exports.second, exports.bulk, '--db', db], WAIT);
    await waiting(b, 'the second load');
    a.release();
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
    const a = heldLoad(db);
    await a.held();
    const b = steward(['load', exports.second, '--db', db], { env: { STEWARD_LOCK_WAIT_MS: '0' } });
    a.release();
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
    const a = heldLoad(db);
    await a.held();
    const query = stewardAsync(['query', '--db', db, '--format', 'json', 'select (select count(*) from meta.load_ledger)::INT as files, (select count(*) from raw.vehicle_trips)::INT as trips'], WAIT);
    await waiting(query, 'the query');
    a.release();
    const q = await query.done;
    expect(q.code, q.stderr).toBe(0);
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
    const a = heldLoad(db);
    await a.held();
    const out = join(s.dir, 'site-data');
    const building = watched(spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/site-data.ts'), '--db', db, '--out', out], { cwd: ROOT, env: { ...process.env, ...WAIT } }));
    await waiting(building, 'the site-data build');
    a.release();
    const build = await building.done;
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
    await waitFor(() => /open/.test(said), 'the reader to open the warehouse');
    const corrected = join(exports.second, 'vehicle_trips', 'GS-2024-02-corrected.csv');
    const load = stewardAsync(['load', corrected, '--db', db], WAIT);
    await waitFor(() => /waiting for the warehouse .*in use by another steward process/.test(load.stderr()), 'the load to wait for the reader');
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

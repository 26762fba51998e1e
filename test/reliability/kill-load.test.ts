/**
 * Crash safety of `steward load`: killed with SIGKILL at seeded random moments while loading a
 * set of files that inserts, quarantines and supersedes rows. Each batch of files is one
 * transaction, so a kill leaves whole files or nothing, and loading again completes the set exactly.
 * STEWARD_KILL_LOAD_ROUNDS and STEWARD_KILL_SEED change the number of rounds and the moments.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { copyWarehouse, envInt, killRounds } from './crash.ts';
import { writeSmallExports } from './small-exports.ts';
import { snapshot, steward } from './warehouse-state.ts';

const ROUNDS = envInt('STEWARD_KILL_LOAD_ROUNDS', 10);
const SEED = envInt('STEWARD_KILL_SEED', 20240601);

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

describe('steward load killed at random moments', () => {
  it(`keeps every ledger entry whole and re-runs to the uninterrupted result (${ROUNDS} rounds, seed ${SEED})`, async () => {
    const { first, second } = writeSmallExports(join(s.dir, 'exports'));
    const base = join(s.dir, 'base.duckdb');
    expect(steward(['load', first, '--db', base, '--quiet']).status).toBe(0);
    const reference = join(s.dir, 'reference.duckdb');
    copyWarehouse(base, reference);
    const started = performance.now();
    const r = steward(['load', second, '--db', reference, '--quiet']);
    const ms = performance.now() - started;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The batch supersedes the first batch's February: the kill can land in a replacement.
    expect(r.stdout).toMatch(/vehicle_trips\s+4 files/);
    const lines = await killRounds({
      label: 'load', base, db: join(s.dir, 'round.duckdb'), rounds: ROUNDS, seed: SEED,
      args: (db) => ['load', second, '--db', db, '--quiet'],
      expected: { snapshot: await snapshot(reference), status: 0, ms },
      progress: { sql: 'select count(*) as n from meta.load_ledger', total: 6, unit: 'files' },
    });
    console.log(`steward load kill test: ${ROUNDS} rounds (seed ${SEED}), uninterrupted load ${Math.round(ms)} ms\n${lines.map((l) => '  ' + l).join('\n')}`);
  });
});

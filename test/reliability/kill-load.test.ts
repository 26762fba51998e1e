/**
 * Crash safety of `steward load`: killed with SIGKILL at seeded random steps (crash.ts) while
 * loading a set of files that inserts, quarantines and supersedes rows. Each batch of files is one
 * transaction, so a kill leaves whole files or nothing, and loading again completes the set exactly.
 * STEWARD_KILL_LOAD_ROUNDS and STEWARD_KILL_SEED change the number of rounds and the steps.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { envInt, killRounds, uninterrupted } from './crash.ts';
import { writeSmallExports } from './small-exports.ts';
import { snapshot, steward } from './warehouse-state.ts';

const ROUNDS = envInt('STEWARD_KILL_LOAD_ROUNDS', 10);
const SEED = envInt('STEWARD_KILL_SEED', 20240601);

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

describe('steward load killed at random steps', () => {
  it(`keeps every ledger entry whole and re-runs to the uninterrupted result (${ROUNDS} rounds, seed ${SEED})`, async () => {
    const { first, second } = writeSmallExports(join(s.dir, 'exports'));
    const base = join(s.dir, 'base.duckdb');
    expect(steward(['load', first, '--db', base, '--quiet']).status).toBe(0);
    const args = (db: string) => ['load', second, '--db', db, '--quiet'];
    const reference = join(s.dir, 'reference.duckdb');
    const { run: r, steps } = uninterrupted(base, reference, args);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The batch supersedes the first batch's February: the kill can land in a replacement.
    expect(r.stdout).toMatch(/vehicle_trips\s+4 files/);
    const lines = await killRounds({
      label: 'load', base, db: join(s.dir, 'round.duckdb'), rounds: ROUNDS, seed: SEED,
      args,
      expected: { snapshot: await snapshot(reference), status: 0, steps },
      progress: { sql: 'select count(*) as n from meta.load_ledger', total: 6, unit: 'files' },
    });
    console.log(`steward load kill test: ${ROUNDS} rounds (seed ${SEED}) among the ${steps.length} steps of an uninterrupted load\n${lines.map((l) => '  ' + l).join('\n')}`);
  });
});

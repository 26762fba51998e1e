/**
 * Crash safety of `steward run`: the model build killed with SIGKILL at seeded random steps (crash.ts).
 * Each model is built in its own transaction with its state row, so a kill leaves every model
 * either at its previous build or its new one, the raw data and ledger untouched, and running
 * again builds exactly the tables an uninterrupted run builds.
 * STEWARD_KILL_RUN_ROUNDS and STEWARD_KILL_SEED change the number of rounds and the steps.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { envInt, killRounds, uninterrupted } from './crash.ts';
import { writeSmallExports } from './small-exports.ts';
import { builtModels, snapshot, steward } from './warehouse-state.ts';

const ROUNDS = envInt('STEWARD_KILL_RUN_ROUNDS', 8);
const SEED = envInt('STEWARD_KILL_SEED', 20240601);

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

describe('steward run killed at random steps', () => {
  it(`leaves every model whole and re-runs to the uninterrupted result (${ROUNDS} rounds, seed ${SEED})`, async () => {
    const { first, second } = writeSmallExports(join(s.dir, 'exports'));
    const base = join(s.dir, 'base.duckdb');
    for (const batch of [first, second]) expect(steward(['load', batch, '--db', base, '--quiet']).status).toBe(0);
    const args = (db: string) => ['run', '--db', db, '--as-of', '2024-03-31', '--quiet'];
    const reference = join(s.dir, 'reference.duckdb');
    const { run: r, steps } = uninterrupted(base, reference, args);
    const models = await builtModels(reference);
    expect(models.length).toBeGreaterThan(10);
    const lines = await killRounds({
      label: 'run', base, db: join(s.dir, 'round.duckdb'), rounds: ROUNDS, seed: SEED, args, models,
      expected: { snapshot: await snapshot(reference, { models }), status: r.status ?? -1, steps },
      progress: { sql: `select count(*) as n from duckdb_tables() where schema_name = 'main'`, total: models.length, unit: 'models' },
    });
    console.log(`steward run kill test: ${ROUNDS} rounds (seed ${SEED}) among the ${steps.length} steps of an uninterrupted run building ${models.length} models (exit ${r.status})\n${lines.map((l) => '  ' + l).join('\n')}`);
  });
});

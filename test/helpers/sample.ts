/**
 * The bundled sample warehouse, built once per test run the way `npm start` does (sample → load →
 * run), for the tests that check the product end to end: calibration against the published
 * figures, the planted faults, the dashboard. test/global-setup.ts starts the build with the run;
 * a test file that imports this module waits here until it is done, while the files that do not
 * need the sample run. Open it read-only. Empty `sampleDir` (STEWARD_SKIP_SAMPLE=1): no sample.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { all, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { buildOnce } from './run.ts';
import { HANG_MS } from './wait.ts';

async function buildSample(dir: string): Promise<void> {
  const r = spawnSync(process.execPath, ['bin/steward.js', 'pipeline', '--db', join(dir, 'warehouse.duckdb'), '--inbox', join(dir, 'inbox'), '--skip-tests'], {
    cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: HANG_MS, killSignal: 'SIGKILL',
  });
  if (r.status !== 0) {
    throw new Error(`building the sample warehouse ${r.signal ? `hung (stopped after ${HANG_MS / 1000} s)` : `failed (exit ${r.status})`}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
}

export const sampleDir = process.env.STEWARD_SAMPLE_DIR ? await buildOnce('sample-warehouse', buildSample) : '';
export const haveSample = sampleDir !== '' && existsSync(join(sampleDir, 'warehouse.duckdb'));

export async function openSample(): Promise<Warehouse> {
  return openWarehouse(join(sampleDir, 'warehouse.duckdb'), { readOnly: true });
}

export function sampleManifest<T = Record<string, unknown>>(): T {
  return JSON.parse(readFileSync(join(sampleDir, 'inbox', '_manifest.json'), 'utf8')) as T;
}

export const q = all;

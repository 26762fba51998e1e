/**
 * Once per test run: a scratch folder for the run (test-results/run-<pid>, removed at the end),
 * and in it the bundled sample warehouse, built the way `npm start` does (sample → load → run),
 * for the tests that check the product end to end: calibration against the published figures,
 * the planted faults, the dashboard. Tests find it through STEWARD_SAMPLE_DIR and open it
 * read-only. The built site the tests read (test/helpers/shared-site.ts) starts building here as
 * soon as the sample is in, while the first test files run.
 *
 * STEWARD_SKIP_SAMPLE=1 skips both (the tests that need the sample are skipped; a site is built
 * when a test first asks for it).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { HANG_MS } from './helpers/wait.ts';

/** One folder per run, so two test runs at once never rebuild each other's files away. */
export const RUN_DIR = resolve(`test-results/run-${process.pid}`);
export const SAMPLE_DIR = join(RUN_DIR, 'sample');

export default function setup() {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  process.env.STEWARD_TEST_RUN_DIR = RUN_DIR;
  process.env.STEWARD_SAMPLE_DIR = '';
  const teardown = () => rmSync(RUN_DIR, { recursive: true, force: true });
  if (!existsSync('sample/cli.ts') || process.env.STEWARD_SKIP_SAMPLE) return teardown;

  mkdirSync(SAMPLE_DIR, { recursive: true });
  const inbox = join(SAMPLE_DIR, 'inbox');
  const db = join(SAMPLE_DIR, 'warehouse.duckdb');
  const started = Date.now();
  const r = spawnSync(process.execPath, ['bin/steward.js', 'pipeline', '--db', db, '--inbox', inbox, '--skip-tests'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: HANG_MS, killSignal: 'SIGKILL' });
  if (r.status !== 0) {
    throw new Error(`building the sample warehouse ${r.signal ? `hung (stopped after ${HANG_MS / 1000} s)` : `failed (exit ${r.status})`}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
  console.log(`sample warehouse built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${db}`);
  process.env.STEWARD_SAMPLE_DIR = SAMPLE_DIR;
  // The site builds while the first test files run; a failure is recorded where the tests that ask for it find it.
  const site = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/shared-site.ts', 'sample'], { stdio: 'ignore', env: process.env });
  return () => {
    if (site.exitCode === null && site.signalCode === null) site.kill('SIGKILL');
    teardown();
  };
}

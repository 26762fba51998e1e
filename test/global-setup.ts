/**
 * Builds the bundled sample warehouse once per test run, the way `npm start` does (sample →
 * load → run), for the tests that check the product end to end: calibration against the
 * published figures, the planted faults, the dashboard. Tests find it through
 * STEWARD_SAMPLE_DIR and open it read-only.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

/** One folder per run, so two test runs at once never rebuild each other's warehouse away. */
export const SAMPLE_DIR = resolve(`test-results/sample-${process.pid}`);

export default function setup({ provide }: { provide?: (key: string, value: unknown) => void } = {}) {
  void provide;
  if (!existsSync('sample/cli.ts') || process.env.STEWARD_SKIP_SAMPLE) {
    process.env.STEWARD_SAMPLE_DIR = '';
    return;
  }
  rmSync(SAMPLE_DIR, { recursive: true, force: true });
  mkdirSync(SAMPLE_DIR, { recursive: true });
  const inbox = join(SAMPLE_DIR, 'inbox');
  const db = join(SAMPLE_DIR, 'warehouse.duckdb');
  const started = Date.now();
  const r = spawnSync(process.execPath, ['bin/steward.js', 'pipeline', '--db', db, '--inbox', inbox, '--skip-tests'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(`building the sample warehouse failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
  console.log(`sample warehouse built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${db}`);
  process.env.STEWARD_SAMPLE_DIR = SAMPLE_DIR;
  return () => rmSync(SAMPLE_DIR, { recursive: true, force: true });
}

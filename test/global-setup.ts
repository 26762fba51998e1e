/**
 * Once per test run: the run's folder (test-results/run-<pid>, removed at the end; see
 * test/helpers/run.ts), and the builds the test files share, started at once in processes of their
 * own: the bundled sample warehouse (test/helpers/sample.ts) and the site built from it
 * (test/helpers/shared-site.ts, which waits for the warehouse). The test files that need neither
 * run meanwhile; those that do wait for them. STEWARD_SKIP_SAMPLE=1 skips the sample (the tests that need it are skipped)
 * and starts no build ahead (a site is built when a test first asks for it).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { sharedDir } from './helpers/run.ts';

/** One folder per run, so two test runs at once never rebuild each other's files away. */
export const RUN_DIR = resolve(`test-results/run-${process.pid}`);

export default function setup() {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  process.env.STEWARD_TEST_RUN_DIR = RUN_DIR;
  const sample = existsSync('sample/cli.ts') && !process.env.STEWARD_SKIP_SAMPLE;
  process.env.STEWARD_SAMPLE_DIR = sample ? sharedDir('sample-warehouse') : '';
  // A build's failure is recorded where the tests that ask for it find it; their output is not needed.
  const builders = sample ? ['test/helpers/sample.ts', 'test/helpers/shared-site.ts'].map((script) => spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' })) : [];
  return () => {
    for (const b of builders) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
    rmSync(RUN_DIR, { recursive: true, force: true });
  };
}

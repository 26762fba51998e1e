/**
 * This test run's folder (test-results/run-<pid>, made and removed by test/global-setup.ts) and
 * what is built in it once for all test files: the first process to ask builds, the others wait
 * for it. test/global-setup.ts starts the builds at the beginning of the run, in processes of
 * their own, so the test files that do not need them run meanwhile.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../warehouse/events.ts';
import { HANG_MS, waitFor } from './wait.ts';

/** This run's folder (inside the project: the site build resolves packages from node_modules). */
export function runDir(): string {
  const dir = process.env.STEWARD_TEST_RUN_DIR;
  if (!dir) throw new Error('STEWARD_TEST_RUN_DIR is not set: run the tests through vitest (test/global-setup.ts sets it)');
  return dir;
}

/** A folder of this run for one test file's own scratch work, emptied first. */
export function runScratch(name: string): string {
  const dir = join(runDir(), 'own', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The folder of a shared build: what `build` writes goes there. */
export function sharedDir(name: string): string {
  return join(runDir(), 'shared', name);
}

/**
 * Runs `build(dir)` if no process of this run has started it, else waits until the one that did
 * has finished (or failed, or died). Resolves to the build's folder; rejects with the builder's
 * error when it failed.
 */
export async function buildOnce(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = sharedDir(name);
  const marker = (m: 'builder' | 'ready' | 'failed') => join(dir, `.${m}`);
  mkdirSync(join(dir, '..'), { recursive: true });
  let mine = true;
  try {
    mkdirSync(dir); // atomic: exactly one process gets to build
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    mine = false;
  }
  if (mine) {
    writeFileSync(marker('builder'), String(process.pid));
    const started = performance.now();
    try {
      await build(dir);
    } catch (e) {
      writeFileSync(marker('failed'), (e as Error).stack ?? String(e));
      throw e;
    }
    writeFileSync(marker('ready'), ((performance.now() - started) / 1000).toFixed(1));
    return dir;
  }
  const builder = () => Number(existsSync(marker('builder')) ? readFileSync(marker('builder'), 'utf8') : NaN);
  // The builder's own commands stop at HANG_MS and report it: a waiter gives them time to.
  await waitFor(() => existsSync(marker('ready')) || existsSync(marker('failed')) || (builder() > 0 && !isAlive(builder())), `the shared ${name} (built by pid ${builder() || '?'} in ${dir})`, 2 * HANG_MS);
  if (existsSync(marker('ready'))) return dir;
  if (existsSync(marker('failed'))) throw new Error(`building the shared ${name} failed in pid ${builder()}:\n${readFileSync(marker('failed'), 'utf8')}`);
  throw new Error(`pid ${builder()} ended without finishing the shared ${name} in ${dir}`);
}

/** Seconds each finished shared build took, for the run's summary. */
export function sharedBuildTimes(): { name: string; seconds: number }[] {
  const root = join(process.env.STEWARD_TEST_RUN_DIR ?? '', 'shared');
  if (!process.env.STEWARD_TEST_RUN_DIR || !existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((n) => existsSync(join(root, n, '.ready')))
    .map((name) => ({ name, seconds: Number(readFileSync(join(root, name, '.ready'), 'utf8')) }));
}

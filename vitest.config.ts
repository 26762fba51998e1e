import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.ts';

/**
 * No test is timed: a test or hook is stopped only when it hangs. Every wait and command inside a
 * test has its own bound (HANG_MS in test/helpers/wait.ts, 20 minutes) that names what it waited
 * for; this one, above it, only catches what has no such wait.
 */
const HANG = 60 * 60_000;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'sql/tests/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: HANG,
    hookTimeout: HANG,
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    reporters: ['default', './test/summary-reporter.ts'],
    globalSetup: ['./test/global-setup.ts'],
  },
});

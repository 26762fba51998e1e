/**
 * Ends every run with the ten slowest tests — a file's own setup (importing it, its beforeAll and
 * afterAll hooks) counted as one entry, since that is where shared builds are waited for — how long
 * each shared build took, and one plain line, `Tests: N passed, N failed, N skipped`, that CI
 * systems read regardless of the runner.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { sharedBuildTimes } from './helpers/run.ts';

const SLOWEST = 10;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const timed: { ms: number; name: string }[] = [];
    for (const m of modules) {
      const file = relative(process.cwd(), m.moduleId);
      let inTests = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const ms = t.diagnostic()?.duration ?? 0;
        inTests += ms;
        timed.push({ ms, name: `${file} > ${t.fullName}` });
      }
      // A file that failed to load, or whose setup failed, is a failure even when no test ran.
      if (m.state() === 'failed' && ![...m.children.allTests()].some((t) => t.result().state === 'failed')) failed++;
      const d = m.diagnostic();
      timed.push({ ms: d.collectDuration + Math.max(0, d.duration - inTests), name: `${file} (import, beforeAll and afterAll)` });
    }
    const slowest = timed.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST).filter((t) => t.ms > 0);
    if (slowest.length) {
      process.stdout.write(`\nSlowest ${slowest.length}:\n${slowest.map((t) => `${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.name}`).join('\n')}\n`);
    }
    const built = sharedBuildTimes();
    if (built.length) process.stdout.write(`Built once for the run: ${built.map((b) => `${b.name} ${b.seconds.toFixed(1)} s`).join(', ')}\n`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

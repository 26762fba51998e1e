/**
 * The order test files start in. Vitest orders by the durations it recorded on an earlier run;
 * on a first run (a fresh clone, CI) it has none and starts the largest files first, which leaves
 * the kill tests — small files that run longest — for the end while the other worker idles. Until
 * there are durations, the files below (longest first, as measured, those that need the sample
 * after those that do not) start before all others.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST_FIRST = [
  // Long files that do not need the sample, so both workers are busy while it builds…
  'test/reliability/corpus.test.ts',
  'test/reliability/kill-run.test.ts',
  'test/reliability/kill-load.test.ts',
  'test/reliability/incremental.test.ts',
  'test/site-personal.test.ts',
  // …then the long ones that read it and its site.
  'test/browser-readable.test.ts',
  'test/browser-site.test.ts',
  'test/site-sample.test.ts',
  'test/engine-analyst-guide.test.ts',
  'test/briefing.test.ts',
  'test/browser-safety.test.ts',
  'test/reliability/determinism.test.ts',
  'test/reliability/concurrency.test.ts',
]

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (f: TestSpecification) => relative(this.ctx.config.root, f.moduleId);
    if (files.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${path(f)}`))) return sorted;
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(path(f));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

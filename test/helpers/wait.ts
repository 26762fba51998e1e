/**
 * Waiting in tests: on the condition itself (a file written, a line printed, a lock taken), never
 * for a number of seconds. Every wait, and every command a test runs, has the same outer bound,
 * HANG_MS (20 minutes), far beyond what any step takes on a busy machine (the longest, building
 * the sample warehouse, took 7.5 minutes at a load average of 21 on 2 cores; 20 s when idle): it
 * only turns a real hang into a failure that says what it waited for. STEWARD_TEST_HANG_MS
 * changes it (lower it while debugging a hang; raise it on a slower machine).
 */
import { existsSync, readFileSync } from 'node:fs';

const given = Number(process.env.STEWARD_TEST_HANG_MS);
export const HANG_MS = Number.isFinite(given) && given > 0 ? given : 20 * 60_000;

/**
 * Resolves once `ready()` is true, checking every few milliseconds; rejects after `bound` (HANG_MS
 * unless the thing waited for has a bound of its own to report first), naming `what`.
 */
export async function waitFor(ready: () => boolean | Promise<boolean>, what: string, bound = HANG_MS): Promise<void> {
  const deadline = Date.now() + bound;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${bound / 1000} s: a hang (STEWARD_TEST_HANG_MS sets the bound)`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** The lines of a file another process appends to (none while it does not exist yet). */
export function linesOf(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // A line is only complete once its newline is written.
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
}

/**
 * Steps of a load or a model run, for the crash and concurrency tests: they stop or kill a steward
 * process at a chosen step (a batch's transaction opened, a model committed) instead of after a
 * guessed delay, so what they test does not depend on how fast the machine is.
 *
 *   STEWARD_TEST_EVENTS=FILE   append one line per step to FILE as soon as the step is done
 *   STEWARD_TEST_PAUSE_AT=N    also hold still after the N-th step (or the first whose line starts
 *                              with N, when N is not a number) until FILE.resume exists, the
 *                              process that started this one is gone, or a test would call it a hang
 *
 * Off by default: unset, a step costs one comparison.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const eventsFile = process.env.STEWARD_TEST_EVENTS?.trim() || undefined;
const pauseAt = process.env.STEWARD_TEST_PAUSE_AT?.trim() || undefined;
let steps = 0;

/** Marks a step; `what` is one line saying what has just been done. */
export function step(what: string): void {
  if (!eventsFile) return;
  steps++;
  appendFileSync(eventsFile, `${what.replace(/\s+/g, ' ')}\n`);
  if (pauseAt && (/^\d+$/.test(pauseAt) ? steps === Number(pauseAt) : what.startsWith(pauseAt))) hold(eventsFile);
}

/**
 * Blocks the whole process, DuckDB's locks held, until released or orphaned, and at most as long
 * as a test waits for anything (STEWARD_TEST_HANG_MS, else 20 minutes); then it carries on.
 */
function hold(file: string): void {
  const until = Date.now() + (Number(process.env.STEWARD_TEST_HANG_MS) || 20 * 60_000);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(`${file}.resume`) && !orphaned() && Date.now() < until) Atomics.wait(cell, 0, 0, 20);
}

/**
 * Whether the process that started this one has ended. process.ppid is read once, when Node
 * starts (already 1 when the parent was gone by then); the current parent is in /proc.
 */
function orphaned(): boolean {
  if (process.ppid === 1) return true;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.ppid;
  } catch {
    return !isAlive(process.ppid);
  }
}

/** Whether a process of that id is running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Steps of a load or a model run, for the crash and concurrency tests: they stop or kill a steward
 * process at a chosen step (a batch's transaction opened, a model committed) instead of after a
 * guessed delay, so what they test does not depend on how fast the machine is.
 *
 *   STEWARD_TEST_EVENTS=FILE   append one line per step to FILE as soon as the step is done
 *   STEWARD_TEST_PAUSE_AT=N    also hold still after the N-th step (or the first whose line starts
 *                              with N, when N is not a number) until FILE.resume exists or the
 *                              process that started this one is gone
 *
 * Off by default: unset, a step costs one comparison.
 */
import { appendFileSync, existsSync } from 'node:fs';

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

/** Blocks the whole process, DuckDB's locks held, until released or orphaned (then it carries on). */
function hold(file: string): void {
  const parent = process.ppid;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(`${file}.resume`) && isAlive(parent)) Atomics.wait(cell, 0, 0, 20);
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

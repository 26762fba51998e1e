/**
 * STEWARD_PROFILE=1 prints how long each step of a load or a model run takes, and the process's
 * memory after it, on stderr. Off by default: the laps then cost nothing.
 */
const profile = process.env.STEWARD_PROFILE
  ? (label: string, since: number) => {
      const { rss, heapTotal } = process.memoryUsage();
      console.error(`  ${label}: ${((performance.now() - since) / 1000).toFixed(2)} s, RSS ${Math.round(rss / 2 ** 20)} MiB, JS heap ${Math.round(heapTotal / 2 ** 20)} MiB`);
    }
  : () => {};

/** Laps for STEWARD_PROFILE: each call reports the time since the previous one. */
export function stopwatch(): (label: string) => void {
  let mark = performance.now();
  return (label) => {
    profile(label, mark);
    mark = performance.now();
  };
}

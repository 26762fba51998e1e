/**
 * Bench step: the XLSX reader alone (loaders/xlsx.ts readXlsxRowBatches, as the loader reads it)
 * streaming every row of a workbook without keeping them, to tell the reader's own memory from the
 * staged rows DuckDB holds during a load. What it must keep is the workbook's shared-string table, if it has one.
 *
 * Peak RSS also counts garbage V8 has not collected yet, which depends on its heuristics as much
 * as on the reader. With --live-heap N the step collects garbage every N rows and reports the
 * largest heap still in use: what the reader really holds. Those collections cost time, so the
 * bench takes the speed from a run without them.
 *
 *   node --import tsx bench/steps/xlsx-read.ts --file PATH [--live-heap 10000]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { readXlsxRowBatches } from '../../loaders/xlsx.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { file: { type: 'string' }, 'live-heap': { type: 'string' } } });
if (!values.file) throw new Error('usage: xlsx-read.ts --file PATH [--live-heap N]');
const every = Number(values['live-heap'] ?? 0);
let collect: (() => void) | undefined;
if (every > 0) {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
}
let liveHeapBytes = 0;
const sample = () => {
  collect!();
  liveHeapBytes = Math.max(liveHeapBytes, process.memoryUsage().heapUsed);
};
await warmPageCache(values.file);
const started = performance.now();
const cpu0 = process.cpuUsage();
let rows = 0;
let cells = 0;
for await (const batch of readXlsxRowBatches(values.file)) {
  for (const r of batch) {
    rows++;
    cells += r.cells.length;
    if (collect && rows % every === 0) sample();
  }
}
if (collect) sample();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, cells, maxRssBytes: process.resourceUsage().maxRSS * 1024,
  ...(collect ? { liveHeapBytes } : {}),
}));

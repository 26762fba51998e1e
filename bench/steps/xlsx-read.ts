/**
 * Bench step: the XLSX reader alone (loaders/xlsx.ts readXlsxRows) streaming every row of a
 * workbook without keeping them, to tell the reader's own memory from the staged rows DuckDB holds
 * during a load. What it must keep is the workbook's shared-string table.
 *
 *   node --import tsx bench/steps/xlsx-read.ts --file PATH
 */
import { parseArgs } from 'node:util';
import { readXlsxRows } from '../../loaders/xlsx.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
if (!values.file) throw new Error('usage: xlsx-read.ts --file PATH');
await warmPageCache(values.file);
const started = performance.now();
const cpu0 = process.cpuUsage();
let rows = 0;
let cells = 0;
for await (const r of readXlsxRows(values.file)) {
  rows++;
  cells += r.cells.length;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, cells, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

/**
 * Bench step: the loader's GBK → UTF-8 transcoding alone (loaders/sources.ts transcodeToUtf8, the
 * first thing a GBK load does), on a warm file, writing the UTF-8 copy to a scratch folder.
 *
 *   node --import tsx bench/steps/transcode.ts --file PATH
 */
import { parseArgs } from 'node:util';
import { scratchDir, transcodeToUtf8 } from '../../loaders/sources.ts';
import { warmPageCache } from './warm.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
if (!values.file) throw new Error('usage: transcode.ts --file PATH');
await warmPageCache(values.file);
const scratch = scratchDir();
try {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await transcodeToUtf8(values.file, 'gb18030', scratch.dir);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
} finally {
  scratch.dispose();
}

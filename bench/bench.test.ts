/** Unit tests of the bench harness's own logic: parsing, page data, tables, volumes. No timings. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch } from '../test/helpers/warehouse.ts';
import { exportsKey } from './data.ts';
import { lastJson, parseMaxRss } from './measure.ts';
import { pageDataOfBuild, registeredFiles } from './pagedata.ts';
import { displayWidth, fmtMiB, markdownTable, mbPerSecond, stepsTable } from './report.ts';
import { hoursIn, monthsIn, standinCounts } from './standin.ts';

describe('measure', () => {
  it('reads the peak RSS from GNU time -v output, in bytes', () => {
    const out = '\tCommand being timed: "node x"\n\tMaximum resident set size (kbytes): 523412\n\tAverage resident set size (kbytes): 0\n';
    expect(parseMaxRss(out)).toBe(523412 * 1024); // 535,973,888 bytes
    expect(parseMaxRss('Command exited with non-zero status 1\n')).toBeUndefined();
  });

  it('takes the last JSON line of a step, skipping log lines after it', () => {
    expect(lastJson<{ n: number }>('loading…\n{"n":1}\n{"n":2}\ndone\n')).toEqual({ n: 2 });
    expect(() => lastJson('no figures here\n')).toThrow(/printed no JSON result/);
  });
});

describe('page data', () => {
  const html = `<script type="module">
registerFile("./data/overview.json", {"name":"./data/overview.json","mimeType":"application/json","path":"./_file/data/overview.d3ed23b8.json","lastModified":1795836302000,"size":117364});
registerFile("./data/site.json", {"name":"./data/site.json","mimeType":"application/json","path":"./_file/data/site.01068ff3.json","lastModified":1795836302000,"size":10987});
</script>`;

  it('lists the files a built page registers with their sizes', () => {
    expect(registeredFiles(html)).toEqual([{ name: './data/overview.json', size: 117364 }, { name: './data/site.json', size: 10987 }]);
  });

  it('sums them per page of dist/, skipping Framework folders, largest first', () => {
    const s = scratch();
    const dist = s.dir;
    mkdirSync(join(dist, 'districts'));
    mkdirSync(join(dist, '_observablehq'));
    writeFileSync(join(dist, 'index.html'), html);
    writeFileSync(join(dist, 'districts/YH.html'), html.replace(/117364/g, '500000'));
    writeFileSync(join(dist, '_observablehq/x.html'), html);
    try {
      expect(pageDataOfBuild(dist)).toEqual([
        { page: 'districts/YH', files: 2, bytes: 510987 }, // 500,000 + 10,987
        { page: 'index', files: 2, bytes: 128351 }, // 117,364 + 10,987
      ]);
    } finally {
      s.dispose();
    }
  });
});

describe('report', () => {
  it('counts CJK characters as two columns so tables line up in a terminal', () => {
    expect(displayWidth('load 出车')).toBe(9);
    const t = markdownTable(['步骤', 'n'], [['a', '1'], ['出车记录', '1,000']], [false, true]);
    const lines = t.split('\n');
    expect(lines[1]).toBe('|----------|------:|');
    // Columns 8 wide (出车记录) and 5 wide (1,000): '| ' + 8 + ' | ' + 5 + ' |' = 20 on every line.
    expect(lines.map(displayWidth)).toEqual([20, 20, 20, 20]);
  });

  it('derives rates from rows, bytes and seconds', () => {
    expect(mbPerSecond(200_000_000, 2)).toBe(100);
    expect(fmtMiB(4 * 1024 ** 3)).toBe('4,096 MiB');
    const row = stepsTable([{ step: 'load', rows: 1_000_000, bytes: 110_000_000, seconds: 4, maxRssBytes: 512 * 1024 ** 2 }]).split('\n')[2];
    // 1,000,000 / 4 = 250,000 rows/s; 110 MB / 4 = 27.5 MB/s.
    expect(row).toMatch(/\| 1,000,000 \| 110\.0 \| +4\.00 \| +\| 250,000 \| 27\.5 \| +512 MiB \|/);
  });
});

describe('exports', () => {
  it('keeps scales, seeds and month ranges in separate folders', () => {
    expect(exportsKey({ scale: 74 }, 'steward sample')).toBe('sample-s74');
    expect(exportsKey({ scale: 0.2, seed: '7', range: { from: '2024-10', to: '2024-12' } }, 'stand-in (bench/standin.ts)')).toBe('standin-s0.2-seed7-2024-10-2024-12');
  });

  it('sizes the stand-in by months and hours of the range', () => {
    expect(monthsIn({ from: '2021-01', to: '2024-12' })).toBe(48);
    expect(hoursIn({ from: '2021-01', to: '2024-12' })).toBe(35_064); // 1,461 days × 24
    expect(hoursIn({ from: '2024-02', to: '2024-02' })).toBe(696); // leap February: 29 × 24
    // Scale 80: 125,000 × 80 = 10 million trips; 18 × 80 = 1,440 buildings × 35,064 h = 50,492,160 readings.
    expect(standinCounts(80)).toMatchObject({ vehicle_trips: 10_000_000, buildings: 1_440, energy_readings: 50_492_160, procurement: 1_000_000 });
    // A quarter is 3/48 of the trips.
    expect(standinCounts(1, { from: '2024-10', to: '2024-12' }).vehicle_trips).toBe(7_813);
  });
});

describe('CPU time', () => {
  it('adds user and system seconds from GNU time -v', async () => {
    const { parseCpuSeconds } = await import('./measure.ts');
    expect(parseCpuSeconds('\tUser time (seconds): 12.34\n\tSystem time (seconds): 1.50\n')).toBeCloseTo(13.84, 6);
    expect(parseCpuSeconds('\tUser time (seconds): 1.00\n')).toBeUndefined();
  });
});

/**
 * `npm run bench [-- --quick] [--scale N] [--seed S] [--from YYYY-MM --to YYYY-MM] [--dir DIR]
 *   [--skip-build] [--skip-pipeline] [--markdown FILE]`
 *
 * Measures Steward against the machine: each step runs as its own process (wall time, peak RSS
 * from GNU time), on exports written outside the repository and reused between runs. Prints one
 * Markdown table of figures and one of the goals of issue 6; --markdown also writes them to a file.
 */
import { cpus, freemem, loadavg, totalmem, tmpdir } from 'node:os';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureExports, sampleGeneratorAvailable } from './data.ts';
import { ensureFormatFiles, type FormatSizes } from './formats.ts';
import { lastJson, runMeasured, runTsStep, GNU_TIME, type StepResult } from './measure.ts';
import { pageDataOfBuild, pageDataOfSource, type PageData } from './pagedata.ts';
import { fmtInt, fmtMB, fmtMiB, fmtSeconds, goalsTable, markdownTable, mbPerSecond, rowsPerSecond, stepsTable, type Goal, type Row } from './report.ts';
import type { MonthRange } from './standin.ts';

interface Mode {
  name: 'quick' | 'full';
  scale: number;
  range?: MonthRange;
  formats: FormatSizes;
}

const QUICK: Mode = { name: 'quick', scale: 0.2, range: { from: '2024-10', to: '2024-12' }, formats: { csv: 200_000, gbk: 200_000, json: 50_000, xlsxSmall: 5_000, xlsx: 20_000 } };
// steward sample writes about 135,700 trips per unit of scale: 74 is about 10 million.
const FULL: Mode = { name: 'full', scale: 74, formats: { csv: 5_000_000, gbk: 2_000_000, json: 1_000_000, xlsxSmall: 50_000, xlsx: 200_000 } };
const GiB = 1024 ** 3;

interface LoadFigures { seconds: number; cpuSeconds: number; status: string; message?: string; rowsRead: number; rowsLoaded: number; rowsQuarantined: number; bytes: number; maxRssBytes: number }

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' }, scale: { type: 'string' }, seed: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      dir: { type: 'string' }, 'skip-build': { type: 'boolean' }, 'skip-pipeline': { type: 'boolean' }, markdown: { type: 'string' },
    },
  });
  const base = values.quick ? QUICK : FULL;
  const mode: Mode = {
    ...base,
    scale: values.scale ? Number(values.scale) : base.scale,
    range: values.from || values.to ? { from: values.from ?? '2021-01', to: values.to ?? '2024-12' } : values.scale ? undefined : base.range,
  };
  if (!(mode.scale > 0)) throw new Error(`--scale must be a positive number, not "${values.scale}"`);
  const root = resolve(values.dir ?? join(process.env.TMPDIR ?? tmpdir(), 'steward-bench'));
  mkdirSync(root, { recursive: true });
  const started = performance.now();
  const log = (s: string) => console.log(`[${fmtSeconds((performance.now() - started) / 1000).padStart(6)} s] ${s}`);
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const check = (what: string, r: StepResult) => {
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${(r.stderr || r.stdout).trim().split('\n').slice(-10).join('\n')}`);
    return r;
  };
  const steward = (args: string[], cwd?: string) => runMeasured(process.execPath, [resolve('bin/steward.js'), ...args], { cwd });

  const machine = machineLine();
  const command = `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`;
  log(`${command}`);
  log(machine);
  if (!existsSync(GNU_TIME)) notes.push(`${GNU_TIME} is missing (apt-get install time): peak RSS is only shown for steps that report their own.`);

  // 1. Exports
  const spec = { scale: mode.scale, seed: values.seed, range: mode.range };
  log(`exports at scale ${mode.scale}${mode.range ? ` for ${mode.range.from}…${mode.range.to}` : ''} under ${root}`);
  const exp = await ensureExports(root, spec, log);
  const inboxBytes = folderBytes(exp.inbox);
  if (exp.reused) log(`reusing the exports in ${exp.inbox} (same generator, scale, seed and months)`);
  if (!sampleGeneratorAvailable()) notes.push('Exports are the STAND-IN of bench/standin.ts (steward sample was not available): clean rows, one UTF-8 CSV per unit and month.');
  rows.push({ step: `generate exports (${exp.generator})`, bytes: inboxBytes.bytes, seconds: exp.step?.seconds, cpuSeconds: exp.step?.cpuSeconds, maxRssBytes: exp.step?.maxRssBytes, note: exp.reused ? `reused from an earlier run; ${inboxBytes.files} files` : `${inboxBytes.files} files` });

  // 2. Per-format load throughput on the same trips
  const fdir = join(root, `formats-${mode.formats.csv}-${mode.formats.gbk}-${mode.formats.json}-${mode.formats.xlsxSmall}-${mode.formats.xlsx}`);
  log(`format files under ${fdir}`);
  const fset = await ensureFormatFiles(fdir, mode.formats, log);
  // One work folder per export set, so a quick run never wipes the warehouse of a full one.
  const work = join(root, `work-${basename(dirname(exp.inbox))}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const baseDb = join(work, 'formats-base.duckdb');
  check('loading the vehicles of the format files', await steward(['load', fset.vehicles, '--db', baseDb, '--quiet']));
  let csvLoad: LoadFigures | undefined;
  const xlsx: { rows: number; rss: number; readerRss: number; readerLive: number; rate: number }[] = [];
  for (const f of fset.files) {
    log(`load ${f.label}: ${fmtInt(f.rows)} rows, ${fmtMB(f.bytes)} MB`);
    const r = check(`loading ${f.path}`, await runTsStep('bench/steps/load-file.ts', ['--base', baseDb, '--db', join(work, 'format.duckdb'), '--file', f.path]));
    const fig = lastJson<LoadFigures>(r.stdout);
    if (fig.status !== 'loaded' || fig.rowsLoaded !== f.rows) notes.push(`${f.label} ${f.path}: ${fig.status}, ${fig.rowsLoaded} of ${f.rows} rows loaded ${fig.message ?? ''}`);
    const rate = rowsPerSecond(fig.rowsRead, fig.seconds);
    let note = '';
    if (f.key === 'csv') csvLoad = fig;
    if (f.key === 'gbk') note = 'transcoding, then the same work as UTF-8';
    rows.push({ step: `load ${f.label} (${fmtInt(f.rows)} trips)`, rows: fig.rowsRead, bytes: fig.bytes, seconds: fig.seconds, cpuSeconds: fig.cpuSeconds, maxRssBytes: r.maxRssBytes ?? fig.maxRssBytes, note: note || `process ${fmtSeconds(r.seconds)} s end to end` });
    if (f.key === 'xlsx' || f.key === 'xlsxSmall') {
      log(`XLSX reader alone: ${fmtInt(f.rows)} rows`);
      const x = check('XLSX reader', await runTsStep('bench/steps/xlsx-read.ts', ['--file', f.path]));
      const xf = lastJson<{ seconds: number; cpuSeconds: number; rows: number; maxRssBytes: number }>(x.stdout);
      const readerRss = x.maxRssBytes ?? xf.maxRssBytes;
      // Again, collecting garbage as it goes: the heap the reader really holds, apart from garbage.
      const live = lastJson<{ liveHeapBytes: number }>(check('XLSX reader, live heap', await runTsStep('bench/steps/xlsx-read.ts', ['--file', f.path, '--live-heap', '10000'])).stdout);
      xlsx.push({ rows: f.rows, rss: r.maxRssBytes ?? fig.maxRssBytes, readerRss, readerLive: live.liveHeapBytes, rate });
      rows.push({ step: '  of which the XLSX reader alone', rows: xf.rows, bytes: f.bytes, seconds: xf.seconds, cpuSeconds: xf.cpuSeconds, maxRssBytes: readerRss, note: `loaders/xlsx.ts readXlsxRowBatches, rows not kept; live heap ${fmtMiB(live.liveHeapBytes)}` });
    }
    if (f.key === 'gbk') {
      log('GBK → UTF-8 transcoding alone');
      const tr = check('transcoding', await runTsStep('bench/steps/transcode.ts', ['--file', f.path]));
      const tf = lastJson<{ seconds: number; cpuSeconds: number; maxRssBytes: number }>(tr.stdout);
      const rate = mbPerSecond(f.bytes, tf.seconds);
      rows.push({ step: '  of which GBK → UTF-8 transcoding', bytes: f.bytes, seconds: tf.seconds, cpuSeconds: tf.cpuSeconds, maxRssBytes: tr.maxRssBytes ?? tf.maxRssBytes, note: 'loaders/sources.ts transcodeToUtf8 alone' });
      goals.push({ goal: 'GBK transcoding', target: '≥ 100 MB/s', measured: `${rate.toFixed(1)} MB/s (whole GBK load ${mbPerSecond(fig.bytes, fig.seconds).toFixed(1)} MB/s)`, met: rate >= 100 });
    }
    if (f.key === 'csv') {
      log(`bare DuckDB read_csv of the same file`);
      const b = check('bare read_csv', await runTsStep('bench/steps/bare-read-csv.ts', ['--db', join(work, 'bare.duckdb'), '--file', f.path]));
      const bare = lastJson<{ seconds: number; cpuSeconds: number; rows: number; maxRssBytes: number }>(b.stdout);
      const ratio = bare.seconds / fig.seconds;
      rows.push({ step: `bare DuckDB read_csv, same file`, rows: bare.rows, bytes: f.bytes, seconds: bare.seconds, cpuSeconds: bare.cpuSeconds, maxRssBytes: b.maxRssBytes ?? bare.maxRssBytes, note: `loader at ${ratio.toFixed(2)}× this rate` });
      log(`bare read_csv numbering its rows`);
      const n = check('bare read_csv with row numbers', await runTsStep('bench/steps/bare-read-csv.ts', ['--db', join(work, 'bare.duckdb'), '--file', f.path, '--row-numbers']));
      const numbered = lastJson<{ seconds: number; cpuSeconds: number; rows: number; maxRssBytes: number }>(n.stdout);
      rows.push({ step: `  bare read_csv numbering its rows, same file`, rows: numbered.rows, bytes: f.bytes, seconds: numbered.seconds, cpuSeconds: numbered.cpuSeconds, maxRssBytes: n.maxRssBytes ?? numbered.maxRssBytes,
        note: `${(bare.seconds / numbered.seconds).toFixed(2)}× bare: row_number() over () reads on one thread` });
      log(`the same file inserted into Steward's raw table unchecked`);
      const u = check('unchecked insert', await runTsStep('bench/steps/one-pass-csv.ts', ['--base', baseDb, '--db', join(work, 'unchecked.duckdb'), '--file', f.path]));
      const floor = lastJson<{ seconds: number; cpuSeconds: number; keyCheckSeconds: number; rows: number; maxRssBytes: number }>(u.stdout);
      rows.push({ step: `  unchecked insert into raw, same file`, rows: floor.rows, bytes: f.bytes, seconds: floor.seconds, cpuSeconds: floor.cpuSeconds, maxRssBytes: u.maxRssBytes ?? floor.maxRssBytes,
        note: `${(bare.seconds / floor.seconds).toFixed(2)}× bare; its key check alone ${fmtSeconds(floor.keyCheckSeconds)} s` });
      log(`the same file in one pass with the row checks inline`);
      const c = check('single pass with row checks', await runTsStep('bench/steps/one-pass-csv.ts', ['--base', baseDb, '--db', join(work, 'one-pass.duckdb'), '--file', f.path, '--row-checks']));
      const onePass = lastJson<{ seconds: number; cpuSeconds: number; rows: number; maxRssBytes: number }>(c.stdout);
      rows.push({ step: `  one pass with row checks, same file`, rows: onePass.rows, bytes: f.bytes, seconds: onePass.seconds, cpuSeconds: onePass.cpuSeconds, maxRssBytes: c.maxRssBytes ?? onePass.maxRssBytes,
        note: `${(bare.seconds / onePass.seconds).toFixed(2)}× bare; no row numbers, quarantine or duplicates` });
      goals.push({ goal: 'UTF-8 CSV load vs bare read_csv', target: '≥ 0.8×', measured: `${ratio.toFixed(2)}× (${fmtInt(rowsPerSecond(fig.rowsRead, fig.seconds))} vs ${fmtInt(rowsPerSecond(bare.rows, bare.seconds))} rows/s); unchecked insert into raw ${(bare.seconds / floor.seconds).toFixed(2)}×, with row checks ${(bare.seconds / onePass.seconds).toFixed(2)}×, bare with row numbers ${(bare.seconds / numbered.seconds).toFixed(2)}×`, met: ratio >= 0.8 });
    }
  }
  if (xlsx.length === 2) {
    const [small, big] = xlsx.sort((a, b) => a.rows - b.rows);
    const growth = big.rss / small.rss;
    goals.push({ goal: 'XLSX load rate', target: '≥ 50,000 rows/s', measured: `${fmtInt(big.rate)} rows/s`, met: big.rate >= 50_000 });
    goals.push({ goal: 'XLSX memory flat in file size', target: `peak RSS at ${fmtInt(big.rows)} rows ≈ at ${fmtInt(small.rows)}`, measured: `${fmtMiB(small.rss)} → ${fmtMiB(big.rss)} (×${growth.toFixed(2)} for ×${(big.rows / small.rows).toFixed(0)} rows)`, met: growth < 1.25 });
    const readerGrowth = big.readerLive / small.readerLive;
    goals.push({ goal: 'XLSX reader memory flat in file size', target: `reader's live heap at ${fmtInt(big.rows)} rows ≈ at ${fmtInt(small.rows)}`,
      measured: `${fmtMiB(small.readerLive)} → ${fmtMiB(big.readerLive)} (×${readerGrowth.toFixed(2)}); peak RSS ${fmtMiB(small.readerRss)} → ${fmtMiB(big.readerRss)}`, met: readerGrowth < 1.25 });
  }

  // 3. The whole export set: load, run, test
  const db = join(work, 'warehouse.duckdb');
  log(`steward load of ${inboxBytes.files} files (${fmtMB(inboxBytes.bytes)} MB)`);
  const load = check('steward load', await steward(['load', exp.inbox, '--db', db, '--quiet']));
  const ledger = await ledgerTotals(db);
  rows.push({ step: 'steward load (all exports)', rows: ledger.read, bytes: inboxBytes.bytes, seconds: load.seconds, cpuSeconds: load.cpuSeconds, maxRssBytes: load.maxRssBytes, note: `${fmtInt(ledger.files)} files; ${fmtInt(ledger.quarantined)} rows quarantined; ${ledger.byTable}` });

  log('steward run (full build)');
  const run = check('steward run', await steward(['run', '--db', db, '--quiet']));
  rows.push({ step: 'steward run (full)', seconds: run.seconds, cpuSeconds: run.cpuSeconds, maxRssBytes: run.maxRssBytes, note: lastLine(run.stdout) });

  const slowest = await slowestModels(db);

  log('steward test');
  const test = await steward(['test', '--db', db, '--quiet']);
  rows.push({ step: 'steward test', seconds: test.seconds, cpuSeconds: test.cpuSeconds, maxRssBytes: test.maxRssBytes, note: lastLine(test.stdout) + (test.code ? ' (some tests failed)' : '') });

  // 4. One unit's corrected month arrives
  log('a corrected month of one unit arrives');
  const corr = lastJson<{ file: string; unit: string; month: string; rows: number }>(check('writing the correction', await runTsStep('bench/steps/correction.ts', ['--db', db, '--out', join(work, 'correction')])).stdout);
  const corrLoad = check('loading the correction', await steward(['load', corr.file, '--db', db, '--quiet']));
  rows.push({ step: `steward load (correction ${corr.unit} ${corr.month})`, rows: corr.rows, seconds: corrLoad.seconds, cpuSeconds: corrLoad.cpuSeconds, maxRssBytes: corrLoad.maxRssBytes });
  const inc = check('incremental steward run', await steward(['run', '--db', db, '--quiet']));
  const slowestInc = await slowestModels(db);
  const incRatio = inc.seconds / run.seconds;
  rows.push({ step: 'steward run (incremental)', seconds: inc.seconds, cpuSeconds: inc.cpuSeconds, maxRssBytes: inc.maxRssBytes, note: `${(incRatio * 100).toFixed(1)} % of the full run; ${lastLine(inc.stdout)}` });
  goals.push({ goal: 'incremental run after one unit-month', target: '≤ 5 % of a full run', measured: `${(incRatio * 100).toFixed(1)} % (${fmtSeconds(inc.seconds)} s of ${fmtSeconds(run.seconds)} s)`, met: incRatio <= 0.05 });

  // 5. npm run build on this warehouse, in a scratch copy of the project
  let pages: PageData[] = [];
  if (!values['skip-build']) {
    const site = scratchProject(join(work, 'site'), { inbox: exp.inbox, db });
    log(`npm run build in ${site}`);
    const build = await runMeasured('npm', ['run', 'build'], { cwd: site });
    pages = pageDataOfBuild(join(site, 'dist'));
    const source = pages.length ? 'dist/' : 'src/data (nothing built)';
    if (!pages.length) pages = pageDataOfSource(join(site, 'src/data'));
    rows.push({ step: 'npm run build', seconds: build.seconds, cpuSeconds: build.cpuSeconds, maxRssBytes: build.maxRssBytes, note: build.code ? `FAILED (exit ${build.code}): ${lastLine(build.stderr || build.stdout)}` : `${pages.length} pages; page data from ${source}` });
  }

  // 6. npm start without serving, on the default sample, from an empty inbox
  if (!values['skip-pipeline'] && mode.name === 'full') {
    if (!sampleGeneratorAvailable()) notes.push('npm start (without serving) was not measured: steward sample is not available yet.');
    else {
      const site = scratchProject(join(root, 'site-sample'), {});
      log(`npm start without serving (sample → load → run → test → docs → build) in ${site}`);
      const p = await runMeasured('sh', ['-c', 'node bin/steward.js pipeline && npm run build:site'], { cwd: site });
      rows.push({ step: 'npm start without serving (sample, scale 1)', seconds: p.seconds, cpuSeconds: p.cpuSeconds, maxRssBytes: p.maxRssBytes, note: p.code ? `FAILED (exit ${p.code}): ${lastLine(p.stderr || p.stdout)}` : '' });
      goals.push({ goal: 'whole sample pipeline', target: '< 60 s', measured: `${fmtSeconds(p.seconds)} s`, met: p.code === 0 && p.seconds < 60 });
    }
  }
  // The pipeline's own steps on the whole export set; the single-file format loads are listed apart.
  const pipelineRows = rows.filter((r) => /^(steward|npm run build)/.test(r.step));
  const peak = Math.max(...pipelineRows.map((r) => r.maxRssBytes ?? 0));
  const atScale = ledgerTripCount(rows) >= 9_000_000;
  goals.push({ goal: `peak memory of load, run, test, build (${fmtInt(ledgerTripCount(rows))} trips)`, target: '< 4 GiB at 10 million trips', measured: fmtMiB(peak), met: atScale ? peak < 4 * GiB : undefined });
  const filePeak = Math.max(...rows.filter((r) => r.step.startsWith('load ')).map((r) => r.maxRssBytes ?? 0));
  goals.push({ goal: 'peak memory of loading one big file', target: '< 4 GiB', measured: `${fmtMiB(filePeak)} (largest: ${fmtInt(mode.formats.csv)}-row CSV)`, met: filePeak < 4 * GiB });

  const out = [
    `## ${mode.name === 'quick' ? 'Quick bench' : `Bench at scale ${mode.scale}`} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`${command}\``,
    '',
    `Machine: ${machine}`,
    '',
    stepsTable(rows),
    '',
    goalsTable(goals),
    '',
    pages.length ? `Page data per page (bytes the page loads):\n\n${markdownTable(['page', 'files', 'bytes'], pages.map((p) => [p.page, String(p.files), fmtInt(p.bytes)]), [false, true, true])}\n` : '',
    slowest.length ? `Slowest models of the full run:\n\n${modelsTable(slowest)}\n` : '',
    slowestInc.length ? `Models rebuilt by the incremental run, slowest first:\n\n${modelsTable(slowestInc)}\n` : '',
    ...notes.map((n) => `- ${n}`),
    '',
    `Total bench time ${fmtSeconds((performance.now() - started) / 1000)} s; load average ${loadLine()} at the end (other processes on the machine slow every figure). Data and warehouses in ${root}.`,
  ].join('\n');
  console.log('\n' + out);
  if (values.markdown) writeFileSync(values.markdown, out + '\n');
  return 0;
}

function machineLine(): string {
  const cpu = cpus();
  let duckdb = '?';
  try {
    duckdb = JSON.parse(execFileSync('npm', ['ls', '@duckdb/node-api', '--json', '--depth=0'], { encoding: 'utf8' })).dependencies['@duckdb/node-api'].version;
  } catch {
    // The version is only informative.
  }
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / GiB).toFixed(1)} GiB memory (${(freemem() / GiB).toFixed(1)} GiB free), Node ${process.versions.node}, @duckdb/node-api ${duckdb}, load average ${loadLine()} at the start`;
}

const loadLine = () => loadavg().map((x) => x.toFixed(2)).join(' / ');

function folderBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name.startsWith('_') || name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        files++;
        bytes += st.size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).pop() ?? '';

let tripCount = 0;
const ledgerTripCount = (_rows: Row[]) => tripCount;

async function ledgerTotals(db: string): Promise<{ files: number; read: number; quarantined: number; byTable: string }> {
  const r = await runMeasured(process.execPath, [resolve('bin/steward.js'), 'query', '--db', db, '--format', 'json',
    `select table_name, count(*)::INT as files, sum(rows_read)::BIGINT as rows_read, sum(rows_quarantined)::BIGINT as quarantined from meta.load_ledger group by 1 order by 3 desc`]);
  const t = JSON.parse(r.stdout) as { table_name: string; files: number; rows_read: number; quarantined: number }[];
  tripCount = Number(t.find((x) => x.table_name === 'vehicle_trips')?.rows_read ?? 0);
  return {
    files: t.reduce((s, x) => s + Number(x.files), 0),
    read: t.reduce((s, x) => s + Number(x.rows_read), 0),
    quarantined: t.reduce((s, x) => s + Number(x.quarantined), 0),
    byTable: t.slice(0, 3).map((x) => `${x.table_name} ${fmtInt(Number(x.rows_read))}`).join(', '),
  };
}

interface ModelTime { model: string; seconds: number; rows: number; reason: string }

/** The models the latest `steward run` built, slowest first (from meta.model_runs). */
async function slowestModels(db: string, limit = 8): Promise<ModelTime[]> {
  const r = await runMeasured(process.execPath, [resolve('bin/steward.js'), 'query', '--db', db, '--format', 'json',
    `select model, duration_ms / 1000.0 as seconds, row_count as rows, reason from meta.model_runs
     where status = 'built' and run_id = (select max(run_id) from meta.model_runs) order by duration_ms desc limit ${limit}`]);
  try {
    return (JSON.parse(r.stdout) as ModelTime[]).map((m) => ({ ...m, seconds: Number(m.seconds), rows: Number(m.rows) }));
  } catch {
    return [];
  }
}

const modelsTable = (ms: ModelTime[]) =>
  markdownTable(['model', 'seconds', 'rows', 'why built'], ms.map((m) => [m.model, fmtSeconds(m.seconds), fmtInt(m.rows), m.reason]), [false, true, true, false]);

/**
 * A copy of the project (without node_modules, .git, dist and warehouses) whose data/ points at
 * the bench's inbox and warehouse, so `npm run build` never touches the repository's own files.
 */
function scratchProject(dir: string, link: { inbox?: string; db?: string }): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const skip = new Set(['node_modules', '.git', 'dist', 'test-results']);
  for (const name of readdirSync('.')) {
    if (skip.has(name)) continue;
    cpSync(name, join(dir, name), {
      recursive: true,
      filter: (src) => !/(^|\/)(\.observablehq\/cache|data\/inbox|data\/warehouse\.duckdb)/.test(src),
    });
  }
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'data'), { recursive: true });
  if (link.inbox) symlinkSync(link.inbox, join(dir, 'data/inbox'));
  else mkdirSync(join(dir, 'data/inbox'), { recursive: true });
  if (link.db) symlinkSync(link.db, join(dir, 'data/warehouse.duckdb'));
  return dir;
}

/**
 * steward brief: the monthly (or quarterly, yearly) briefing for leadership, as A4 HTML and PDF.
 *
 *   steward brief [--period 2024-12] [--grain month|quarter|year] [--unit ALL|YH|余杭区] [--all]
 *                 [--lang zh|en|zh,en] [--out dist/briefings] [--db FILE] [--catalog FILE] [--html-only]
 *
 * Without --period, the latest period of the grain the dashboard offers. --all writes the city's
 * briefing and every unit's. The HTML is written first and always; the PDF needs Debian's Chromium
 * (/usr/bin/chromium). Without it the command still succeeds and says in one line how to get the
 * PDFs, unless STEWARD_REQUIRE_BROWSER=1.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { DEFAULT_DB, openWarehouse } from '../warehouse/db.ts';
import { briefingFile } from '../src/components/briefing-files.ts';
import { LANGS, type Lang } from '../src/components/i18n.ts';
import { GRAINS, type Grain } from '../src/components/period.ts';
import { NoKpiValues, readBriefing, resolveRequest, unitRows, type BriefingRequest, type QueryCache } from './data.ts';
import { renderBriefing } from './render.ts';
import { BROWSER_HINT, chromiumAvailable, launchChromium, printBriefing } from './print.ts';
import { CHROMIUM } from '../scripts/screenshots.ts';

export const DEFAULT_OUT = 'dist/briefings';

export interface BriefOptions {
  db?: string;
  catalog?: string;
  out?: string;
  period?: string;
  grain?: Grain;
  units?: string[];
  /** The city's briefing and every unit's. */
  all?: boolean;
  langs?: Lang[];
  htmlOnly?: boolean;
  /** The browser that prints the PDFs (default Debian's /usr/bin/chromium). */
  chromium?: string;
  log?: (line: string) => void;
}

export interface Written {
  request: BriefingRequest;
  lang: Lang;
  html: string;
  pdf?: string;
  pages?: number;
}

export interface BriefResult {
  written: Written[];
  /** Why there are no PDFs, when there are none. */
  noPdf?: string;
}

/** Writes the briefings asked for; the HTML of each, then its PDF when Chromium is there. */
export async function writeBriefings(opts: BriefOptions = {}): Promise<BriefResult> {
  const db = resolve(opts.db ?? DEFAULT_DB);
  const catalog = resolve(opts.catalog ?? join(dirname(db), 'catalog.json'));
  const out = resolve(opts.out ?? DEFAULT_OUT);
  const langs = opts.langs ?? ['zh'];
  const log = opts.log ?? (() => {});
  const w = await openWarehouse(db, { readOnly: true });
  const written: Written[] = [];
  try {
    const wanted = opts.all ? ['ALL', ...(await unitRows(w.conn)).map((u) => u.unit_code as string)] : opts.units?.length ? opts.units : ['ALL'];
    const requests: BriefingRequest[] = [];
    for (const unit of wanted) requests.push(await resolveRequest(w.conn, unit, opts.period, opts.grain));
    mkdirSync(out, { recursive: true });
    const cache: QueryCache = new Map();
    for (const request of requests) {
      const data = await readBriefing(w.conn, request, catalog, cache);
      for (const lang of langs) {
        const file = join(out, briefingFile(request.unit, request.period, lang, 'html'));
        writeFileSync(file, renderBriefing(data, lang));
        // A PDF left from an earlier run would no longer match its HTML.
        rmSync(file.replace(/\.html$/, '.pdf'), { force: true });
        written.push({ request, lang, html: file });
      }
    }
  } finally {
    w.close();
  }
  if (opts.htmlOnly) return { written, noPdf: 'html only' };
  const chromium = opts.chromium ?? CHROMIUM;
  const noBrowser = (why: string): BriefResult => {
    if (process.env.STEWARD_REQUIRE_BROWSER === '1') throw new Error(`${why} (STEWARD_REQUIRE_BROWSER=1): ${BROWSER_HINT}`);
    return { written, noPdf: `${why}; for the PDFs: ${BROWSER_HINT}, then npx steward brief again (the HTML prints from any browser)` };
  };
  if (!chromiumAvailable(chromium)) return noBrowser(`no Chromium at ${chromium}`);
  let browser: Browser | undefined;
  try {
    try {
      browser = await launchChromium(chromium);
    } catch (e) {
      return noBrowser(`Chromium at ${chromium} did not start (${(e as Error).message.split('\n')[0]})`);
    }
    for (const item of written) {
      item.pdf = item.html.replace(/\.html$/, '.pdf');
      item.pages = (await printBriefing(browser, item.html, item.pdf)).pages;
      log(`${item.pdf} (${item.pages} pages)`);
    }
  } finally {
    await browser?.close();
  }
  return { written };
}

export async function briefCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: DEFAULT_DB },
      catalog: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      period: { type: 'string' },
      grain: { type: 'string' },
      unit: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      lang: { type: 'string', default: 'zh' },
      'html-only': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (values.grain && !GRAINS.includes(values.grain as Grain)) throw new Error(`--grain ${values.grain}: expected one of ${GRAINS.join(', ')}`);
  const langs = values.lang.split(',').map((l) => l.trim());
  for (const l of langs) if (!LANGS.includes(l as Lang)) throw new Error(`--lang ${l}: expected zh, en or zh,en`);
  const started = performance.now();
  let result: BriefResult;
  try {
    result = await writeBriefings({
      db: values.db,
      catalog: values.catalog,
      out: values.out,
      period: values.period,
      grain: values.grain as Grain | undefined,
      units: values.unit,
      all: values.all,
      langs: langs as Lang[],
      htmlOnly: values['html-only'],
      log: values.quiet ? undefined : (l) => console.log(l),
    });
  } catch (e) {
    // The build briefs whatever there is; an empty warehouse has nothing to brief on yet.
    if (e instanceof NoKpiValues && values.all) {
      console.log(`brief: no briefing written: ${e.message}`);
      return 0;
    }
    throw e;
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const pdfs = result.written.filter((x) => x.pdf).length;
  const first = result.written[0]?.request;
  console.log(`brief: ${result.written.length} briefing${result.written.length === 1 ? '' : 's'} of ${first?.period ?? '—'} (${result.written.length} HTML, ${pdfs} PDF) in ${values.out}, ${secs} s`);
  if (result.noPdf && result.noPdf !== 'html only') console.log(`brief: HTML only: ${result.noPdf}`);
  return 0;
}

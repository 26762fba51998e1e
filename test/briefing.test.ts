/**
 * steward brief on the sample warehouse: the December 2024 briefing of the city and of Yuhang
 * (YH), in Chinese and English. The PDF's page count stays in the documented range; its text
 * (pdftotext, poppler-utils) holds every headline value as the site formats it from kpi_values,
 * the unit's own figures and ranks in a unit's briefing, and no text in the other language
 * outside what the HTML marks as quoted (lang="zh"), a code or a unit of measure; on the HTML's
 * print layout in Chromium no table, row or chart crosses a sheet's edge and every sheet is one
 * A4 page. The same warehouse and period give the same HTML, byte for byte, and the same PDF
 * text. An event overlapping the period is named in the sentences and drawn on every chart.
 * Without Chromium, the HTML is still written and the result says how to get the PDFs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeBriefings, type BriefResult } from '../briefing/cli.ts';
import { launchChromium } from '../briefing/print.ts';
import { briefingFile } from '../src/components/briefing-files.ts';
import { formatValue, type KpiFormat } from '../src/components/format.ts';
import type { Lang } from '../src/components/i18n.ts';
import { browserAvailable } from './helpers/browser.ts';
import { haveSample, openSample, q, sampleDir } from './helpers/sample.ts';

/** The range the December 2024 briefings of the sample fall in (docs/briefing.md). */
export const BRIEFING_PAGES = { min: 15, max: 26 };

const PERIOD = '2024-12';
const poppler = existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');
// CI (STEWARD_REQUIRE_BROWSER=1, set by .ci/run) must read the PDFs back, not skip them.
if (!poppler && process.env.STEWARD_REQUIRE_BROWSER === '1') throw new Error('pdftotext and pdfinfo not found (STEWARD_REQUIRE_BROWSER=1): apt-get install -y poppler-utils');
const pdfs = haveSample && browserAvailable() && poppler;
const db = join(sampleDir, 'warehouse.duckdb');

let out = '';
let result: BriefResult;
const file = (unit: string, lang: Lang, ext: 'html' | 'pdf', period = PERIOD) => join(out, briefingFile(unit, period, lang, ext));
const pdfText = (path: string, page?: number) => execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
const pdfPages = (path: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
// Page data keeps 7 significant digits (scripts/site-data.ts); the site formats those.
const tidy = (v: number) => Number(v.toPrecision(7));

interface Kpi extends KpiFormat {
  kpi_id: string;
}

async function headline(unit: string): Promise<{ meta: Kpi; value: number; rank: number | null; ranked_units: number | null }[]> {
  const s = await openSample();
  try {
    return await q(s.conn, `select kpis.kpi_id, kpis.kind, kpis.unit_zh, kpis.unit_en, kpis.decimals, kpi_values.value, cards.rank, cards.ranked_units
      from kpis join kpi_values using (kpi_id) join kpi_cards as cards using (kpi_id, unit_code, grain, period)
      where kpis.headline is not null and kpi_values.unit_code = '${unit}' and kpi_values.grain = 'month' and kpi_values.period = '${PERIOD}'
      order by kpis.headline`).then((rows) => rows.map((r: any) => ({ meta: r, value: tidy(r.value), rank: r.rank, ranked_units: r.ranked_units })));
  } finally {
    s.close();
  }
}

const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const inside = (htmlText: string, re: RegExp) => [...htmlText.matchAll(re)].map((m) => unescape(m[1]));

/**
 * Text a briefing may hold in the other language: in English, what the HTML marks lang="zh"
 * (names quoted from exports, cited titles); in Chinese, codes (<code>), what the HTML marks
 * translate="no" (units and names in declared text), the units of measure a value is formatted
 * with, and the acronyms of the sources. Removed from the text with its spaces.
 */
async function allowed(htmlText: string, lang: Lang): Promise<string[]> {
  const codes = inside(htmlText, /<code>([\s\S]*?)<\/code>/g);
  if (lang === 'en') return [...inside(htmlText, /<span lang="zh">([\s\S]*?)<\/span>/g), ...codes];
  codes.push(...inside(htmlText, /<span translate="no">([\s\S]*?)<\/span>/g));
  const s = await openSample();
  try {
    const units = (await q<{ u: string }>(s.conn, `select unit_zh as u from kpis union select unit_zh from int_factor_catalog`)).map((r) => r.u);
    return [...codes, ...units, 'kgCO₂/kWh', 'HHI'];
  } finally {
    s.close();
  }
}

function strip(text: string, allowList: string[]): string {
  let rest = text.replace(/\s+/g, '');
  for (const a of [...new Set(allowList.map((x) => x.replace(/\s+/g, '')))].filter(Boolean).sort((x, y) => y.length - x.length)) rest = rest.split(a).join('');
  return rest;
}

/**
 * The runs of `script` left in the text once the allowed strings are stripped, less the pieces of
 * an allowed string that a table cell wrapped onto two lines (the text extractor reads the rest
 * of the row between them): a run counts only if no allowed string contains it.
 */
function foreign(text: string, allowList: string[], script: RegExp): string[] {
  const whole = allowList.map((x) => x.replace(/\s+/g, ''));
  return (strip(text, allowList).match(script) ?? []).filter((run) => !whole.some((a) => a.includes(run)));
}

describe.runIf(haveSample)('steward brief on the sample warehouse', () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'steward-brief-'));
    result = await writeBriefings({ db, out, period: PERIOD, units: ['ALL', 'YH'], langs: ['zh', 'en'], htmlOnly: !pdfs });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the HTML of each briefing asked for', () => {
    expect(result.written.map((w) => [w.request.unit, w.request.period, w.lang])).toEqual([['ALL', PERIOD, 'zh'], ['ALL', PERIOD, 'en'], ['YH', PERIOD, 'zh'], ['YH', PERIOD, 'en']]);
    for (const w of result.written) expect(existsSync(w.html)).toBe(true);
  });

  it.runIf(pdfs)('prints a PDF whose page count is in the documented range, every font embedded', () => {
    for (const w of result.written) {
      const pages = pdfPages(w.pdf!);
      expect(pages, w.pdf).toBe(w.pages);
      expect(pages, w.pdf).toBeGreaterThanOrEqual(BRIEFING_PAGES.min);
      expect(pages, w.pdf).toBeLessThanOrEqual(BRIEFING_PAGES.max);
    }
    const fonts = execFileSync('pdffonts', [file('ALL', 'zh', 'pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    // name, type, encoding may hold spaces; emb sub uni object ID are the last five columns.
    for (const line of fonts) expect(line.trim().split(/\s+/).slice(-5)[0], line).toBe('yes');
  });

  it.runIf(pdfs)('holds each headline value of the city exactly as the site formats it from kpi_values', async () => {
    const rows = await headline('ALL');
    expect(rows).toHaveLength(6);
    for (const lang of ['zh', 'en'] as Lang[]) {
      const text = squash(pdfText(file('ALL', lang, 'pdf')));
      for (const r of rows) expect(text, `${r.meta.kpi_id} ${lang}`).toContain(formatValue(r.meta, r.value, lang));
    }
  });

  it.runIf(pdfs)("carries a unit's own figures and ranks, not the city's", async () => {
    const city = await headline('ALL');
    const yh = await headline('YH');
    for (const lang of ['zh', 'en'] as Lang[]) {
      expect(pdfText(file('YH', lang, 'pdf'), 1)).toContain(lang === 'zh' ? '余杭区' : 'Yuhang');
      // Page 3 is the period at a glance: the headline cards.
      const glance = squash(pdfText(file('YH', lang, 'pdf'), 3));
      for (const [i, r] of yh.entries()) {
        const own = formatValue(r.meta, r.value, lang);
        const theirs = formatValue(city[i].meta, city[i].value, lang);
        expect(glance, `${r.meta.kpi_id} ${lang}`).toContain(own);
        if (own !== theirs) expect(glance, `${r.meta.kpi_id} ${lang}: the city's value`).not.toContain(theirs);
        if (r.rank !== null) expect(glance, `${r.meta.kpi_id} rank`).toContain(lang === 'zh' ? `第 ${r.rank} / ${r.ranked_units}` : `${r.rank} of ${r.ranked_units}`);
      }
    }
    // The city's briefing ranks nobody on its own cards.
    expect(pdfText(file('ALL', 'zh', 'pdf'), 3)).not.toMatch(/第 \d+ \/ \d+/);
  });

  it.runIf(pdfs)('keeps to one language outside quoted names, codes and units of measure', async () => {
    for (const unit of ['ALL', 'YH']) {
      const en = foreign(pdfText(file(unit, 'en', 'pdf')), await allowed(readFileSync(file(unit, 'en', 'html'), 'utf8'), 'en'), /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g);
      expect(en, `${unit} en`).toEqual([]);
      const zh = foreign(pdfText(file(unit, 'zh', 'pdf')), await allowed(readFileSync(file(unit, 'zh', 'html'), 'utf8'), 'zh'), /[A-Za-z]{2,}/g);
      expect(zh, `${unit} zh`).toEqual([]);
    }
  });

  it.runIf(pdfs)('lays every table, row and chart on one sheet, each sheet one A4 page', async () => {
    const browser = await launchChromium();
    try {
      for (const w of result.written) {
        const page = await browser.newPage();
        await page.emulateMedia({ media: 'print' });
        await page.goto(`file://${w.html}`);
        await page.waitForSelector('html[data-ready]', { state: 'attached' });
        const layout = await page.evaluate(() => {
          const mm = 96 / 25.4;
          const crossing: string[] = [];
          for (const el of Array.from(document.querySelectorAll('table, tr, figure, svg.trend, .hcard'))) {
            const body = el.closest('.sheet-body');
            if (!body) { crossing.push(`${el.tagName} outside a sheet`); continue; }
            const a = el.getBoundingClientRect();
            const b = body.getBoundingClientRect();
            if (a.top < b.top - 0.5 || a.bottom > b.bottom + 0.5) crossing.push(`${el.tagName}.${el.className} ${a.top.toFixed(0)}–${a.bottom.toFixed(0)} outside ${b.top.toFixed(0)}–${b.bottom.toFixed(0)}`);
          }
          const sheets = Array.from(document.querySelectorAll('.sheet'));
          return {
            crossing,
            sheets: sheets.length,
            overflow: sheets.filter((s) => s.hasAttribute('data-overflow')).length,
            sizes: [...new Set(sheets.map((s) => `${Math.round(s.getBoundingClientRect().width / mm)}×${Math.round(s.getBoundingClientRect().height / mm)}`))],
            tables: document.querySelectorAll('table.data').length,
          };
        });
        await page.close();
        expect(layout.crossing, w.html).toEqual([]);
        expect(layout.overflow, w.html).toBe(0);
        expect(layout.sizes, w.html).toEqual(['210×297']);
        expect(layout.tables, w.html).toBeGreaterThan(5);
        expect(layout.sheets, w.html).toBe(pdfPages(w.pdf!));
      }
    } finally {
      await browser.close();
    }
  });

  it('gives the same HTML for the same warehouse and period, and the same PDF text', async () => {
    const again = mkdtempSync(join(tmpdir(), 'steward-brief-again-'));
    try {
      const second = await writeBriefings({ db, out: again, period: PERIOD, units: ['YH', 'ALL'], langs: ['zh'], htmlOnly: !pdfs });
      for (const w of second.written) {
        const first = file(w.request.unit, 'zh', 'html');
        expect(readFileSync(w.html).equals(readFileSync(first)), w.html).toBe(true);
        if (pdfs) expect(pdfText(w.pdf!), w.pdf).toBe(pdfText(first.replace(/\.html$/, '.pdf')));
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('names an event overlapping the period in its sentences and shades events on every chart', async () => {
    const r = await writeBriefings({ db, out, period: '2023-10', units: ['ALL'], langs: ['zh', 'en'], htmlOnly: true });
    expect(r.written).toHaveLength(2);
    const statements = (lang: Lang) => /<div class="block statements">([\s\S]*?)<\/div>/.exec(readFileSync(file('ALL', lang, 'html', '2023-10'), 'utf8'))![1];
    expect(statements('zh')).toContain('本期内：杭州第19届亚运会（2023年9月23日至10月8日）。');
    expect(statements('zh')).toContain('杭州第4届亚残运会');
    expect(statements('en')).toContain('In this period: The 19th Asian Games in Hangzhou (23 Sep – 8 Oct 2023).');
    const html = readFileSync(file('ALL', 'zh', 'html', '2023-10'), 'utf8');
    const charts = html.match(/<svg class="trend"[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(6);
    for (const svg of charts) {
      expect(svg).toContain('class="event"');
      expect(svg).toContain('>亚运会<');
    }
    // December 2024 overlaps no event: its sentences name none, its charts still show the Games.
    expect(statements('zh').length).toBeGreaterThan(0);
    expect(/<div class="block statements">([\s\S]*?)<\/div>/.exec(readFileSync(file('ALL', 'zh', 'html'), 'utf8'))![1]).not.toContain('本期内');
  });

  it('without Chromium writes the HTML and says how to get the PDFs', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'steward-brief-bare-'));
    const required = process.env.STEWARD_REQUIRE_BROWSER;
    delete process.env.STEWARD_REQUIRE_BROWSER;
    try {
      const r = await writeBriefings({ db, out: bare, period: PERIOD, units: ['ALL'], chromium: join(bare, 'no-chromium') });
      expect(r.written).toHaveLength(1);
      expect(existsSync(r.written[0].html)).toBe(true);
      expect(r.written[0].pdf).toBeUndefined();
      expect(existsSync(r.written[0].html.replace(/\.html$/, '.pdf'))).toBe(false);
      expect(r.noPdf).toContain('apt-get install -y chromium fonts-noto-cjk');
    } finally {
      if (required !== undefined) process.env.STEWARD_REQUIRE_BROWSER = required;
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('refuses a period the dashboard does not offer, and a unit that does not exist, saying what it offers', async () => {
    await expect(writeBriefings({ db, out, period: '2019-06', htmlOnly: true })).rejects.toThrow(/2019-06: the dashboard offers month periods 2023-01 … 2024-12/);
    await expect(writeBriefings({ db, out, units: ['XX'], htmlOnly: true })).rejects.toThrow(/--unit XX: not a unit of the warehouse \(ALL, or one of HZ, SC/);
    await expect(writeBriefings({ db, out, period: '2024-Q4', grain: 'month', htmlOnly: true })).rejects.toThrow(/2024-Q4 is a quarter, not a month/);
  });
});

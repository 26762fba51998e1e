/**
 * What a leader sees, page by page, in Chromium: every page of the sample site at 1440, 1024 and
 * 390 px in Chinese and in English.
 *   - Nothing scrolls the page sideways and nothing is cut off at the right edge (an element may
 *     reach past it only inside a box that scrolls on its own); from 1024 px up every table fits
 *     its box without scrolling; on a phone a wide table scrolls in its own box with its first
 *     column held in view.
 *   - One language per page: an English page shows no Chinese characters except text quoted from
 *     the exports and marked lang="zh"; a Chinese page shows no English words except units,
 *     codes, ids and the few abbreviations leaders use in Chinese (CSV, HHI, SUV, …).
 *   - No console error and no cell error; the heading is in the page's language, and every page
 *     ends in at least one panel or card once its data has been drawn.
 * Screenshots go to test-results/screenshots/<page>-<lang>-<width>.png (1440 and 390 px).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { serveSite, type SiteServer } from '../scripts/serve-site.ts';
import { browserAvailable, launchChromium, pageSettled, ROOT, SCREENSHOTS, sitePages } from './helpers/browser.ts';
import { sharedSite } from './helpers/shared-site.ts';
import { haveSample } from './helpers/sample.ts';

const UNITS = readFileSync(join(ROOT, 'data/reference/units.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
const WIDTHS = [1440, 1024, 390];
/** Widths kept as screenshots, for a person to look at. */
const SHOT_WIDTHS = [1440, 390];
const run = browserAvailable() && haveSample;

/**
 * Latin words a Chinese page may show: units of measure, file formats, standards and the
 * abbreviations leaders use as they are. Ids and codes (with a digit, a dash or an underscore)
 * are always allowed.
 */
const ZH_ALLOWED = new Set(['kgce', 'tce', 'kWh', 'km', 'kgCO', 'tCO', 'CO', 'kg', 'CSV', 'XLSX', 'PDF', 'HTML', 'HHI', 'SUV', 'MPV', 'PV', 'GB', 'FPMR', 'Excel', 'Unix', 'SQL', 'SME', 'English', 'JSON', 'NDJSON', 'UTF', 'GBK', 'MEE', 'NBS', 'ID', 'kgCO2', 'tCO2', 'kgCO2e', 'tCO2e', 'gce', 'L', 'm', 't']);

/** Runs in the page: what a reader would find wrong with it. */
const INSPECT = `(() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px wide');
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return p; } return null; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('details:not([open]) > :not(summary)'); };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  // Cut off: reaches past the right edge, not inside a box that scrolls or clips on purpose.
  for (const el of document.querySelectorAll('#observablehq-main *')) {
    if (!visible(el) || el.closest('svg') && el.tagName !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && !scrolls(el)) { problems.push('cut off at the right: ' + name(el) + ' reaches ' + Math.round(r.right) + ' px'); break; }
  }
  for (const box of document.querySelectorAll('.steward-table-wrap')) {
    const table = box.querySelector('table');
    if (!table || !visible(box)) continue;
    if (table.scrollWidth <= box.clientWidth + 1) continue;
    if (width >= 1024) { problems.push('a table does not fit at ' + width + ' px: ' + name(table) + ' is ' + table.scrollWidth + ' px in a ' + box.clientWidth + ' px box'); continue; }
    const o = getComputedStyle(box).overflowX;
    const first = table.querySelector('tbody tr > :first-child, thead tr > :first-child');
    if (o !== 'auto' && o !== 'scroll') problems.push('a wide table on a phone does not scroll in its own box: ' + name(table));
    else if (first && getComputedStyle(first).position !== 'sticky') problems.push('a wide table on a phone does not hold its first column: ' + name(table));
  }
  return problems;
})()`;

/** Runs in the page: visible text in the wrong language, as [text, where]. */
const WRONG_LANGUAGE = `((lang, allowed) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('script, style, code, pre, [hidden], details:not([open]) > :not(summary), #observablehq-sidebar-toggle')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const marked = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    if (lang === 'en') {
      if (/[\\u4e00-\\u9fff]/.test(text) && !marked.startsWith('zh')) out.push([text.slice(0, 60), el.tagName]);
    } else {
      if (marked.startsWith('en')) continue;
      for (const w of text.match(/[A-Za-z][A-Za-z0-9_\\-.·/²³₂]*/g) ?? []) {
        if (/[0-9_\\-]/.test(w)) continue;
        if (w.split(/[\\/·.²³₂]+/).every((part) => part.length < 2 || allowed.includes(part) || allowed.includes(part.replace(/e$/, '')))) continue;
        out.push([text.slice(0, 60), w]);
        break;
      }
    }
  }
  return out;
})`;

describe.skipIf(!run)('every page, every width, one language', () => {
  let server: SiteServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveSite((await sharedSite()).distDir);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fits 1440, 1024 and 390 px, in one language, with no error', async () => {
    const problems: string[] = [];
    for (const path of sitePages(UNITS)) {
      for (const lang of ['zh', 'en']) {
        const page = await browser.newPage({ viewport: { width: WIDTHS[0], height: 900 } });
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${server.url}${path}.html?lang=${lang}`);
        await pageSettled(page);
        // Every page ends in at least one panel or card once its data has arrived and been drawn.
        for (const drawn of ['.steward-hero h1', '.steward-panel, .steward-kpi']) if (!(await page.locator(drawn).count())) problems.push(`${path} ${lang}: nothing matches ${drawn}`);
        const h1 = (await page.locator('.steward-hero h1').first().textContent()) ?? '';
        if ((lang === 'zh') !== /[\u4e00-\u9fff]/.test(h1)) problems.push(`${path} ${lang}: the heading "${h1}" is not in the page's language`);
        for (const width of WIDTHS) {
          if (width !== WIDTHS[0]) {
            await page.setViewportSize({ width, height: 900 });
            await pageSettled(page);
          }
          for (const p of (await page.evaluate(INSPECT)) as string[]) problems.push(`${path} ${lang} ${width}: ${p}`);
          if (SHOT_WIDTHS.includes(width)) await page.screenshot({ path: join(SCREENSHOTS, `${path.replace('/', '-')}-${lang}-${width}.png`), fullPage: true });
        }
        const wrong = (await page.evaluate(`${WRONG_LANGUAGE}(${JSON.stringify(lang)}, ${JSON.stringify([...ZH_ALLOWED])})`)) as [string, string][];
        for (const [text, what] of wrong.slice(0, 5)) problems.push(`${path} ${lang}: not ${lang === 'zh' ? 'Chinese' : 'English'}: "${text}" (${what})`);
        for (const e of [...errors, ...(await page.locator('.observablehq--error').allTextContents())]) problems.push(`${path} ${lang}: ${e}`);
        await page.close();
      }
    }
    expect(problems).toEqual([]);
  });
});

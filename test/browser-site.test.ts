/**
 * The dashboard built from the sample, used in a real browser (Debian's Chromium through
 * playwright-core): KPI cards equal kpi_values, formatted by the KPI's declared kind; selectors
 * change the figures and the URL; the language chosen is kept; a download yields the chart's rows;
 * a changed warehouse number shows after a rebuild. Every page opened in both languages at three
 * widths, with no error, and its screenshots: test/browser-readable.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { all, openWarehouse } from '../warehouse/db.ts';
import { serveSite, type SiteServer } from '../scripts/serve-site.ts';
import { browserAvailable, launchChromium, pageSettled, rebuildSite } from './helpers/browser.ts';
import { runScratch } from './helpers/run.ts';
import { copyOfSharedSite, sharedSite } from './helpers/shared-site.ts';
import { formatPeriod, type Lang } from '../src/components/i18n.ts';
import { formatValue, type KpiFormat } from '../src/components/format.ts';

const run = browserAvailable();

/** The warehouse of the shared site (read-only). */
let DB: string;

/** A KPI's declaration as the registry holds it (kind, units, decimals: how its values read). */
async function kpiMeta(kpi: string): Promise<KpiFormat & { name_zh: string }> {
  const wh = await openWarehouse(DB, { readOnly: true });
  try {
    const [r] = await all<KpiFormat & { name_zh: string }>(wh.conn, `select * from kpis where kpi_id = $1`, [kpi]);
    return r;
  } finally {
    wh.close();
  }
}

async function formatKpi(kpi: string, v: number, lang: Lang): Promise<string> {
  return formatValue(await kpiMeta(kpi), v, lang);
}

async function kpiValue(kpi: string, unit: string, period: string): Promise<number> {
  const wh = await openWarehouse(DB, { readOnly: true });
  try {
    const [r] = await all<{ value: number }>(wh.conn, `select value from kpi_values where kpi_id = $1 and unit_code = $2 and period = $3`, [kpi, unit, period]);
    return r.value;
  } finally {
    wh.close();
  }
}

describe.skipIf(!run)('dashboard in Chromium', () => {
  let server: SiteServer;
  let browser: Browser;

  beforeAll(async () => {
    const site = await sharedSite();
    DB = site.db;
    server = await serveSite(site.distDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page and waits until its figures are drawn; returns the console errors seen. */
  async function open(path: string, query = '', width = 1440, site = server): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}${path}.html${query}`, { waitUntil: 'load' });
    await pageSettled(page);
    // Every page ends in at least one panel or card once its data has arrived and been drawn.
    for (const drawn of ['.steward-hero h1', '.steward-panel, .steward-kpi']) expect(await page.locator(drawn).count(), `${path}${query}: ${drawn}`).toBeGreaterThan(0);
    // Framework shows a cell's error in place; none may appear.
    const cellErrors = await page.locator('.observablehq--error').allTextContents();
    errors.push(...cellErrors);
    return { page, errors };
  }

  it('shows the headline KPI cards equal to kpi_values, formatted for each language', async () => {
    const wh = await openWarehouse(DB, { readOnly: true });
    const headline = (await all<{ kpi_id: string }>(wh.conn, `select kpi_id from kpis where headline is not null order by headline`)).map((r) => r.kpi_id);
    wh.close();
    expect(headline.length).toBeGreaterThanOrEqual(4);
    for (const lang of ['zh', 'en'] as Lang[]) {
      const { page } = await open('index', `?lang=${lang}`);
      const cards = page.locator('.steward-kpi');
      expect(await cards.count()).toBe(headline.length);
      for (let i = 0; i < headline.length; i++) {
        const card = cards.nth(i);
        const kpi = (await card.getAttribute('data-kpi'))!;
        expect(kpi).toBe(headline[i]);
        const period = (await card.getAttribute('data-period'))!;
        expect(period).toBe('2024-12'); // the sample's latest month
        expect(await card.locator('.steward-kpi-value').textContent()).toBe(await formatKpi(kpi, await kpiValue(kpi, 'ALL', period), lang));
      }
      await page.close();
    }
  });

  it('changes the figures and the URL with the selectors, and a link reproduces the view', async () => {
    const { page } = await open('index');
    const card = page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"]');
    const monthText = await card.locator('.steward-kpi-value').textContent();
    await page.selectOption('select[name=grain]', 'year');
    await page.waitForSelector('.steward-kpi[data-kpi="pool_cost_avoided_yuan"][data-period="2024"]');
    const yearText = await page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-kpi-value').textContent();
    expect(yearText).toBe(await formatKpi('pool_cost_avoided_yuan', await kpiValue('pool_cost_avoided_yuan', 'ALL', '2024'), 'zh'));
    expect(yearText).not.toBe(monthText);
    await page.selectOption('select[name=unit]', 'YH');
    await page.waitForSelector('.steward-kpi[data-kpi="pool_cost_avoided_yuan"][data-unit="YH"]');
    const yhText = await page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-kpi-value').textContent();
    expect(yhText).toBe(await formatKpi('pool_cost_avoided_yuan', await kpiValue('pool_cost_avoided_yuan', 'YH', '2024'), 'zh'));
    const url = new URL(page.url());
    expect(url.searchParams.get('grain')).toBe('year');
    expect(url.searchParams.get('period')).toBe('2024');
    expect(url.searchParams.get('unit')).toBe('YH');
    // The same link in a new tab shows the same view.
    const again = await browser.newPage();
    await again.goto(page.url(), { waitUntil: 'networkidle' });
    await again.waitForSelector('.steward-kpi[data-kpi="pool_cost_avoided_yuan"][data-unit="YH"][data-period="2024"]');
    expect(await again.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-kpi-value').textContent()).toBe(yhText);
    await again.close();
    await page.close();
  });

  it('keeps English once chosen, across pages', async () => {
    const { page } = await open('index');
    await page.click('#lang-switch');
    await page.waitForURL(/lang=en/);
    await page.waitForSelector('.steward-hero h1');
    expect(await page.locator('.steward-hero h1').textContent()).toBe('Overview');
    // A page opened without the parameter remembers the choice.
    await page.goto(`${server.url}pool.html`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.steward-hero h1');
    expect(await page.locator('.steward-hero h1').textContent()).toBe('Asset pool');
    expect(await page.locator('#observablehq-sidebar').textContent()).toContain('Yuhang');
    await page.close();
  });

  it('downloads the rows behind a chart as CSV', async () => {
    const { page } = await open('pool', '?grain=year&period=2024');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-download^="pool_cost_avoided_yuan-2024-ranking"]').click()]);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toBe('单位,节约购置经费,排名,中位数');
    // One row per unit (the sample's 14), and Yuhang's value is its kpi_values figure (7 significant digits).
    expect(lines).toHaveLength(1 + 14);
    const yh = lines.find((l) => l.startsWith('YH,'))!.split(',');
    const expected = await kpiValue('pool_cost_avoided_yuan', 'YH', '2024');
    expect(Math.abs(Number(yh[1]) - expected)).toBeLessThanOrEqual(5e-7 * expected);
    await page.close();
  });

  it('shows a changed warehouse number after a rebuild', async () => {
    // The shared site and its warehouse stay as they are: this changes and rebuilds a copy.
    const work = runScratch('browser-site');
    const db = join(work, 'warehouse.duckdb');
    copyFileSync(DB, db);
    if (existsSync(`${DB}.wal`)) copyFileSync(`${DB}.wal`, `${db}.wal`);
    const wh = await openWarehouse(db);
    await wh.conn.run(`update kpi_cards set value = 98765432.1 where kpi_id = 'pool_cost_avoided_yuan' and unit_code = 'ALL' and period = '2024-12'`);
    wh.close();
    const copy = await copyOfSharedSite('sample', join(work, 'site'));
    await rebuildSite(db, copy.srcDir, copy.distDir);
    const rebuilt = await serveSite(copy.distDir);
    try {
      const { page } = await open('index', '', 1440, rebuilt);
      expect(await page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-kpi-value').textContent()).toBe(await formatKpi('pool_cost_avoided_yuan', 98765432.1, 'zh'));
      expect(await formatKpi('pool_cost_avoided_yuan', 98765432.1, 'zh')).toBe('9,876.5 万元');
      expect(formatPeriod('2024-12', 'zh')).toBe('2024年12月');
      await page.close();
    } finally {
      await rebuilt.close();
    }
  });
});

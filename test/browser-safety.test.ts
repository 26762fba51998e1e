/**
 * Text from exports and reference files is shown as text, never run as markup. A copy of the
 * sample warehouse gets markup payloads in a unit name, a KPI's definition and formula, a
 * quarantined cell and an action-list cell; the built pages are opened in Chromium: no dialog may
 * open, the payload's script may not run, and the payload must be readable on the page as the
 * literal text it is. Downloads must neutralise cells a spreadsheet would take for a formula.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { all, openWarehouse, sqlString } from '../warehouse/db.ts';
import { serveSite, type SiteServer } from '../scripts/serve-site.ts';
import { browserAvailable, buildSite, launchChromium, pageSettled } from './helpers/browser.ts';
import { runScratch } from './helpers/run.ts';
import { haveSample, sampleDir } from './helpers/sample.ts';

let WORK: string;
let DB: string;
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>window.__pwned=1</script>';
const PAYLOAD = `${IMG}${SCRIPT}`;
/** The unit whose name becomes the payload. */
const UNIT = 'YH';
/** Cells a spreadsheet would evaluate, in the overdue-loans list (one per leading character). */
const FORMULAS = ['=cmd|calc', '+1+1', '-1+1', '@SUM(1)'];
const run = browserAvailable() && haveSample;

async function plantPayloads(): Promise<void> {
  const wh = await openWarehouse(DB);
  const p = sqlString(PAYLOAD);
  try {
    await wh.conn.run(`
      update ref.units set name_zh = ${p}, name_en = ${p} where unit_code = '${UNIT}';
      update main.kpis set definition_zh = ${p}, definition_en = ${p}, formula_zh = ${p}, formula_en = ${p} where kpi_id = 'pool_cost_avoided_yuan';
      update meta.quarantine set record = json_object('unit', ${p}) where rowid = (select min(rowid) from meta.quarantine where "column" = 'unit');
    `);
    // The five most overdue loans of December 2024: one named with the payload, four with formulas.
    const top = await all<{ txn_id: string }>(wh.conn, `select txn_id from pool_overdue_loan_periods where grain = 'month' and period = '2024-12' order by days_overdue desc, txn_id limit 5`);
    expect(top).toHaveLength(5);
    const names = [PAYLOAD, ...FORMULAS];
    for (const [i, r] of top.entries()) await wh.conn.run(`update main.pool_overdue_loan_periods set asset_name = ${sqlString(names[i])} where txn_id = ${sqlString(r.txn_id)}`);
  } finally {
    wh.close();
  }
}

describe.skipIf(!run)('markup in the data stays text', () => {
  let server: SiteServer;
  let browser: Browser;

  beforeAll(async () => {
    WORK = runScratch('browser-safety');
    DB = join(WORK, 'warehouse.duckdb');
    cpSync(join(sampleDir, 'warehouse.duckdb'), DB);
    if (existsSync(join(sampleDir, 'warehouse.duckdb.wal'))) cpSync(join(sampleDir, 'warehouse.duckdb.wal'), `${DB}.wal`);
    await plantPayloads();
    const dist = (await buildSite(DB, join(WORK, 'site'), { data: { catalog: join(sampleDir, 'catalog.json') } })).distDir;
    server = await serveSite(dist);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page, records dialogs and errors, and waits until its data is drawn. */
  async function open(path: string): Promise<{ page: Page; dialogs: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    // Counts images that have loaded or failed, so the check below knows every onerror has run.
    await page.addInitScript(() => {
      const w = window as unknown as { __imagesDone: number };
      w.__imagesDone = 0;
      for (const type of ['load', 'error']) addEventListener(type, (e) => e.target instanceof HTMLImageElement && w.__imagesDone++, true);
    });
    await page.goto(`${server.url}${path}.html`, { waitUntil: 'load' });
    await pageSettled(page);
    for (const drawn of ['.steward-hero h1', '.steward-panel, .steward-kpi']) expect(await page.locator(drawn).count(), `${path}: ${drawn}`).toBeGreaterThan(0);
    // An <img src=x> made from a payload would fail to load and run its onerror: wait until every
    // image has loaded or failed (a dialog it opens blocks the page until the handler above closes it).
    await page.waitForFunction(() => (window as unknown as { __imagesDone: number }).__imagesDone >= document.images.length);
    return { page, dialogs };
  }

  /** What a reader sees: the page's visible text. */
  const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

  async function expectInert(page: Page, dialogs: string[], where: string) {
    expect(dialogs, where).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), where).toBeUndefined();
    // No element was made from the payload.
    expect(await page.locator('img[src="x"]').count(), where).toBe(0);
    expect(await page.evaluate(() => [...document.scripts].filter((s) => s.textContent?.includes('__pwned')).length), where).toBe(0);
  }

  it('shows a markup unit name as text on its district page, the matrix and the overview', async () => {
    for (const path of [`districts/${UNIT}`, 'districts/index', 'index']) {
      const { page, dialogs } = await open(path);
      await expectInert(page, dialogs, path);
      expect(await visibleText(page), path).toContain(PAYLOAD);
      if (path === `districts/${UNIT}`) {
        expect(await page.locator('.steward-hero h1').textContent()).toContain(PAYLOAD);
        expect(await page.title()).toContain(PAYLOAD);
      }
      await page.close();
    }
  });

  it("shows a markup KPI definition and formula as text on the definitions page and in a card's explanation", async () => {
    const { page, dialogs } = await open('models');
    await expectInert(page, dialogs, 'models');
    // The definition and the formula, in the KPI's section.
    expect((await visibleText(page)).split(PAYLOAD).length - 1).toBeGreaterThanOrEqual(2);
    await page.close();
    const pool = await open('pool');
    await pool.page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-explain summary').click();
    await expectInert(pool.page, pool.dialogs, 'pool card explanation');
    expect(await pool.page.locator('.steward-kpi[data-kpi="pool_cost_avoided_yuan"] .steward-explain-body').innerText()).toContain(PAYLOAD);
    await pool.page.close();
  });

  it('shows a markup quarantined cell as text on the data quality page', async () => {
    const { page, dialogs } = await open('quality');
    await expectInert(page, dialogs, 'quality');
    expect(await visibleText(page)).toContain(PAYLOAD);
    await page.close();
  });

  it('shows a markup list cell as text and escapes formula cells in its download', async () => {
    const { page, dialogs } = await open('pool');
    await expectInert(page, dialogs, 'pool');
    expect(await visibleText(page)).toContain(PAYLOAD);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-download="overdue_loans-ALL-2024-12"]').click()]);
    const lines = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').split('\r\n');
    for (const f of FORMULAS) {
      // Each arrives prefixed with a quote mark; no cell starts with the formula itself.
      expect(lines.filter((l) => l.split(',').includes(`'${f}`)).length, f).toBeGreaterThanOrEqual(1);
      expect(lines.some((l) => l.split(',').includes(f)), f).toBe(false);
    }
    // Numbers stay numbers: no cell of the download is a number behind a quote mark.
    expect(lines.some((l) => l.split(',').some((c) => /^'\d+$/.test(c)))).toBe(false);
    await page.close();
  });
});

/**
 * Text from exports and reference files is shown as text, never run as markup. A warehouse
 * (the small site fixture) gets markup payloads in a unit name, a model description, a KPI
 * formula, a quarantined record and its reason, and an action-list cell; the built pages are
 * opened in Chromium: no dialog may open, the payload's script may not run, and the payload
 * must be readable on the page as the literal text it is. Downloads must neutralise cells a
 * spreadsheet would take for a formula.
 *
 * Unit names come from the units reference (data/reference/units.csv), not from the warehouse,
 * so the payload unit name goes into a copy of the reference folder handed to the page-data step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openWarehouse, sqlString } from '../warehouse/db.ts';
import { serveSite, type SiteServer } from '../scripts/serve-site.ts';
import { buildFixtureWarehouse } from '../scripts/site-fixture.ts';
import { browserAvailable, buildSite, launchChromium, pageSettled, ROOT } from './helpers/browser.ts';
import { runScratch } from './helpers/run.ts';

let WORK: string;
let DB: string;
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>window.__pwned=1</script>';
const PAYLOAD = `${IMG}${SCRIPT}`;
/** The unit whose name becomes the payload. */
const UNIT = 'YH';
/** Cells a spreadsheet would evaluate, in the overdue-loans list (one per leading character). */
const FORMULAS = ['=cmd|calc', '+1+1', '-1+1', '@SUM(1)'];
const run = browserAvailable();

/** The site built from the fixture warehouse with the given reference tables and catalog. */
async function buildWith(workDir: string, opts: { reference: string; catalog: string }): Promise<string> {
  return (await buildSite(DB, workDir, { data: opts })).distDir;
}

async function plantPayloads(): Promise<void> {
  const wh = await openWarehouse(DB);
  const p = sqlString(PAYLOAD);
  try {
    await wh.conn.run(`
      update main.kpis set formula = ${p}, source = ${p} where kpi_id = 'pool_cost_avoided_yuan';
      update meta.quarantine set reason = ${sqlString(`unknown unit "${PAYLOAD}"`)},
             record = ${sqlString(JSON.stringify({ trip_id: 'T-9', unit: PAYLOAD, distance_km: '12' }))} where "row" = 12;
      update meta.quarantine set reason = ${p} where "row" = 77;
      update main.pool_loans set asset_name = ${p} where unit_code = 'HZ' and status = 'overdue' and asset_name = '办公桌';
    `);
    // The fixture already names one overdue asset "=cmd|calc" (unit HZ); the other three
    // leading characters go to Shangcheng's, Gongshu's and Xihu's first overdue loans.
    for (const [i, unit] of ['SC', 'GS', 'XH'].entries()) {
      await wh.conn.run(`update main.pool_loans set asset_name = ${sqlString(FORMULAS[i + 1])} where unit_code = '${unit}' and status = 'overdue' and days_overdue = 120`);
    }
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
    await buildFixtureWarehouse(DB);
    await plantPayloads();
    const reference = join(WORK, 'reference');
    cpSync(join(ROOT, 'data/reference'), reference, { recursive: true });
    const units = readFileSync(join(reference, 'units.csv'), 'utf8');
    // The payload has no comma or quote, so it is a plain CSV cell.
    writeFileSync(join(reference, 'units.csv'), units.replace(new RegExp(`^${UNIT},[^,]*,`, 'm'), `${UNIT},${PAYLOAD},`));
    // A small catalog in the shape `steward docs` writes (data/catalog.json is generated, not shipped).
    const catalog = {
      generated_at: '2025-01-06T09:00:00Z',
      models: [
        { name: 'stg_vehicle_trips', layer: 'staging', description: 'Trips, one row per trip.', columns: [{ name: 'trip_id', type: 'VARCHAR' }], tests: [], depends_on: { models: [], sources: ['raw.vehicle_trips'] } },
        { name: 'vehicle_months', layer: 'marts', description: PAYLOAD, columns: [{ name: 'km', type: 'DOUBLE' }], tests: [], depends_on: { models: ['stg_vehicle_trips'], sources: [] } },
      ],
    };
    writeFileSync(join(WORK, 'catalog.json'), JSON.stringify(catalog));
    const dist = await buildWith(join(WORK, 'site'), { reference, catalog: join(WORK, 'catalog.json') });
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

  it('shows a markup model description and KPI formula as text on the models page', async () => {
    const { page, dialogs } = await open('models');
    await expectInert(page, dialogs, 'models');
    const text = await visibleText(page);
    // Once as the model's description, twice for the KPI's formula and source.
    expect(text.split(PAYLOAD).length - 1).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('shows a markup quarantine reason and record as text on the data quality page', async () => {
    const { page, dialogs } = await open('quality');
    await expectInert(page, dialogs, 'quality');
    const text = await visibleText(page);
    expect(text).toContain(`unknown unit "${PAYLOAD}"`);
    expect(text).toContain(`"unit":"${PAYLOAD}"`);
    await page.close();
  });

  it('shows a markup list cell as text and escapes formula cells in its download', async () => {
    const { page, dialogs } = await open('pool');
    await expectInert(page, dialogs, 'pool');
    expect(await visibleText(page)).toContain(PAYLOAD);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-download="pool_overdue_loans"]').click()]);
    const lines = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').split('\r\n');
    for (const f of FORMULAS) {
      // Each arrives prefixed with a quote mark; no cell starts with the formula itself.
      expect(lines.filter((l) => l.split(',').includes(`'${f}`)).length, f).toBeGreaterThanOrEqual(1);
      expect(lines.some((l) => l.split(',').includes(f)), f).toBe(false);
    }
    // Numbers stay numbers: the planted rows' days overdue (120) is not quoted.
    expect(lines.filter((l) => l.split(',').includes('120')).length).toBeGreaterThanOrEqual(4);
    await page.close();
  });
});

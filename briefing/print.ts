/**
 * The briefing's PDF: the HTML opened in Debian's Chromium (headless, through playwright-core, as
 * the screenshots and browser tests do) with print media, laid out on sheets by its own script,
 * then printed at A4 with the fonts it used embedded. Waits for the page's ready marker, never for
 * a fixed time. A sheet whose content does not fit is refused rather than printed cut off.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { CHROMIUM } from '../scripts/screenshots.ts';

export const BROWSER_HINT = `apt-get install -y chromium fonts-noto-cjk`;

export function chromiumAvailable(executablePath: string = CHROMIUM): boolean {
  return existsSync(executablePath);
}

export async function launchChromium(executablePath: string = CHROMIUM): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface Printed {
  pages: number;
}

/** Prints `htmlFile` to `pdfFile`; the number of sheets is the PDF's page count. */
export async function printBriefing(browser: Browser, htmlFile: string, pdfFile: string): Promise<Printed> {
  const page = await browser.newPage();
  try {
    // The briefing needs nothing from the network; nothing is fetched.
    await page.route(/^https?:/, (route) => route.abort());
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForSelector('html[data-ready]', { state: 'attached', timeout: 120_000 });
    const layout = await page.evaluate(() => ({
      pages: Number(document.documentElement.getAttribute('data-pages')),
      overflow: Array.from(document.querySelectorAll('.sheet')).map((s, i) => (s.hasAttribute('data-overflow') ? i + 1 : 0)).filter(Boolean),
    }));
    if (layout.overflow.length) throw new Error(`${htmlFile}: page ${layout.overflow.join(', ')} holds a block taller than a sheet; it would print cut off`);
    await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
    return { pages: layout.pages };
  } finally {
    await page.close();
  }
}

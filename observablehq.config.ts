/**
 * Observable Framework configuration of the Steward dashboard. Everything the site needs comes
 * from node_modules or src/ (no CDN, no web fonts): the build and the reader's browser work with
 * no network. Sidebar labels are the Chinese catalog entries; pages translate them when lang=en.
 *
 * STEWARD_SITE_ROOT / STEWARD_SITE_OUT let the tests build a copy of the site elsewhere.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGES } from './src/components/i18n.ts';
import { AREAS } from './src/components/areas.ts';

const here = dirname(fileURLToPath(import.meta.url));
const zh = MESSAGES.zh;

/** Unit codes and Chinese names from the units reference (first three columns carry no quotes). */
function readUnits(): { code: string; name: string }[] {
  const lines = readFileSync(join(here, 'data/reference/units.csv'), 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const ci = header.indexOf('unit_code');
  const ni = header.indexOf('name_zh');
  return lines.slice(1).map((l) => l.split(',')).map((c) => ({ code: c[ci], name: c[ni] })).filter((u) => u.code);
}

const units = readUnits();

export default {
  root: process.env.STEWARD_SITE_ROOT ?? 'src',
  output: process.env.STEWARD_SITE_OUT ?? 'dist',
  title: zh['site.title'],
  // Quality and the KPI definitions stay in view above the fifteen district pages.
  pages: [
    { name: zh['nav.overview'], path: '/index' },
    ...AREAS.map((a) => ({ name: zh[`nav.${a}`], path: `/${a}` })),
    { name: zh['nav.quality'], path: '/quality' },
    { name: zh['nav.models'], path: '/models' },
    {
      name: zh['nav.districts'],
      open: false,
      pages: [{ name: zh['nav.matrix'], path: '/districts/index' }, ...units.map((u) => ({ name: u.name, path: `/districts/${u.code}` }))],
    },
  ],
  dynamicPaths: [...AREAS.map((a) => `/${a}`), ...units.map((u) => `/districts/${u.code}`)],
  // No Google Fonts (the default) and no CDN: the theme's own stylesheet plus ours.
  globalStylesheets: [],
  style: 'style.css',
  // An empty icon: browsers stop asking for /favicon.ico (a 404 in the console).
  head: '<link rel="icon" href="data:,">',
  header: `<div class="steward-brand">${zh['site.title']}</div>`,
  footer: '<span class="steward-footer"></span>',
  search: false,
  pager: false,
  toc: false,
  // Plain .html links work on any static host, with no rewrite rules.
  preserveExtension: true,
};

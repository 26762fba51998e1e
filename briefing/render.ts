/**
 * The briefing as one HTML document: a cover, contents, the period at a glance (headline figures
 * and the statements of kpi_highlights worded by the overview's sentence generator), one section
 * per area (its KPIs, a trend chart, who lags the median, the records behind the flags), data
 * quality, and an appendix of definitions, factors, targets and events with their sources.
 *
 * One language per document; text quoted from an export or a cited document is marked lang="zh"
 * in English, Latin text inside declared or cited text translate="no" in Chinese. Every figure is a model's column formatted by format.ts and every word comes from
 * the i18n catalog. The HTML is laid out for A4 by print CSS and, in a browser, by a small script
 * that places its blocks on sheets and numbers the pages (paginate.js). Pure: the same data gives
 * the same bytes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatChange, formatCount, formatPercent, formatValue, grouped, moneyColumn, onCard, scaleFor, withUnit, type KpiFormat } from '../src/components/format.ts';
import { sentence, type SentenceContext } from '../src/components/highlights.ts';
import { formatDate, formatDateRange, formatPeriod, inLang, t, unitName, valueLabel, type Lang, type UnitMeta } from '../src/components/i18n.ts';
import type { AreaData, BriefingData, ListRows, Row } from './data.ts';
import { trendSvg } from './chart.ts';
import { html, quoted, raw, type Markup } from './markup.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const STYLE = readFileSync(join(HERE, 'print.css'), 'utf8');
const PAGINATE = readFileSync(join(HERE, 'paginate.js'), 'utf8');

/** Rows a flag's table shows in print; the dashboard has them all. */
const LIST_ROWS = 5;
const ZH_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

type Cell = 'unit' | 'text' | 'id' | 'money' | 'date' | 'month' | 'code' | 'status' | 'percent' | 'count' | 'km' | 'tonnes' | 'ratio' | 'amount';

/** The columns of each flag's table that fit an A4 page, and how each reads. */
const LIST_COLUMNS: Record<string, [string, Cell][]> = {
  overdue_loans: [['unit_code', 'unit'], ['asset_name', 'text'], ['asset_category', 'code'], ['to_agency', 'text'], ['due_date', 'date'], ['days_overdue', 'count']],
  missed_reuse: [['unit_code', 'unit'], ['project_name', 'text'], ['item_category', 'code'], ['contracted_on', 'date'], ['missed_reuse_yuan', 'money'], ['unit_idle_stock', 'count']],
  underused_vehicles: [['unit_code', 'unit'], ['vehicle_id', 'id'], ['vehicle_class', 'code'], ['energy', 'code'], ['day_utilisation', 'percent'], ['used_working_days', 'count'], ['km', 'km']],
  energy_anomalies: [['unit_code', 'unit'], ['building_id', 'id'], ['carrier', 'code'], ['month', 'month'], ['amount', 'amount'], ['ratio_to_prior_year', 'ratio'], ['anomaly', 'status']],
  meetings_not_zero_carbon: [['unit_code', 'unit'], ['meeting_name', 'text'], ['held_on', 'date'], ['attendees', 'count'], ['gross_t', 'tonnes'], ['offset_t', 'tonnes'], ['net_t', 'tonnes']],
  split_purchases: [['unit_code', 'unit'], ['agency', 'text'], ['item_category', 'code'], ['first_contracted_on', 'date'], ['records', 'count'], ['total_contract_yuan', 'money'], ['lowest_threshold_crossed_yuan', 'money']],
};
const NUMERIC: Cell[] = ['money', 'percent', 'count', 'km', 'tonnes', 'ratio', 'amount'];

interface Ctx {
  d: BriefingData;
  l: Lang;
  unit: string;
  unitLabel: string;
  periodLabel: string;
  units: Record<string, UnitMeta>;
  labels: Map<string, string>;
  figures: number;
}

const tr = (c: Ctx, key: string, params: Record<string, string | number> = {}) => t(key, params, c.l);
const meta = (c: Ctx, id: string) => c.d.kpis[id] as KpiFormat & Row;
const kpiName = (c: Ctx, id: string) => inLang(c.d.kpis[id], 'name', c.l) || id;
const uname = (c: Ctx, code: string) => unitName(code, c.units, c.l);
const sep = (l: Lang) => (l === 'zh' ? '、' : ', ');

function sectionNumber(i: number, l: Lang): string {
  return l === 'zh' ? `${ZH_NUMERALS[i]}、` : `${i + 1}. `;
}

function change(card: Row | undefined, field: 'previous' | 'last_year', l: Lang): Markup {
  if (!card) return html`—`;
  const value = field === 'previous' ? card.change_vs_previous : card.change_vs_last_year;
  const better = field === 'previous' ? card.previous_is_better : card.last_year_is_better;
  const cls = better === true ? 'good' : better === false ? 'bad' : 'flat';
  return html`<span class=${cls}>${formatChange(value, card.change_unit, l)}</span>`;
}

/** The year's target as the card says it: ≤ or ≥ the value, marked when it is the sample's example. */
function targetCell(c: Ctx, card: Row | undefined, m: KpiFormat & Row): Markup {
  if (!card) return html`—`;
  if (card.target_state === 'none') return html`<span class="flat">${tr(c, 'card.noTarget')}</span>`;
  if (card.target_state !== 'set') return html`<span class="flat">${tr(c, `target.${card.target_state}`)}</span>`;
  const sign = m.direction === 'lower' ? '≤' : '≥';
  const value = onCard(m, card.value, card.target_value, c.l);
  return html`${tr(c, 'briefing.targetOf', { sign, value })}${card.target_is_example ? html` <span class="example">${tr(c, 'target.example')}</span>` : ''}`;
}

/**
 * Met or not, by how much, and — for a target judged on the year so far — the value judged. In a
 * narrow card the gap goes on the next line.
 */
function statusCell(c: Ctx, card: Row | undefined, m: KpiFormat & Row, narrow = false): Markup {
  if (!card || card.target_state !== 'set' || card.target_met === null || card.target_met === undefined) return html`—`;
  const cls = card.target_met ? 'good' : 'bad';
  const gap = formatChange(card.target_gap, card.change_unit, c.l);
  const status = tr(c, card.target_met ? 'target.met' : 'target.missed');
  const judged = card.target_basis === 'year' && card.grain !== 'year' ? tr(c, 'target.yearSoFar', { value: onCard(m, card.value, card.target_compared_value, c.l) }) : '';
  if (narrow) return html`<span class=${cls}>${status} <small>${gap}</small></span>${judged ? html`<br><small>${judged}</small>` : ''}`;
  return html`<span class=${cls}>${status} · ${gap}</span>${judged ? html`<br><small>${judged}</small>` : ''}`;
}

function rankCell(c: Ctx, card: Row | undefined, rankable = true): string {
  if (!card) return '—';
  if (!rankable) return tr(c, 'rank.total');
  if (card.too_small_to_rank) return tr(c, 'rank.notRanked');
  if (card.rank_withheld) return tr(c, 'rank.allEqual');
  if (card.rank === null || card.rank === undefined) return '—';
  return `${tr(c, 'rank.of', { rank: card.rank, n: card.ranked_units })}${card.quartile ? ` · ${tr(c, `quartile.${card.quartile}`)}` : ''}`;
}

function valueCell(c: Ctx, card: Row | undefined, m: KpiFormat & Row): Markup {
  if (!card) return html`<span class="flat">${tr(c, 'card.noData')}</span>`;
  const months = m.size_basis === 'vehicles' && c.d.request.grain !== 'month' && card.months_counted ? html`<br><small>${tr(c, card.months_counted === 1 ? 'card.reportedMonth' : 'card.reportedMonths', { n: card.months_counted })}</small>` : '';
  return html`<b>${formatValue(m, card.value, c.l)}</b>${months}`;
}

// ── cover and contents ──────────────────────────────────────────────────────────────────────────

function cover(c: Ctx): Markup {
  const title = tr(c, `briefing.title.${c.d.request.grain}`);
  const asOf = c.d.asOf?.as_of_date ? tr(c, 'briefing.asOf', { date: formatDate(c.d.asOf.as_of_date, c.l) }) : '';
  return html`<section class="cover page-start" id="cover" data-sheet="cover">
  <p class="issuer">${tr(c, 'site.subtitle')}</p>
  <h1>${title}</h1>
  <p class="cover-unit">${c.unitLabel}</p>
  <p class="cover-period">${c.periodLabel}</p>
  <p class="cover-asof">${asOf}</p>
  <p class="cover-note">${tr(c, 'briefing.coverNote')}</p>
</section>`;
}

interface Entry {
  id: string;
  title: string;
  sub?: boolean;
}

function contents(c: Ctx, entries: Entry[]): Markup {
  return html`<section class="block page-start contents" id="contents">
  <h2>${tr(c, 'briefing.contents')}</h2>
  <ol class="toc">${entries.map((e) => html`<li class=${e.sub ? 'sub' : ''}><a href=${`#${e.id}`}><span class="toc-title">${e.title}</span><span class="toc-leader"></span><span class="toc-page" data-toc-target=${e.id}></span></a></li>`)}</ol>
</section>`;
}

// ── the period at a glance ─────────────────────────────────────────────────────────────────────

function headlineCard(c: Ctx, id: string, card: Row | undefined): Markup {
  const m = meta(c, id);
  const rows: [string, Markup | string][] = [];
  if (c.d.request.grain !== 'year') rows.push([tr(c, 'card.vsPrevious'), change(card, 'previous', c.l)]);
  rows.push([tr(c, 'card.vsLastYear'), change(card, 'last_year', c.l)]);
  rows.push([card?.target_year ? tr(c, 'target.label', { year: card.target_year }) : tr(c, 'area.target'), targetCell(c, card, m)]);
  rows.push([tr(c, 'col.status'), statusCell(c, card, m, true)]);
  if (c.unit !== 'ALL') rows.push([tr(c, 'col.rank'), rankCell(c, card, Boolean(m.rankable))]);
  return html`<div class="hcard" data-kpi=${id}>
  <div class="hname">${kpiName(c, id)}</div>
  <div class="hvalue">${card ? formatValue(m, card.value, c.l) : tr(c, 'card.noData')}</div>
  <table class="hrows">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
</div>`;
}

/**
 * The statements of kpi_highlights in their order, five at most, never fewer than three on the
 * figures: the events overlapping the period first (the context), and the first late export
 * always (it says which figures to trust less).
 */
function statements(c: Ctx): { text: string; tone: string }[] {
  const ctx: SentenceContext = {
    kpis: c.d.kpis as SentenceContext['kpis'],
    unitName: (code) => uname(c, code),
    tableName: (name) => inLang(c.d.tables[name], 'name', c.l) || name,
  };
  const all = c.d.highlights.map((h) => ({ h, s: sentence(h, ctx, c.l) })).filter((x) => x.s);
  const events = all.filter((x) => x.h.kind === 'event');
  const quality = all.filter((x) => x.h.kind === 'quality').slice(0, 1);
  const figures = all.filter((x) => x.h.kind !== 'event' && x.h.kind !== 'quality').slice(0, Math.max(3, 5 - events.length - quality.length));
  return [...events, ...figures, ...quality].map((x) => ({ text: x.s!.text, tone: x.s!.tone }));
}

function glance(c: Ctx, title: string): Markup[] {
  const said = statements(c);
  return [
    html`<h2 class="page-start keep section" id="s-glance">${title}</h2>`,
    html`<h3 class="keep">${tr(c, 'briefing.headlineFigures')} · ${c.unitLabel} · ${c.periodLabel}</h3>`,
    html`<div class="block headline">${c.d.headline.map((h) => headlineCard(c, h.kpi_id, h.card))}</div>`,
    html`<h3 class="keep">${tr(c, 'briefing.whatChanged')}</h3>`,
    html`<div class="block statements">${said.length ? html`<ol>${said.map((s) => html`<li class=${s.tone}>${quoted(s.text, c.l)}</li>`)}</ol>` : html`<p>${tr(c, 'briefing.nothingStands')}</p>`}</div>`,
  ];
}

// ── one area ───────────────────────────────────────────────────────────────────────────────────

function kpiTable(c: Ctx, a: AreaData): Markup {
  const ranked = c.unit !== 'ALL';
  return html`<table class="data kpis">
  <thead><tr><th>${tr(c, 'col.kpi')}</th><th class="num">${tr(c, 'briefing.col.value')}</th>${c.d.request.grain !== 'year' ? html`<th class="num">${tr(c, 'card.vsPrevious')}</th>` : ''}<th class="num">${tr(c, 'card.vsLastYear')}</th><th>${tr(c, 'briefing.col.target')}</th><th>${tr(c, 'col.status')}</th>${ranked ? html`<th>${tr(c, 'col.rank')}</th>` : ''}</tr></thead>
  <tbody>${a.kpiIds.map((id) => {
    const card = a.cards[id];
    const m = meta(c, id);
    return html`<tr data-kpi=${id}><td>${kpiName(c, id)}</td><td class="num">${valueCell(c, card, m)}</td>${c.d.request.grain !== 'year' ? html`<td class="num">${change(card, 'previous', c.l)}</td>` : ''}<td class="num">${change(card, 'last_year', c.l)}</td><td>${targetCell(c, card, m)}</td><td>${statusCell(c, card, m)}</td>${ranked ? html`<td>${rankCell(c, card, Boolean(m.rankable))}</td>` : ''}</tr>`;
  })}</tbody>
</table>`;
}

function trendFigure(c: Ctx, a: AreaData): Markup | null {
  if (!a.lead) return null;
  const m = meta(c, a.lead);
  const rows = a.series.filter((r) => r.value !== null);
  // The city is not compared with the median of its units; a target is drawn where it compares
  // with the line: a value judged per period (a rate), or at year grain.
  const median = c.unit === 'ALL' ? [] : rows.filter((r) => r.peer_median !== null).map((r) => ({ period: r.period, value: r.peer_median }));
  const target = rows.filter((r) => r.target_state === 'set' && r.target_value !== null && (r.target_basis === 'period' || c.d.request.grain === 'year')).map((r) => ({ period: r.period, value: r.target_value }));
  const name = kpiName(c, a.lead);
  const title = tr(c, 'area.trend', { kpi: name, unit: c.unitLabel });
  const trend = trendSvg({
    meta: m,
    lang: c.l,
    series: rows.map((r) => ({ period: r.period, value: r.value })),
    seriesLabel: c.unitLabel,
    median,
    medianLabel: tr(c, 'area.peerMedian'),
    target,
    targetLabel: tr(c, 'area.target'),
    reference: m.reference_factor ? { value: Number(m.reference_value), label: inLang(m, 'reference_label', c.l) } : undefined,
    events: c.d.events.map((e) => ({ starts_on: e.starts_on, ends_on: e.ends_on, label: inLang(e, 'short', c.l) })),
    title,
  });
  c.figures += 1;
  const shaded = trend?.svg.includes('class="event"');
  const span = rows.length ? `${formatPeriod(rows[0].period, c.l)} – ${formatPeriod(rows[rows.length - 1].period, c.l)}` : '';
  const about = [trend?.unit, span].filter(Boolean).join(c.l === 'zh' ? '；' : '; ');
  return html`<figure class="block chart">
  <figcaption>${tr(c, 'briefing.figure', { n: c.figures, title })}${about ? html` <small>${c.l === 'zh' ? `（${about}）` : `(${about})`}</small>` : ''}</figcaption>
  ${trend ? raw(trend.svg) : html`<p class="empty">${tr(c, 'empty.data')}</p>`}
  ${shaded ? html`<p class="note">${tr(c, 'briefing.chartNote')}</p>` : ''}
</figure>`;
}

function laggardTable(c: Ctx, a: AreaData): Markup[] {
  if (!a.laggards.length) return [];
  const behind = a.laggards.filter((r) => r.position !== null && r.position <= 3);
  return [
    html`<h3 class="keep">${tr(c, 'briefing.laggards')}</h3>`,
    html`<div class="block">
  <p class="note">${tr(c, 'briefing.laggardsNote')}</p>
  ${behind.length || c.unit !== 'ALL' ? html`<table class="data laggards">
    <thead><tr><th>${tr(c, 'col.kpi')}</th><th>${tr(c, 'col.unit')}</th><th class="num">${tr(c, 'col.value')}</th><th class="num">${tr(c, 'col.median')}</th><th class="num">${tr(c, 'col.behindMedian')}</th><th>${tr(c, 'col.rank')}</th></tr></thead>
    <tbody>${a.laggards.map((r) => {
      const m = meta(c, r.kpi_id);
      const mine = r.unit_code === c.unit;
      return html`<tr class=${mine ? 'own' : ''}><td>${kpiName(c, r.kpi_id)}</td><td>${uname(c, r.unit_code)}${mine ? tr(c, 'briefing.ownUnit') : ''}</td><td class="num">${formatValue(m, r.value, c.l)}</td><td class="num">${formatValue(m, r.peer_median, c.l)}</td><td class="num">${r.position ? formatPercent(r.behind_median, c.l) : tr(c, 'briefing.notBehind')}</td><td>${rankCell(c, r)}</td></tr>`;
    })}</tbody>
  </table>` : html`<p>${tr(c, 'briefing.laggardsNone')}</p>`}
</div>`,
  ];
}

function listCell(c: Ctx, kind: Cell, key: string, row: Row, money: (v: number) => string): Markup | string {
  const v = row[key];
  if (v === null || v === undefined || v === '') return '—';
  switch (kind) {
    case 'unit': return uname(c, v);
    case 'id': return html`<code>${quoted(v, c.l)}</code>`;
    case 'money': return money(v);
    case 'date': return formatDate(String(v), c.l);
    case 'month': return formatPeriod(String(v).slice(0, 7), c.l);
    case 'code': return c.labels.get(`${key}|${v}`) ?? quoted(v, c.l);
    case 'status': return valueLabel(v, c.l);
    case 'percent': return formatPercent(v, c.l);
    case 'count': return formatCount(v, c.l, Number.isInteger(v) ? 0 : 1);
    case 'km': return formatCount(v, c.l, 1);
    case 'tonnes': return grouped(v, 2, c.l);
    case 'ratio': return `${grouped(v, 2, c.l)}×`;
    case 'amount': return `${formatCount(v, c.l, Number.isInteger(v) ? 0 : 1)} ${row.amount_unit ?? ''}`.trim();
    default: return quoted(v, c.l);
  }
}

function listBlock(c: Ctx, list: ListRows): Markup[] {
  const columns = (LIST_COLUMNS[list.id] ?? list.columns.map((k) => [k, 'text'] as [string, Cell])).filter(([k]) => c.unit === 'ALL' || k !== 'unit_code');
  const shown = list.rows.slice(0, LIST_ROWS);
  // Each money column in one scale, from the rows shown.
  const money = new Map(columns.filter(([, kind]) => kind === 'money').map(([k]) => [k, moneyColumn(shown.map((r) => r[k] as number), c.l)]));
  return [
    html`<h3 class="keep">${tr(c, `list.${list.id}`)}</h3>`,
    html`<div class="block list">${shown.length ? html`<table class="data">
  <thead><tr>${columns.map(([k, kind]) => html`<th class=${NUMERIC.includes(kind) ? 'num' : ''}>${tr(c, `field.${k}`)}</th>`)}</tr></thead>
  <tbody>${shown.map((r) => html`<tr>${columns.map(([k, kind]) => html`<td class=${NUMERIC.includes(kind) ? 'num' : ''}>${listCell(c, kind, k, r, money.get(k) ?? String)}</td>`)}</tr>`)}</tbody>
</table>${list.total > shown.length ? html`<p class="note">${tr(c, 'briefing.listMore', { n: list.total, shown: shown.length })}</p>` : ''}` : html`<p class="empty">${tr(c, 'empty.list')}</p>`}</div>`,
  ];
}

/** The operating cost split into what it is made of (opcost_periods), where the area has it. */
function composition(c: Ctx, a: AreaData): Markup[] {
  const row = a.composition;
  if (!row) return [];
  const parts: [string, number][] = [[tr(c, 'opcost.energy'), row.energy_cost_yuan], [tr(c, 'opcost.vehicles'), row.vehicle_cost_yuan], [tr(c, 'opcost.procurement'), row.procurement_yuan]];
  return [
    html`<h3 class="keep">${tr(c, 'opcost.composition')}</h3>`,
    html`<div class="block"><table class="data composition">
  <thead><tr><th>${tr(c, 'col.component')}</th><th class="num">${tr(c, 'briefing.col.value')}</th></tr></thead>
  <tbody>${parts.map(([name, v]) => html`<tr><td>${name}</td><td class="num">${moneyColumn(parts.map((p) => p[1]), c.l)(v)}</td></tr>`)}</tbody>
</table><p class="note">${tr(c, 'briefing.opcostNote')}</p></div>`,
  ];
}

function areaSection(c: Ctx, a: AreaData, title: string): Markup[] {
  return [
    html`<h2 class="page-start keep section" id=${`s-${a.area}`}>${title}</h2>`,
    html`<p class="block lede">${tr(c, `page.${a.area}.lede`)}</p>`,
    html`<div class="block">${kpiTable(c, a)}</div>`,
    ...composition(c, a),
    trendFigure(c, a),
    ...laggardTable(c, a),
    ...a.lists.flatMap((list) => listBlock(c, list)),
  ].filter((b): b is Markup => b !== null);
}

// ── data quality ───────────────────────────────────────────────────────────────────────────────

function qualitySection(c: Ctx, title: string): Markup[] {
  const threshold = c.d.factors.find((f) => f.id === 'quality_quarantine_share')?.value;
  const share = formatPercent(threshold, c.l, 0);
  const city = c.d.quality.filter((q) => q.unit_code === 'ALL');
  const units = c.d.quality.filter((q) => q.unit_code !== 'ALL');
  const tableName = (name: string) => inLang(c.d.tables[name], 'name', c.l) || name;
  const headline = c.d.registry.filter((k) => k.headline !== null && k.headline !== undefined).sort((a, b) => a.headline - b.headline);
  const affects = (table: string) => headline.filter((k) => (c.d.lineage[k.kpi_id] ?? []).includes(table)).map((k) => kpiName(c, k.kpi_id)).join(sep(c.l)) || '—';
  const issue = (q: Row) => [q.is_late ? tr(c, 'briefing.qualityLate', { month: q.latest_month ? formatPeriod(q.latest_month, c.l) : '—' }) : '', q.is_heavily_quarantined ? tr(c, 'briefing.qualityHeavy', { share: formatPercent(q.quarantine_share, c.l) }) : ''].filter(Boolean).join(sep(c.l)) || tr(c, 'briefing.qualityOkCell');
  const attention = units.filter((q) => q.is_late || q.is_heavily_quarantined);
  const summary = attention.length
    ? tr(c, 'briefing.qualityIssues', { share })
    : tr(c, c.unit === 'ALL' ? 'briefing.qualityOk' : 'briefing.qualityUnitOk', { period: c.periodLabel, share });
  const noLineage = Object.keys(c.d.lineage).length ? '' : html`<p class="note">${tr(c, 'briefing.noLineage')}</p>`;
  const blocks: Markup[] = [
    html`<h2 class="page-start keep section" id="s-quality">${title}</h2>`,
    html`<p class="block lede">${tr(c, 'briefing.qualityLede')}</p>`,
    html`<p class="block summary">${summary}</p>`,
  ];
  if (attention.length) {
    blocks.push(html`<h3 class="keep">${tr(c, 'briefing.qualityAttention')}</h3>`);
    blocks.push(html`<div class="block"><table class="data">
  <thead><tr>${c.unit === 'ALL' ? html`<th>${tr(c, 'col.unit')}</th>` : ''}<th>${tr(c, 'col.table')}</th><th>${tr(c, 'briefing.col.issue')}</th><th>${tr(c, 'briefing.col.affects')}</th></tr></thead>
  <tbody>${attention.map((q) => html`<tr>${c.unit === 'ALL' ? html`<td>${uname(c, q.unit_code)}</td>` : ''}<td>${tableName(q.table_name)}</td><td class="bad">${issue(q)}</td><td>${affects(q.table_name)}</td></tr>`)}</tbody>
</table>${noLineage}</div>`);
  }
  blocks.push(html`<h3 class="keep">${tr(c, 'briefing.qualityByTable')}</h3>`);
  if (c.unit === 'ALL') {
    blocks.push(html`<div class="block"><table class="data">
  <thead><tr><th>${tr(c, 'col.table')}</th><th class="num">${tr(c, 'col.files')}</th><th class="num">${tr(c, 'col.read')}</th><th class="num">${tr(c, 'col.quarantined')}</th><th class="num">${tr(c, 'briefing.col.share')}</th><th class="num">${tr(c, 'briefing.col.unitsLate')}</th><th class="num">${tr(c, 'briefing.col.unitsHeavy')}</th></tr></thead>
  <tbody>${city.map((q) => html`<tr><td>${tableName(q.table_name)}</td><td class="num">${formatCount(q.files, c.l)}</td><td class="num">${formatCount(q.rows_read, c.l)}</td><td class="num">${formatCount(q.rows_quarantined, c.l)}</td><td class="num">${formatPercent(q.quarantine_share, c.l)}</td><td class="num">${formatCount(q.units_late, c.l)}</td><td class="num">${formatCount(q.units_heavily_quarantined, c.l)}</td></tr>`)}</tbody>
</table></div>`);
  } else {
    blocks.push(html`<div class="block"><table class="data">
  <thead><tr><th>${tr(c, 'col.table')}</th><th>${tr(c, 'briefing.col.latestMonth')}</th><th class="num">${tr(c, 'col.files')}</th><th class="num">${tr(c, 'col.read')}</th><th class="num">${tr(c, 'col.quarantined')}</th><th class="num">${tr(c, 'briefing.col.share')}</th><th>${tr(c, 'col.status')}</th></tr></thead>
  <tbody>${units.map((q) => html`<tr><td>${tableName(q.table_name)}</td><td>${q.latest_month ? formatPeriod(q.latest_month, c.l) : '—'}</td><td class="num">${formatCount(q.files, c.l)}</td><td class="num">${formatCount(q.rows_read, c.l)}</td><td class="num">${formatCount(q.rows_quarantined, c.l)}</td><td class="num">${formatPercent(q.quarantine_share, c.l)}</td><td class=${q.is_late || q.is_heavily_quarantined ? 'bad' : ''}>${issue(q)}</td></tr>`)}</tbody>
</table></div>`);
  }
  return blocks;
}

// ── appendix ───────────────────────────────────────────────────────────────────────────────────

function definition(c: Ctx, id: string): Markup {
  const m = c.d.kpis[id];
  const rows: [string, Markup | string][] = [
    [tr(c, 'explain.definition'), quoted(inLang(m, 'definition', c.l), c.l)],
    [tr(c, 'explain.formula'), html`${quoted(inLang(m, 'formula', c.l), c.l)} <span class="flat">· ${tr(c, `direction.${m.direction}`)}</span>`],
  ];
  if (m.defined_grain) rows.push([tr(c, 'explain.grain'), tr(c, 'explain.definedAt', { grain: tr(c, `grain.${m.defined_grain}`) })]);
  const factorIds = (m.factors ?? []).map((f: Row) => f.id as string);
  if (factorIds.length || m.grid_series) {
    const grid = m.grid_series ? [tr(c, 'explain.gridSeries', { series: tr(c, `grid.${m.grid_series}`) })] : [];
    rows.push([tr(c, 'explain.factors'), html`${factorIds.map((f: string, i: number) => html`${i ? sep(c.l) : ''}<code>${f}</code>`)}${factorIds.length && grid.length ? sep(c.l) : ''}${grid}`]);
  }
  const target = [...c.d.targets].reverse().find((x) => x.kpi_id === id);
  if (m.target_rule !== 'none' && target) {
    const what = m.target_rule === 'path'
      ? tr(c, 'explain.targetPath', { change: formatPercent(target.change, c.l, 0), from: target.baseline_year, to: target.target_year })
      : tr(c, 'explain.targetLevel', { from: target.from_year, to: target.to_year });
    rows.push([tr(c, 'explain.target'), html`${what}${target.is_example ? html` <span class="example">${tr(c, 'target.example')}</span>` : ''}<br><small>${quoted(c.l === 'zh' ? target.source_zh : target.source, c.l)}</small>`]);
  }
  const uom = inLang(m, 'unit', c.l);
  return html`<div class="block definition" id=${`def-${id}`}>
  <h4>${kpiName(c, id)}${uom ? html` <span class="uom">(${uom})</span>` : ''} <code>${id}</code></h4>
  <dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
</div>`;
}

/**
 * Every factor and threshold a KPI uses, once, in a table per kind (emission factors with the grid
 * factors of the selected series, conversions, thresholds and conventions).
 */
function factorTables(c: Ctx): Markup[] {
  const used = new Set(c.d.registry.flatMap((k) => (k.factors ?? []).map((f: Row) => f.id as string)));
  const gridKpi = c.d.registry.find((k) => k.grid_series);
  const value = (v: number) => grouped(v, String(v).split('.')[1]?.length ?? 0, c.l);
  const source = (r: Row) => html`<small>${quoted(c.l === 'zh' ? r.source_zh : r.source ?? r.source_en, c.l)}</small>`;
  const head = html`<thead><tr><th>${tr(c, 'col.factor')}</th><th class="num">${tr(c, 'col.value')}</th><th>${tr(c, 'col.uom')}</th><th>${tr(c, 'col.year')}</th><th>${tr(c, 'col.source')}</th></tr></thead>`;
  const blocks: Markup[] = [];
  for (const kind of ['emission_factor', 'energy_conversion', 'threshold']) {
    const rows = c.d.factors.filter((f) => f.kind === kind && used.has(f.id));
    const grid = kind === 'emission_factor' ? ((gridKpi?.grid_factors ?? []) as Row[]) : [];
    if (!rows.length && !grid.length) continue;
    blocks.push(html`<h4 class="keep area-head">${tr(c, `briefing.factorKind.${kind}`)}</h4>`);
    blocks.push(html`<div class="block"><table class="data factors">${head}
  <tbody>${rows.map((f) => html`<tr><td><code>${f.id}</code></td><td class="num">${value(f.value)}</td><td class="uom">${c.l === 'zh' ? f.unit_zh : f.unit}${f.convention ? html` <small>${tr(c, `convention.${f.convention}`)}</small>` : ''}</td><td>${f.year ?? '—'}</td><td>${source(f)}</td></tr>`)}${grid.map((g) => html`<tr><td>${tr(c, 'explain.grid')} <small>${tr(c, `grid.${gridKpi!.grid_series}`)}</small></td><td class="num">${value(g.value)}</td><td class="uom">kgCO₂/kWh</td><td>${g.year}</td><td>${source(g)}</td></tr>`)}</tbody>
</table>${grid.length && gridKpi?.grid_fallback_years?.length ? html`<p class="note">${tr(c, 'explain.gridFallback', { years: gridKpi.grid_fallback_years.join(sep(c.l)) })}</p>` : ''}</div>`);
  }
  return blocks;
}

function appendix(c: Ctx, titles: { definitions: string; factors: string; events: string }): Markup[] {
  const blocks: Markup[] = [html`<h2 class="page-start keep section" id="s-appendix">${tr(c, 'briefing.appendix')}</h2>`, html`<h3 class="keep" id="s-definitions">${titles.definitions}</h3>`];
  for (const a of c.d.areas) {
    const own = a.kpiIds.filter((id) => c.d.kpis[id].area === a.area);
    if (!own.length) continue;
    blocks.push(html`<h4 class="keep area-head">${tr(c, `nav.${a.area}`)}</h4>`);
    for (const id of own) blocks.push(definition(c, id));
  }
  blocks.push(html`<h3 class="keep" id="s-factors">${titles.factors}</h3>`);
  blocks.push(...factorTables(c));
  blocks.push(html`<h3 class="keep" id="s-events">${titles.events}</h3>`);
  blocks.push(html`<div class="block"><p class="note">${tr(c, 'briefing.eventsNote')}</p><table class="data events">
  <thead><tr><th>${tr(c, 'briefing.col.event')}</th><th>${tr(c, 'briefing.col.dates')}</th><th>${tr(c, 'field.kind')}</th><th>${tr(c, 'col.source')}</th></tr></thead>
  <tbody>${c.d.events.map((e) => html`<tr><td>${quoted(inLang(e, 'name', c.l), c.l)}</td><td class="nowrap">${formatDateRange(e.starts_on, e.ends_on, c.l)}</td><td class="nowrap">${tr(c, `event.kind.${e.kind}`)}</td><td><small>${quoted(c.l === 'zh' ? e.source_zh : e.source, c.l)}</small></td></tr>`)}</tbody>
</table></div>`);
  return blocks;
}

// ── the document ───────────────────────────────────────────────────────────────────────────────

export function renderBriefing(d: BriefingData, l: Lang): string {
  const { unit, grain, period } = d.request;
  const units = Object.fromEntries(d.units.map((u) => [u.unit_code, u as UnitMeta]));
  const labels = new Map(d.labels.map((x) => [`${x.column_name}|${x.code}`, l === 'zh' ? x.name_zh : x.name_en]));
  const c: Ctx = { d, l, unit, unitLabel: unitName(unit, units, l), periodLabel: formatPeriod(period, l), units, labels, figures: 0 };
  const title = tr(c, `briefing.title.${grain}`);

  const sections: { id: string; title: string; blocks: () => Markup[] }[] = [];
  let n = 0;
  const numbered = (s: string) => `${sectionNumber(n++, l)}${s}`;
  const glanceTitle = numbered(tr(c, 'briefing.headline'));
  sections.push({ id: 's-glance', title: glanceTitle, blocks: () => glance(c, glanceTitle) });
  for (const a of d.areas) {
    const areaTitle = numbered(tr(c, `nav.${a.area}`));
    sections.push({ id: `s-${a.area}`, title: areaTitle, blocks: () => areaSection(c, a, areaTitle) });
  }
  const qualityTitle = numbered(tr(c, 'quality.title'));
  sections.push({ id: 's-quality', title: qualityTitle, blocks: () => qualitySection(c, qualityTitle) });
  const appendices = {
    definitions: tr(c, 'briefing.appendixNumber', { n: 1, title: tr(c, 'models.kpis') }),
    factors: tr(c, 'briefing.appendixNumber', { n: 2, title: tr(c, 'explain.factors') }),
    events: tr(c, 'briefing.appendixNumber', { n: 3, title: tr(c, 'briefing.events') }),
  };
  sections.push({ id: 's-appendix', title: tr(c, 'briefing.appendix'), blocks: () => appendix(c, appendices) });
  const entries = [
    ...sections,
    { id: 's-definitions', title: appendices.definitions, sub: true },
    { id: 's-factors', title: appendices.factors, sub: true },
    { id: 's-events', title: appendices.events, sub: true },
  ];

  const body = [cover(c), contents(c, entries), ...sections.flatMap((s) => s.blocks())];
  const running = tr(c, 'briefing.running', { issuer: tr(c, 'site.subtitle'), unit: c.unitLabel, period: c.periodLabel, title });
  // The document's title is what the running head says.
  const doc = html`<!DOCTYPE html>
<html lang=${l}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${running}</title>
<style>${raw(STYLE)}</style>
</head>
<body data-folio=${tr(c, 'briefing.folio')} data-running=${running}>
<p class="screen-note">${tr(c, 'briefing.screenNote')}</p>
<main class="flow">
${body.map((b) => html`${b}\n`)}</main>
<script>${raw(PAGINATE)}</script>
</body>
</html>
`;
  return doc.text;
}

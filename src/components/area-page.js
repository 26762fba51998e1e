// One area page (pool, vehicles, energy, …): KPI cards, the lead KPI's trend against its target
// path and the peer median, small multiples by unit, the leaderboard and the lists to act on.
import {html} from "./dom.js";
import {t, kpiName, kpiDirection, formatKpi, formatPeriod, unitName} from "./i18n.js";
import {KpiIndex, pathFor, cardFigures} from "./kpi-data.js";
import {kpiCard} from "./kpi-card.js";
import {trendChart, smallMultiples, leaderboard, compositionChart} from "./charts.js";
import {panel} from "./download.js";
import {tablePanel} from "./table.js";
import {fieldColumns, targetsById} from "./page.js";

export function indexOf(data) {
  return new KpiIndex(data.values ?? {}, data.ranks ?? {}, data.peers ?? {});
}

/** Cards for `kpis` in a responsive grid, with the cards' figures as a CSV download. */
export function cardGrid(idx, kpis, site, state, {hrefOf} = {}) {
  const targets = targetsById(site);
  const grid = html`<div class="grid grid-cols-3 steward-cards">${kpis.map((k) => kpiCard(idx, k, site.kpis?.[k], state, targets[k] ?? null, {paths: site.target_paths, href: hrefOf?.(k)}))}</div>`;
  const rows = kpis.map((k) => {
    const f = cardFigures(idx, k, state.unit, state.period, state.grain, targets[k] ?? null, {paths: site.target_paths});
    return {kpi_id: k, kpi: kpiName(k, site.kpis?.[k]), unit_code: state.unit, period: state.period, value: f.value, previous: f.previous, same_period_last_year: f.lastYear,
      vs_previous: f.vsPrevious, vs_last_year: f.vsLastYear, target_year: f.toTarget?.year ?? null, target_path: f.toTarget?.path ?? null, to_target: f.toTarget?.gap ?? null};
  });
  const section = panel({title: `${unitName(state.unit, site.units)} · ${formatPeriod(state.period)}`, content: grid, rows, name: `kpis-${state.unit}-${state.period}`});
  section.classList.add("steward-cards-panel");
  return section;
}

/** The trend of one KPI for the chosen unit, with the peer median and (at year grain) the target path. */
export function trendPanel(idx, kpi, site, state, width) {
  const {grain, unit} = state;
  const name = kpiName(kpi, site.kpis?.[kpi]);
  const own = idx.series(kpi, unit, grain).slice(-36);
  const label = unitName(unit, site.units);
  const rows = own.map((p) => ({period: p.period, series: label, value: p.value}));
  const periods = new Set(own.map((p) => p.period));
  const median = [];
  // The city total is not comparable with a unit median; the median is drawn for a unit only.
  if (unit !== "ALL") for (const p of periods) {
    const s = idx.standing(kpi, unit, p, kpiDirection(kpi, site.kpis?.[kpi]));
    if (s.peerMedian !== null) median.push({period: p, value: s.peerMedian});
  }
  const target = targetsById(site)[kpi];
  let path = [];
  if (target && grain === "year") path = (pathFor(idx, target, unit, site.target_paths) ?? []).map((p) => ({period: String(p.year), value: p.value}));
  const csv = [
    ...rows,
    ...median.map((m) => ({period: m.period, series: t("area.peerMedian"), value: m.value})),
    ...path.map((m) => ({period: m.period, series: t("area.targetPath"), value: m.value})),
  ];
  return panel({
    title: t("area.trend", {kpi: name}),
    content: own.length ? trendChart(rows, {width, kpi, target: path, median}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows: csv,
    name: `${kpi}-${unit}-${grain}-trend`,
    columns: [{key: "period", label: t("col.period")}, {key: "series", label: t("col.unit")}, {key: "value", label: name}],
  });
}

export function multiplesPanel(idx, kpi, site, state, width) {
  const {grain} = state;
  const name = kpiName(kpi, site.kpis?.[kpi]);
  const periods = idx.periods(grain, [kpi]).filter((p) => p <= state.period).slice(-24);
  const keep = new Set(periods);
  const rows = [];
  for (const u of site.units) for (const p of idx.series(kpi, u.unit_code, grain)) if (keep.has(p.period)) rows.push({unit_code: u.unit_code, period: p.period, value: p.value});
  const median = periods.map((p) => ({period: p, value: idx.standing(kpi, "ALL", p, "higher").peerMedian})).filter((m) => m.value !== null);
  return panel({
    title: t("area.smallMultiples", {kpi: name}),
    content: rows.length ? smallMultiples(rows, {width, kpi, units: site.units, median}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows,
    name: `${kpi}-${grain}-by-unit`,
    columns: [{key: "unit_code", label: t("col.unit")}, {key: "period", label: t("col.period")}, {key: "value", label: name}],
  });
}

export function leaderboardPanel(idx, kpi, site, state, width) {
  const {period, unit} = state;
  const meta = site.kpis?.[kpi];
  const direction = kpiDirection(kpi, meta);
  const name = kpiName(kpi, meta);
  const rows = idx.cross(kpi, period).map((c) => {
    const s = idx.standing(kpi, c.unit_code, period, direction);
    return {unit_code: c.unit_code, value: c.value, rank: s.rank, tooSmall: s.tooSmall, peer_median: s.peerMedian};
  });
  const median = rows.find((r) => r.peer_median !== null)?.peer_median ?? null;
  return panel({
    title: t("area.leaderboard", {kpi: name, period: formatPeriod(period)}),
    note: `${t(`direction.${direction}`)} · ${t("area.peerMedian")}: ${formatKpi(kpi, median)}`,
    content: rows.length ? leaderboard(rows, {width, kpi, median, direction, highlight: unit, units: site.units}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows,
    name: `${kpi}-${period}-ranking`,
    columns: [{key: "unit_code", label: t("col.unit")}, {key: "value", label: name}, {key: "rank", label: t("col.rank")}, {key: "peer_median", label: t("col.median")}],
  });
}

/** An action list as published by the page-data script ({exists, total, columns, rows}). */
export function listPanel(list, site, state) {
  const title = t(`list.${list.id}`);
  if (!list.exists) return panel({title, content: html`<p class="steward-empty">${t("empty.table", {table: list.table ?? list.id})}</p>`});
  let rows = list.rows.map((r) => Object.fromEntries(list.columns.map((c, i) => [c, r[i]])));
  if (state.unit !== "ALL" && list.columns.includes("unit_code")) rows = rows.filter((r) => r.unit_code === state.unit);
  return tablePanel({
    title,
    note:
      state.unit === "ALL"
        ? list.total > 15 ? t("list.moreOf", {n: list.total, shown: 15, published: list.rows.length}) : null
        : rows.length > 15 ? t("list.more", {n: rows.length, shown: 15}) : null,
    moreNote: false,
    rows,
    columns: fieldColumns(list.columns, site.units),
    name: `${list.id}${state.unit !== "ALL" ? `-${state.unit}` : ""}`,
    limit: 15,
  });
}

/**
 * Operating cost split into energy, vehicles and procurement for the chosen unit, summed from
 * months to the chosen grain, the last 12 periods up to the chosen one.
 */
export function compositionPanel(composition, site, state, width) {
  const {grain, period, unit} = state;
  const months = composition?.[unit] ?? {};
  const key = (m) => (grain === "month" ? m : grain === "year" ? m.slice(0, 4) : `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`);
  const sums = new Map();
  for (const [m, parts] of Object.entries(months)) {
    const k = key(m);
    const acc = sums.get(k) ?? [0, 0, 0];
    parts.forEach((v, i) => (acc[i] += v));
    sums.set(k, acc);
  }
  const periods = [...sums.keys()].filter((p) => p <= period).sort().slice(-12);
  const components = [t("opcost.energy"), t("opcost.vehicles"), t("opcost.procurement")];
  const rows = periods.flatMap((p) => sums.get(p).map((value, i) => ({period: p, component: components[i], value})));
  return panel({
    title: `${t("opcost.composition")} · ${unitName(unit, site.units)}`,
    note: t("opcost.note"),
    content: rows.length ? compositionChart(rows, {width, components}) : html`<p class="steward-empty">${t("empty.table", {table: "opcost_unit_months"})}</p>`,
    rows,
    name: `opcost-composition-${unit}-${grain}`,
    columns: [{key: "period", label: t("col.period")}, {key: "component", label: t("col.kpi")}, {key: "value", label: t("col.value")}],
  });
}

/** The area's KPI cards (and, for operating cost, its split into components). */
export function areaCards(area, data, site, state, width) {
  const cards = cardGrid(indexOf(data), area.kpis, site, state);
  return data.composition ? html`<div>${cards}${compositionPanel(data.composition, site, state, width)}</div>` : cards;
}

/** The charts and lists of an area for one of its KPIs (`kpi`, the picker's choice). */
export function areaCharts(area, data, site, state, kpi, width) {
  const idx = indexOf(data);
  const lists = area.lists.map((l) => data.lists?.[l.id] ?? {id: l.id, table: l.sources[0]?.table, exists: false});
  const half = Math.max(320, width / (width > 900 ? 2 : 1) - 40);
  return html`<div class="steward-area">
    <div class="grid grid-cols-2">
      ${trendPanel(idx, kpi, site, state, half)}
      ${leaderboardPanel(idx, kpi, site, state, half)}
    </div>
    ${multiplesPanel(idx, kpi, site, state, width)}
    ${lists.length ? html`<h2>${t("area.lists")}</h2>${lists.map((l) => listPanel(l, site, state))}` : ""}
  </div>`;
}

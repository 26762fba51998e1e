// One area page (pool, vehicles, energy, …): KPI cards, the chosen KPI's trend against its peer
// median and target, the ranking of units, small multiples by unit, and the lists to act on —
// all read from the area's page data (kpi_cards rows) and drawn, nothing computed.
import {html} from "./dom.js";
import {t, lang, kpiName, formatPeriod, unitName, inLang} from "./i18n.js";
import {Cards, rowsOf} from "./data.js";
import {kpiCard} from "./kpi-card.js";
import {explain} from "./explain.js";
import {formatValue} from "./format.js";
import {trendChart, smallMultiples, leaderboard, compositionChart, hiddenComponents} from "./charts.js";
import {panel} from "./download.js";
import {tablePanel} from "./table.js";
import {fieldColumns} from "./page.js";

/** The KPIs an area page shows: its own in their declared order, then those shown on it too. */
export function areaKpis(site, area) {
  const own = site.kpiList.filter((k) => k.area === area).sort((a, b) => a.sort_order - b.sort_order);
  return [...own, ...site.kpiList.filter((k) => k.area !== area && (k.also_on ?? []).includes(area))];
}

/** Cards of `kpis` for the chosen unit and period, with their figures as a CSV download. */
export function cardGrid(cards, {site, kpis, state, hrefOf}) {
  const grid = html`<div class="grid grid-cols-3 steward-cards">${kpis.map((meta) =>
    kpiCard(cards.get(meta.kpi_id, state.unit, state.period), {meta, site, series: cards.series(meta.kpi_id, state.unit), href: hrefOf?.(meta), period: state.period, unit: state.unit}),
  )}</div>`;
  const rows = kpis.map((meta) => ({kpi_id: meta.kpi_id, kpi: kpiName(meta), ...(cards.get(meta.kpi_id, state.unit, state.period) ?? {})}));
  const section = panel({title: `${unitName(state.unit, site.units)} · ${formatPeriod(state.period)}`, content: grid, rows, name: `kpis-${state.unit}-${state.period}`});
  section.classList.add("steward-cards-panel");
  return section;
}

/** The chosen KPI for the chosen unit over time, with the peer median and the year's target. */
export function trendPanel(cards, {site, meta, state, width}) {
  const {unit} = state;
  const name = kpiName(meta);
  const own = cards.series(meta.kpi_id, unit).filter((r) => r.period <= state.period);
  const label = unitName(unit, site.units);
  const data = own.map((r) => ({period: r.period, value: r.value}));
  // The city is not compared with the median of its units.
  const median = unit === "ALL" ? [] : own.filter((r) => r.peer_median !== null).map((r) => ({period: r.period, value: r.peer_median}));
  // A target is drawn where it compares with the line: a rate's level at any grain, a path or a
  // yearly total at year grain only.
  const comparable = state.grain === "year" || (meta.target_rule === "level" && ["share", "ratio", "intensity"].includes(meta.kind));
  const target = comparable ? own.filter((r) => r.target_state === "set" && r.target_value !== null).map((r) => ({period: r.period, value: r.target_value})) : [];
  const anchor = meta.reference_factor ? {value: meta.reference_value, label: inLang(meta, "reference_label")} : null;
  const csv = [
    ...data.map((d) => ({period: d.period, series: label, value: d.value})),
    ...median.map((m) => ({period: m.period, series: t("area.peerMedian"), value: m.value})),
    ...target.map((m) => ({period: m.period, series: t("area.target"), value: m.value})),
  ];
  return panel({
    title: t("area.trend", {kpi: name, unit: label}),
    content: data.length ? trendChart(data, {width, meta, label, median, target, anchor, events: site.events}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows: csv,
    name: `${meta.kpi_id}-${unit}-${state.grain}-trend`,
    columns: [{key: "period", label: t("col.period")}, {key: "series", label: t("col.series")}, {key: "value", label: name}],
  });
}

export function leaderboardPanel(cards, {site, meta, state, width}) {
  const name = kpiName(meta);
  const units = cards.units(meta.kpi_id, state.period);
  const rows = units.map((c) => ({unit_code: c.unit_code, name: unitName(c.unit_code, site.units), value: c.value, rank: c.rank, too_small: c.too_small_to_rank, peer_median: c.peer_median}));
  const median = rows.find((r) => r.peer_median !== null)?.peer_median ?? null;
  // Every unit at the same value (all zero, say; benchmarks.units_all_equal): bars of one length say nothing, so none are drawn.
  const allEqual = units.length > 0 && units[0].units_all_equal === true;
  const hollow = !allEqual && rows.some((r) => r.too_small);
  return panel({
    title: t("area.leaderboard", {kpi: name, period: formatPeriod(state.period)}),
    note: [t(`direction.${meta.direction}`), hollow ? t("area.hollowNote") : ""].filter(Boolean).join(lang === "zh" ? "；" : "; "),
    content: !rows.length ? html`<p class="steward-empty">${t("empty.data")}</p>`
      : allEqual ? html`<p class="steward-empty">${t("rank.allEqualPeriod", {value: formatValue(meta, rows[0].value, lang)})}</p>`
      : leaderboard(rows, {width, meta, median, highlight: state.unit}),
    rows,
    name: `${meta.kpi_id}-${state.period}-ranking`,
    columns: [{key: "unit_code", label: t("col.unit")}, {key: "value", label: name}, {key: "rank", label: t("col.rank")}, {key: "peer_median", label: t("col.median")}],
  });
}

export function multiplesPanel(cards, {site, meta, state, width, independent = true}) {
  const name = kpiName(meta);
  const rows = cards.rows.filter((r) => r.kpi_id === meta.kpi_id && r.unit_code !== "ALL" && r.period <= state.period).map((r) => ({unit_code: r.unit_code, period: r.period, value: r.value}));
  // The peer median is the same on every unit's row of a period: read it once per period.
  const medians = new Map();
  for (const r of cards.rows) if (r.kpi_id === meta.kpi_id && r.period <= state.period && r.peer_median !== null && !medians.has(r.period)) medians.set(r.period, r.peer_median);
  const median = [...medians].map(([period, value]) => ({period, value})).sort((a, b) => (a.period < b.period ? -1 : 1));
  const units = site.units.map((u) => ({unit_code: u.unit_code, name: unitName(u.unit_code, site.units)}));
  return panel({
    title: t("area.smallMultiples", {kpi: name}),
    note: t(independent ? "area.multiplesOwnScale" : "area.multiplesSharedScale"),
    content: rows.length ? smallMultiples(rows, {width, meta, units, median, independent}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows,
    name: `${meta.kpi_id}-${state.grain}-by-unit`,
    columns: [{key: "unit_code", label: t("col.unit")}, {key: "period", label: t("col.period")}, {key: "value", label: name}],
  });
}

/** A list to act on, for the chosen period (and unit): the rows the list's query published. */
export function listPanel(id, table, {site, state}) {
  const title = t(`list.${id}`);
  const all = rowsOf(table).filter((r) => r.period === state.period);
  const rows = state.unit === "ALL" ? all : all.filter((r) => r.unit_code === state.unit);
  const total = state.unit === "ALL" ? all[0]?.period_total ?? 0 : rows[0]?.unit_total ?? 0;
  const keys = (table?.columns ?? []).filter((c) => !["period", "period_total", "unit_total"].includes(c));
  return tablePanel({
    title: `${title} · ${formatPeriod(state.period)}`,
    note: total > rows.slice(0, 15).length ? t("list.moreOf", {n: total, shown: Math.min(15, rows.length)}) : null,
    moreNote: false,
    rows,
    columns: fieldColumns(keys, site),
    name: `${id}-${state.unit}-${state.period}`,
    limit: 15,
    empty: t("empty.list"),
  });
}

/** The operating-cost split into its components for the chosen unit, the last twelve periods. */
export function compositionPanel(table, {site, state, width}) {
  const components = [["energy_cost_yuan", t("opcost.energy")], ["vehicle_cost_yuan", t("opcost.vehicles")], ["procurement_yuan", t("opcost.procurement")]];
  const periods = rowsOf(table).filter((r) => r.unit_code === state.unit && r.grain === state.grain && r.period <= state.period).slice(-12);
  const rows = periods.flatMap((r) => components.map(([key, label]) => ({period: r.period, component: label, value: r[key]})));
  const hidden = hiddenComponents(rows, components.map((c) => c[1]));
  return panel({
    title: `${t("opcost.composition")} · ${unitName(state.unit, site.units)}`,
    note: [t("opcost.note"), hidden.length ? t("opcost.tooSmall", {parts: hidden.join(lang === "zh" ? "、" : ", ")}) : ""].join(" "),
    content: rows.length ? compositionChart(rows, {width, components: components.map((c) => c[1])}) : html`<p class="steward-empty">${t("empty.data")}</p>`,
    rows,
    name: `opcost-composition-${state.unit}-${state.grain}`,
    columns: [{key: "period", label: t("col.period")}, {key: "component", label: t("col.component")}, {key: "value", label: t("col.value")}],
  });
}

/** The header of a KPI column or row: its name and the ⓘ that explains it. */
export function kpiLabel(meta, site) {
  return html`<span class="steward-kpi-label">${kpiName(meta)} ${explain(meta, site)}</span>`;
}

export {Cards, lang};

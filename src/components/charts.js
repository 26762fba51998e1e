// Chart components: plain functions of (data, {width, …}) returning an element.
import * as Plot from "@observablehq/plot";
import {lang, t, formatKpi, formatPeriod, unitName, kpiKind} from "./i18n.js";
import {grainOf} from "./period.js";

/** A period label as the date it starts on, for time axes. */
export function periodDate(period) {
  const y = Number(period.slice(0, 4));
  const g = grainOf(period);
  if (g === "month") return new Date(Date.UTC(y, Number(period.slice(5)) - 1, 1));
  if (g === "quarter") return new Date(Date.UTC(y, (Number(period.slice(6)) - 1) * 3, 1));
  return new Date(Date.UTC(y, 0, 1));
}

function tickValue(kpi) {
  const kind = kpiKind(kpi);
  if (kind === "fraction") return (v) => `${Math.round(v * 1000) / 10}%`;
  if (kind === "money") return (v) => (lang === "zh" ? (Math.abs(v) >= 1e8 ? `${+(v / 1e8).toFixed(2)}亿` : Math.abs(v) >= 1e4 ? `${+(v / 1e4).toFixed(1)}万` : `${v}`) : Math.abs(v) >= 1e6 ? `${+(v / 1e6).toFixed(2)}m` : Math.abs(v) >= 1e3 ? `${+(v / 1e3).toFixed(1)}k` : `${v}`);
  return (v) => (lang === "zh" ? (Math.abs(v) >= 1e5 ? `${+(v / 1e4).toFixed(1)}万` : v.toLocaleString("zh-CN")) : Math.abs(v) >= 1e6 ? `${+(v / 1e6).toFixed(2)}m` : v.toLocaleString("en-GB"));
}

const periodTick = (d) => {
  const m = d.getUTCMonth();
  return lang === "zh" ? (m === 0 ? `${d.getUTCFullYear()}年` : `${m + 1}月`) : m === 0 ? String(d.getUTCFullYear()) : d.toLocaleString("en-GB", {month: "short", timeZone: "UTC"});
};

/**
 * Lines over time: `rows` = [{period, value, series}], optional target path [{period, value}]
 * drawn dashed. Series named in `colors` keep their colour; others follow the scheme.
 */
export function trendChart(rows, {width, kpi, target = [], height = 260, median = []} = {}) {
  const data = rows.map((r) => ({...r, date: periodDate(r.period)}));
  const targetData = target.map((r) => ({...r, date: periodDate(r.period)}));
  const medianData = median.map((r) => ({...r, date: periodDate(r.period)}));
  return Plot.plot({
    width,
    height,
    marginLeft: 64,
    marginRight: 20,
    y: {grid: true, tickFormat: tickValue(kpi), label: null, zero: kpiKind(kpi) !== "quantity"},
    x: {type: "utc", tickFormat: periodTick, label: null},
    color: {legend: true},
    marks: [
      Plot.line(medianData, {x: "date", y: "value", stroke: () => t("area.peerMedian"), strokeDasharray: "3,3", strokeWidth: 1.5}),
      Plot.line(targetData, {x: "date", y: "value", stroke: () => t("area.targetPath"), strokeDasharray: "6,4", strokeWidth: 2}),
      Plot.line(data, {x: "date", y: "value", stroke: "series", strokeWidth: 2, marker: data.length < 20 ? "circle-stroke" : null}),
      Plot.tip(data, Plot.pointerX({x: "date", y: "value", title: (d) => `${d.series}\n${formatPeriod(d.period)}: ${formatKpi(kpi, d.value)}`})),
    ],
  });
}

/** One small chart per unit, same scales, the unit's line against the city median (grey). */
export function smallMultiples(rows, {width, kpi, units, median = []} = {}) {
  const cols = width < 640 ? 2 : width < 1000 ? 4 : 5;
  const order = units.map((u) => u.unit_code);
  const pos = new Map(order.map((u, i) => [u, {fx: i % cols, fy: Math.floor(i / cols)}]));
  const data = rows.filter((r) => pos.has(r.unit_code)).map((r) => ({...r, date: periodDate(r.period), ...pos.get(r.unit_code)}));
  const med = [];
  for (const [, p] of pos) for (const m of median) med.push({...m, date: periodDate(m.period), ...p});
  const labels = order.map((u) => ({label: unitName(u, units), ...pos.get(u)}));
  const rowsCount = Math.ceil(order.length / cols);
  return Plot.plot({
    width,
    height: rowsCount * 110 + 30,
    marginLeft: 52,
    marginTop: 10,
    fx: {axis: null, padding: 0.12},
    fy: {axis: null, padding: 0.25},
    x: {type: "utc", ticks: 2, tickFormat: periodTick, label: null},
    y: {ticks: 3, tickFormat: tickValue(kpi), label: null, grid: true},
    marks: [
      Plot.line(med, {x: "date", y: "value", fx: "fx", fy: "fy", stroke: "#aaa", strokeDasharray: "3,3"}),
      Plot.line(data, {x: "date", y: "value", fx: "fx", fy: "fy", stroke: "var(--theme-foreground-focus)", strokeWidth: 1.5}),
      Plot.text(labels, {fx: "fx", fy: "fy", text: "label", frameAnchor: "top-left", dx: 4, dy: 2, fontWeight: "bold"}),
      Plot.frame({stroke: "#ddd"}),
    ],
  });
}

/**
 * Units ranked on one KPI with the peer median as a rule; the selected unit is highlighted and
 * units too small to rank are drawn hollow.
 */
export function leaderboard(rows, {width, kpi, median, direction, highlight, units} = {}) {
  const sorted = [...rows].sort((a, b) => (direction === "lower" ? a.value - b.value : b.value - a.value));
  const data = sorted.map((r) => ({...r, name: unitName(r.unit_code, units)}));
  return Plot.plot({
    width,
    height: data.length * 24 + 40,
    marginLeft: lang === "zh" ? 64 : 90,
    marginRight: 96,
    x: {grid: true, tickFormat: tickValue(kpi), label: null},
    y: {domain: data.map((d) => d.name), label: null},
    marks: [
      Plot.barX(data, {x: "value", y: "name", fill: (d) => (d.unit_code === highlight ? "var(--theme-foreground-focus)" : d.tooSmall ? "none" : "#9ab"), stroke: "#9ab"}),
      Plot.text(data, {x: "value", y: "name", text: (d) => formatKpi(kpi, d.value), textAnchor: "start", dx: 4}),
      median !== null && median !== undefined ? Plot.ruleX([median], {stroke: "#c33", strokeDasharray: "4,3"}) : null,
    ],
  });
}

/**
 * Operating cost by component as stacked bars per period: `rows` = [{period, component, value}],
 * components in the order given by `components` (labels).
 */
export function compositionChart(rows, {width, components, height = 260} = {}) {
  const data = rows.map((r) => ({...r, date: periodDate(r.period)}));
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  return Plot.plot({
    width,
    height,
    marginLeft: 64,
    x: {type: "band", domain: periods, tickFormat: (p) => formatPeriod(p), label: null, tickRotate: periods.length > 12 ? -45 : 0},
    y: {grid: true, tickFormat: tickValue("opcost_total_yuan"), label: null},
    color: {legend: true, domain: components},
    marks: [
      Plot.barY(rows, {x: "period", y: "value", fill: "component", order: components}),
      Plot.tip(rows, Plot.pointerX({x: "period", y: "value", fill: "component", title: (d) => `${d.component}\n${formatPeriod(d.period)}: ${formatKpi("opcost_total_yuan", d.value)}`})),
    ],
  });
}

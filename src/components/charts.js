// Chart components, each a plain function of (data, {width, …}) returning an element, the way
// Framework's examples write them. Every axis is read in one scale named in its label (万元,
// tCO₂e, %); reference lines (peer median, target, FPMR) carry their name on the chart.
import * as Plot from "@observablehq/plot";
import {lang, t, formatPeriod} from "./i18n.js";
import {inScale, scaleFor, tickFormat, withUnit} from "./format.js";
import {grainOf} from "./period.js";

/** A period label as the date it starts on, for time axes. */
export function periodDate(period) {
  const y = Number(period.slice(0, 4));
  const g = grainOf(period);
  if (g === "month") return new Date(Date.UTC(y, Number(period.slice(5)) - 1, 1));
  if (g === "quarter") return new Date(Date.UTC(y, (Number(period.slice(6)) - 1) * 3, 1));
  return new Date(Date.UTC(y, 0, 1));
}

const periodTick = (d) => {
  const m = d.getUTCMonth();
  return lang === "zh" ? (m === 0 ? `${d.getUTCFullYear()}年` : `${m + 1}月`) : m === 0 ? String(d.getUTCFullYear()) : d.toLocaleString("en-GB", {month: "short", timeZone: "UTC"});
};

/** The y axis of a KPI: one scale for every value drawn, its unit in the label. */
function yAxis(meta, values) {
  const scale = scaleFor(meta, values, lang);
  // nice: the axis ends on a tick at or beyond the largest value, so no mark runs past its last label.
  return {scale, axis: {grid: true, nice: true, tickFormat: tickFormat(scale, lang), label: scale.unit ? `${scale.unit}` : null, labelAnchor: "top", labelArrow: "none"}};
}

/** Labelled horizontal reference lines at the right end of a time chart. */
function referenceMarks(lines, x) {
  return lines.flatMap(({data, label, dash, color}) => data.length ? [
    Plot.line(data, {x, y: "value", stroke: color, strokeDasharray: dash, strokeWidth: 1.5}),
    Plot.text(data.slice(-1), {x, y: "value", text: () => label, textAnchor: "start", dx: 4, fill: color, fontSize: 11}),
  ] : []);
}

/**
 * Events (the events page data: starts_on, ends_on inclusive, short names) as labelled shaded
 * ranges, clipped to the dates drawn; labels alternate between two rows so close events stay legible.
 */
function eventMarks(events, dates) {
  if (!events.length || !dates.length) return [];
  const lo = Math.min(...dates), hi = Math.max(...dates);
  const day = 86_400_000;
  const shown = events
    .map((e) => ({...e, x1: Math.max(Date.parse(e.starts_on), lo), x2: Math.min(Date.parse(e.ends_on) + day, hi)}))
    .filter((e) => e.x1 < e.x2 || (e.x1 === e.x2 && e.x1 >= lo && e.x1 <= hi))
    .map((e, i) => ({...e, x1: new Date(e.x1), x2: new Date(Math.max(e.x2, e.x1 + day)), row: i % 2, text: lang === "zh" ? e.short_zh : e.short_en}));
  return [
    Plot.rect(shown, {x1: "x1", x2: "x2", fill: "#e3b448", fillOpacity: 0.25}),
    ...[0, 1].map((row) => Plot.text(shown.filter((e) => e.row === row), {x: "x1", frameAnchor: "top", lineAnchor: "bottom", dy: row ? -4 : -16, text: "text", textAnchor: "start", fill: "#8a6400", fontSize: 10})),
  ];
}

/**
 * A KPI over time for one unit: `data` = [{period, value}], with optional labelled reference
 * lines: `median` (peer median per period), `target` (target per period), `anchor` (a constant),
 * and `events` shaded where they fall on the time axis.
 */
export function trendChart(data, {width, meta, label, median = [], target = [], anchor, events = [], height = 260} = {}) {
  const rows = data.map((r) => ({...r, date: periodDate(r.period)}));
  const med = median.map((r) => ({...r, date: periodDate(r.period)}));
  const tgt = target.map((r) => ({...r, date: periodDate(r.period)}));
  const anchorRows = anchor ? rows.map((r) => ({date: r.date, value: anchor.value})) : [];
  const {scale, axis} = yAxis(meta, [...rows, ...med, ...tgt, ...anchorRows].map((r) => r.value));
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    marginRight: lang === "zh" ? 84 : 96,
    marginTop: events.length ? 40 : 24,
    y: {...axis, zero: meta.kind !== "quantity" && meta.kind !== "intensity"},
    x: {type: "utc", tickFormat: periodTick, label: null, ticks: width < 500 ? "6 months" : undefined},
    marks: [
      ...eventMarks(events, rows.map((r) => +r.date)),
      ...referenceMarks([
        {data: med, label: t("area.peerMedian"), dash: "3,3", color: "#888"},
        {data: tgt, label: t("area.target"), dash: "6,4", color: "#b26b00"},
        {data: anchorRows, label: anchor?.label, dash: "2,4", color: "#6a51a3"},
      ], "date"),
      Plot.line(rows, {x: "date", y: "value", stroke: "var(--theme-foreground-focus)", strokeWidth: 2, marker: rows.length < 20 ? "circle-stroke" : null}),
      Plot.text(rows.slice(-1), {x: "date", y: "value", text: () => label, textAnchor: "start", dx: 6, dy: -8, fill: "var(--theme-foreground-focus)", fontSize: 11}),
      Plot.tip(rows, Plot.pointerX({x: "date", y: "value", title: (d) => `${label}\n${formatPeriod(d.period)}: ${withUnit(d.value, scale, lang)}`})),
    ],
  });
}

/**
 * One small chart per unit: `data` = [{unit_code, name, period, value}], the unit's line against
 * the peer median (grey). `independent` gives each unit its own y scale, so a large unit does not
 * flatten the rest.
 */
export function smallMultiples(data, {width, meta, units, median = [], independent = true} = {}) {
  const cols = width < 560 ? 2 : width < 900 ? 3 : 5;
  const cellW = Math.floor(width / cols);
  const cellH = 120;
  // Every unit on every period drawn: a period without a value is a gap in the line, not a bridge.
  const periods = [...new Set([...data.map((r) => r.period), ...median.map((m) => m.period)])].sort();
  const byUnit = new Map(units.map((u) => [u.unit_code, new Map(periods.map((p) => [p, {unit_code: u.unit_code, period: p, value: null, date: periodDate(p)}]))]));
  for (const r of data) byUnit.get(r.unit_code)?.set(r.period, {...r, date: periodDate(r.period)});
  const med = median.map((m) => ({...m, date: periodDate(m.period)}));
  // One scale for all: the same domain in every cell, from every unit's values and the median.
  const all = [...data.map((r) => r.value), ...med.map((m) => m.value)].filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  const shared = yAxis(meta, all);
  shared.axis = {...shared.axis, domain: all.length ? [Math.min(...all), Math.max(...all)] : undefined, nice: true};
  const grid = document.createElement("div");
  grid.className = "steward-multiples";
  grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
  for (const u of units) {
    const rows = [...(byUnit.get(u.unit_code)?.values() ?? [])];
    const {scale, axis} = independent ? yAxis(meta, [...rows.map((r) => r.value).filter((v) => v !== null), ...med.map((m) => m.value)]) : shared;
    const cell = document.createElement("figure");
    cell.className = "steward-multiple";
    // The unit goes in the caption: in a cell this small, a label above the axis sits on its top tick.
    const caption = document.createElement("figcaption");
    caption.textContent = u.name;
    if (scale.unit) caption.append(Object.assign(document.createElement("span"), {className: "steward-uom", textContent: ` · ${scale.unit}`}));
    cell.append(caption, Plot.plot({
      width: cellW - 8,
      height: cellH,
      marginLeft: 44,
      marginRight: 8,
      marginTop: 16,
      marginBottom: 20,
      x: {type: "utc", ticks: 2, tickFormat: periodTick, label: null},
      y: {...axis, ticks: 3, label: null},
      marks: [
        Plot.line(med, {x: "date", y: "value", stroke: "#aaa", strokeDasharray: "3,3"}),
        Plot.line(rows, {x: "date", y: "value", stroke: "var(--theme-foreground-focus)", strokeWidth: 1.5}),
        // A value with a gap on both sides has no line to sit on: a dot shows it.
        Plot.dot(rows.filter((r, i) => r.value !== null && rows[i - 1]?.value == null && rows[i + 1]?.value == null), {x: "date", y: "value", r: 1.8, fill: "var(--theme-foreground-focus)"}),
        Plot.frame({stroke: "#ddd"}),
      ],
    }));
    grid.append(cell);
  }
  return grid;
}

/**
 * Units ranked on one KPI in one period: `data` = [{unit_code, name, value, too_small}], with
 * the labelled peer median; the chosen unit is highlighted and units too small to rank are hollow.
 */
export function leaderboard(data, {width, meta, median, highlight} = {}) {
  const sorted = [...data].sort((a, b) => (meta.direction === "lower" ? a.value - b.value : b.value - a.value));
  const {scale, axis} = yAxis(meta, sorted.map((d) => d.value));
  // The axis names the unit; a bar's label is its number (a share keeps its %).
  const label = (d) => (scale.unit === "%" ? withUnit(d.value, scale, lang) : inScale(d.value, scale, lang));
  return Plot.plot({
    width,
    height: sorted.length * 24 + 48,
    marginLeft: lang === "zh" ? 64 : 96,
    marginRight: 80,
    marginTop: 32,
    x: {...axis, label: scale.unit ? `${scale.unit}` : null, labelAnchor: "right", insetLeft: sorted.some((d) => d.value < 0) ? 72 : 0},
    y: {domain: sorted.map((d) => d.name), label: null},
    marks: [
      Plot.barX(sorted, {x: "value", y: "name", fill: (d) => (d.unit_code === highlight ? "var(--theme-foreground-focus)" : d.too_small ? "none" : "#9ab"), stroke: "#9ab"}),
      median !== null && median !== undefined ? Plot.ruleX([median], {stroke: "#c33", strokeDasharray: "4,3"}) : null,
      median !== null && median !== undefined ? Plot.text([median], {x: (d) => d, frameAnchor: "top", dy: -14, text: () => t("area.peerMedian"), fill: "#c33", fontSize: 11}) : null,
      // Value labels beyond each bar's end (left of a negative bar), haloed so the median line never strikes them out.
      Plot.text(sorted.filter((d) => !(d.value < 0)), {x: "value", y: "name", text: label, textAnchor: "start", dx: 4, fontSize: 11, fill: "currentColor", stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke"}),
      Plot.text(sorted.filter((d) => d.value < 0), {x: "value", y: "name", text: label, textAnchor: "end", dx: -4, fontSize: 11, fill: "currentColor", stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke"}),
    ],
  });
}

/**
 * The operating-cost components as stacked bars per period: `data` = [{period, component, value}],
 * components in the order given. Only components with a visible share get a legend entry.
 */
/** The components too small to see in a stacked bar (under 0.5 % of the total): drawn, but not in the legend. */
export function hiddenComponents(data, components) {
  const total = data.reduce((s, r) => s + Math.abs(r.value), 0);
  return components.filter((c) => data.filter((r) => r.component === c).reduce((s, r) => s + Math.abs(r.value), 0) < 0.005 * total);
}

/** A band axis label of a period: months as on a time axis, the year on the first bar and on January. */
function bandTick(p, i) {
  if (grainOf(p) !== "month") return formatPeriod(p);
  const d = periodDate(p);
  if (i > 0 || d.getUTCMonth() === 0) return periodTick(d);
  return lang === "zh" ? `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月` : `${periodTick(d)} ${d.getUTCFullYear()}`;
}

export function compositionChart(data, {width, components, height = 260} = {}) {
  const periods = [...new Set(data.map((r) => r.period))].sort();
  const {scale, axis} = yAxis({kind: "money"}, data.map((r) => r.value));
  const hidden = hiddenComponents(data, components);
  const visible = components.filter((c) => !hidden.includes(c));
  const rotate = periods.length * (lang === "zh" ? 44 : 40) > width - 56;
  return Plot.plot({
    width,
    height: height + (rotate ? 24 : 0),
    marginLeft: 56,
    marginTop: 24,
    marginBottom: rotate ? 54 : 30,
    x: {type: "band", domain: periods, tickFormat: bandTick, label: null, tickRotate: rotate ? -45 : 0},
    y: axis,
    color: {legend: true, domain: visible},
    marks: [
      Plot.barY(data, {x: "period", y: "value", fill: "component", order: components}),
      Plot.tip(data, Plot.pointerX({x: "period", y: "value", fill: "component", title: (d) => `${d.component}\n${formatPeriod(d.period)}: ${withUnit(d.value, scale, lang)}`})),
    ],
  });
}

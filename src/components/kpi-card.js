// A KPI card: the value, change on the previous period and on the same period last year, the
// distance to the target path and a sparkline of the recent periods.
import {html, svg} from "./dom.js";
import {t, lang, kpiName, kpiDirection, formatKpi, formatChange, formatPeriod} from "./i18n.js";
import {cardFigures, isBetter} from "./kpi-data.js";

function sparkline(points, {width = 120, height = 28} = {}) {
  if (points.length < 2) return html`<span class="steward-spark-empty"></span>`;
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i) => 2 + (i * (width - 4)) / (points.length - 1);
  const y = (v) => (hi === lo ? height / 2 : height - 3 - ((v - lo) * (height - 6)) / (hi - lo));
  const d = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join("");
  const last = points.length - 1;
  return svg`<svg class="steward-spark" width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img" aria-label=${points.map((p) => `${formatPeriod(p.period)} ${p.value}`).join("; ")}>
    <path d=${d} fill="none" stroke="currentColor" stroke-width="1.5"></path>
    <circle cx=${x(last)} cy=${y(points[last].value)} r="2.5" fill="currentColor"></circle>
  </svg>`;
}

function delta(label, change, direction, points = false) {
  const better = isBetter(change, direction);
  const cls = better === null ? "flat" : better ? "good" : "bad";
  return html`<div class="steward-delta ${cls}"><span>${label}</span> <b>${formatChange(change, lang, {points})}</b></div>`;
}

/**
 * @param idx     KpiIndex over the page's values
 * @param kpi     kpi id; meta: its registry row
 * @param state   {grain, period, unit}
 * @param target  the KPI's target row or null
 */
export function kpiCard(idx, kpi, meta, state, target, {href, paths} = {}) {
  const {grain, period, unit} = state;
  const direction = kpiDirection(kpi, meta);
  const f = cardFigures(idx, kpi, unit, period, grain, target, {paths});
  const name = kpiName(kpi, meta);
  const toTarget = target
    ? f.toTarget
      ? delta(t("card.toTarget") + ` (${formatPeriod(String(f.toTarget.year))})`, f.toTarget.gap, direction)
      : html`<div class="steward-delta flat"><span>${t("card.toTarget")}</span> <b>—</b></div>`
    : html`<div class="steward-delta flat"><span>${t("card.noTarget")}</span></div>`;
  const title = href ? html`<a href=${href}>${name}</a>` : name;
  return html`<div class="card steward-kpi" data-kpi=${kpi} data-unit=${unit} data-period=${period}>
    <h2>${title}</h2>
    <div class="steward-kpi-value" data-raw=${f.value ?? ""}>${f.value === null ? t("card.noData") : formatKpi(kpi, f.value)}</div>
    <div class="steward-kpi-period">${formatPeriod(period, lang)}</div>
    ${delta(t("card.vsPrevious"), f.vsPrevious, direction, f.inPoints)}
    ${delta(t("card.vsLastYear"), f.vsLastYear, direction, f.inPoints)}
    ${toTarget}
    ${sparkline(f.spark)}
  </div>`;
}

// A KPI card: the value, its change on the previous period and on last year (good or bad news as
// the KPI's direction says), the target of the period's year, the unit's standing among its peers
// and a sparkline — every figure a column of kpi_cards, formatted here, computed in SQL.
import {html, svg} from "./dom.js";
import {t, lang, kpiName, formatPeriod} from "./i18n.js";
import {formatChange, onCard, valueParts} from "./format.js";
import {explain} from "./explain.js";

function sparkline(points, {width = 120, height = 28} = {}) {
  if (points.length < 2) return html`<span class="steward-spark-empty"></span>`;
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i) => 2 + (i * (width - 4)) / (points.length - 1);
  const y = (v) => (hi === lo ? height / 2 : height - 3 - ((v - lo) * (height - 6)) / (hi - lo));
  const d = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join("");
  const last = points.length - 1;
  return svg`<svg class="steward-spark" width=${width} height=${height} viewBox="0 0 ${width} ${height}" aria-hidden="true">
    <path d=${d} fill="none" stroke="currentColor" stroke-width="1.5"></path>
    <circle cx=${x(last)} cy=${y(points[last].value)} r="2.5" fill="currentColor"></circle>
  </svg>`;
}

function delta(label, change, unit, better, period) {
  const cls = better === null || better === undefined ? "flat" : better ? "good" : "bad";
  return html`<div class="steward-delta ${cls}"><span>${label}${period ? html` <small>${formatPeriod(period)}</small>` : ""}</span> <b>${formatChange(change, unit, lang)}</b></div>`;
}

/** The value, its unit set smaller beside the number (and on a line of its own when it must wrap). */
function cardValue(meta, value) {
  const [number, unit] = valueParts(meta, value, lang);
  return html`<span class="n">${number}</span>${unit ? html` <span class="u">${unit}</span>` : ""}`;
}

/** The target line: what the year should reach and where the value stands against it. */
function targetLine(card, meta) {
  if (card.target_state === "none") return html`<div class="steward-target flat">${t("explain.noTarget")}</div>`;
  if (card.target_state !== "set") return html`<div class="steward-target flat">${t(`target.${card.target_state}`)}</div>`;
  // A year's target is judged on the year so far: say so, with that figure, on a month or quarter.
  const judged = card.target_basis === "year" && card.grain !== "year" && card.target_compared_value !== null && card.target_compared_value !== undefined
    ? html`<small class="steward-ytd">${t("target.yearSoFar", {value: onCard(meta, card.value, card.target_compared_value, lang)})}</small>` : "";
  const sign = meta.direction === "lower" ? "≤" : "≥";
  const status = card.target_met === null ? "" : card.target_met ? t("target.met") : t("target.missed");
  const cls = card.target_met === null ? "flat" : card.target_met ? "good" : "bad";
  return html`<div class="steward-target ${cls}">
    <span>${t("target.label", {year: card.target_year})}${card.target_is_example ? html` <b class="steward-example">${t("target.example")}</b>` : ""}</span>
    <b>${sign} ${onCard(meta, card.value, card.target_value, lang)}</b>
    ${judged}
    ${status ? html`<small>${status} · ${formatChange(card.target_gap, card.change_unit, lang)}</small>` : ""}
  </div>`;
}

function standing(card) {
  if (card.unit_code === "ALL") return "";
  if (card.too_small_to_rank) return html`<div class="steward-rank flat">${t("rank.notRanked")}</div>`;
  if (card.rank_withheld) return html`<div class="steward-rank flat">${t("rank.allEqual")}</div>`;
  if (card.rank === null || card.rank === undefined) return "";
  return html`<div class="steward-rank">${t("rank.of", {rank: card.rank, n: card.ranked_units})}${card.quartile ? html` · <span class="steward-badge q${card.quartile}">${t(`quartile.${card.quartile}`)}</span>` : ""}</div>`;
}

/**
 * @param card   the kpi_cards row of the unit and period, or null
 * @param opts   meta (the KPI's declaration), site, series (the unit's rows of the grain, for the
 *               sparkline), href (the page that explains the KPI), period, unit
 */
export function kpiCard(card, {meta, site, series = [], href, period, unit}) {
  const name = kpiName(meta);
  const title = href ? html`<a href=${href}>${name}</a>` : name;
  const spark = series.filter((p) => p.period <= period).slice(-12);
  const value = card?.value ?? null;
  return html`<div class="card steward-kpi" data-kpi=${meta.kpi_id} data-unit=${unit} data-period=${period} data-raw=${value ?? ""}>
    <div class="steward-kpi-head"><h2>${title}</h2>${explain(meta, site)}</div>
    <div class="steward-kpi-value">${value === null ? t("card.noData") : cardValue(meta, value)}</div>
    <div class="steward-kpi-period">${formatPeriod(period)}${card?.months_counted && card.grain !== "month" && meta.size_basis === "vehicles" ? ` · ${t(card.months_counted === 1 ? "card.reportedMonth" : "card.reportedMonths", {n: card.months_counted})}` : ""}</div>
    ${card && card.change_vs_previous !== undefined && card.previous_period ? delta(t("card.vsPrevious"), card.change_vs_previous, card.change_unit, card.previous_is_better) : ""}
    ${card ? delta(t("card.vsLastYear"), card.change_vs_last_year, card.change_unit, card.last_year_is_better) : ""}
    ${card ? targetLine(card, meta) : ""}
    ${card ? standing(card) : ""}
    ${sparkline(spark)}
  </div>`;
}

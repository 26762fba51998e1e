// Page furniture shared by every page: the heading block and the data loading conventions.
import {html} from "./dom.js";
import {t, lang, formatKpi, formatDate, formatMoney, formatNumber, formatPercent, formatPeriod, unitName, valueLabel} from "./i18n.js";

export function pageHeader(title, lede) {
  return html`<div class="steward-hero"><h1>${title}</h1>${lede ? html`<p class="steward-lede">${lede}</p>` : ""}</div>`;
}

/** How a list column is shown, told by its name (the download keeps the raw value). */
export function fieldFormat(key, units) {
  if (key === "unit_code") return (v) => unitName(v, units);
  if (/_yuan$/.test(key)) return (v) => formatMoney(v);
  // A month may arrive as a date (its first day) or as 2024-03.
  if (key === "month") return (v) => (typeof v === "string" && /^\d{4}-\d{2}/.test(v) ? formatPeriod(v.slice(0, 7)) : v);
  if (/(_on|_date)$/.test(key)) return (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? formatDate(v) : v);
  if (/^(carrier|anomaly|vehicle_class|energy|status|kind)$/.test(key)) return (v) => valueLabel(v);
  if (key === "period") return (v) => (typeof v === "string" ? formatPeriod(v) : v);
  // Distances to one decimal, so a column of them lines up (79.9, not 79.90 beside 358.3).
  if (/(^|_)km$/.test(key)) return (v) => formatNumber(v, undefined, 1);
  if (/(utilisation|change|share|rate)$/.test(key)) return (v) => formatPercent(v);
  return (v) => (typeof v === "number" ? formatNumber(v) : v);
}

export function fieldColumns(columns, units) {
  return columns.map((key) => ({
    key,
    label: t(`field.${key}`) === `field.${key}` ? key : t(`field.${key}`),
    format: fieldFormat(key, units),
    align: /_yuan$|quantity|days|km|trips|records|change|utilisation/.test(key) ? "right" : undefined,
  }));
}

/** Target rows of site.json by kpi id. */
export function targetsById(site) {
  return Object.fromEntries((site.targets ?? []).map((x) => [x.kpi_id, x]));
}

export {formatKpi, lang};

// Page furniture shared by every page: the heading block and how a list's columns read.
import {html} from "./dom.js";
import {t, lang, formatDate, formatPeriod, unitName, valueLabel} from "./i18n.js";
import {formatCount, formatPercent, grouped, moneyColumn} from "./format.js";

export function pageHeader(title, lede) {
  return html`<div class="steward-hero"><h1>${title}</h1>${lede ? html`<p class="steward-lede">${lede}</p>` : ""}</div>`;
}

/**
 * Text as an export wrote it (an agency, a project, a meeting, a cell): shown as written and marked
 * with its language, so a reader, a screen reader and the language check know it is quoted.
 */
export function quoted(v) {
  if (v === null || v === undefined || v === "") return "—";
  const s = String(v);
  if (/[\u4e00-\u9fff]/.test(s)) return html`<span lang="zh">${s}</span>`;
  return /[A-Za-z]{2}/.test(s) && !/\d/.test(s) ? html`<span lang="en">${s}</span>` : s;
}

/** A file's name, as loaded: a name, not words of the page. */
export function fileName(v) {
  return v ? html`<code class="steward-file">${v}</code>` : "—";
}

/** Coded values of the export contract (carrier, vehicle class, …) in the page's language. */
export function labelLookup(labels) {
  const byColumn = new Map();
  for (const l of labels) {
    if (!byColumn.has(l.column_name)) byColumn.set(l.column_name, new Map());
    byColumn.get(l.column_name).set(l.code, lang === "zh" ? l.name_zh : l.name_en);
  }
  return (column) => (v) => byColumn.get(column)?.get(v) ?? (typeof v === "string" ? knownOrQuoted(v) : v);
}

/** A status word the catalog knows (value.<code>), or the text as the export wrote it. */
function knownOrQuoted(v) {
  const label = valueLabel(v);
  return label === v ? quoted(v) : label;
}

/** How a list column is shown, told by its name (the download keeps the raw value). */
export function fieldFormat(key, site) {
  if (key === "unit_code") return (v) => unitName(v, site.units);
  if (key === "month") return (v) => (typeof v === "string" && /^\d{4}-\d{2}/.test(v) ? formatPeriod(v.slice(0, 7)) : v);
  if (/(_on|_date)$/.test(key)) return (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? formatDate(v) : v);
  if (/^(carrier|vehicle_class|energy|method|category|asset_category|item_category|txn_type)$/.test(key)) return labelLookup(site.labels)(key);
  if (/^(anomaly|status)$/.test(key)) return (v) => valueLabel(v);
  if (key === "period") return (v) => (typeof v === "string" ? formatPeriod(v) : v);
  if (/(^|_)km$/.test(key)) return (v) => formatCount(v, lang, 1);
  if (/(utilisation|share|rate)$/.test(key)) return (v) => formatPercent(v, lang);
  if (/^ratio_/.test(key)) return (v) => (typeof v === "number" ? `${grouped(v, 2, lang)}×` : "—");
  if (/_t$/.test(key)) return (v) => (typeof v === "number" ? grouped(v, 2, lang) : "—");
  return (v) => (typeof v === "number" ? formatCount(v, lang, Number.isInteger(v) ? 0 : 1) : quoted(v));
}

/** Table columns for the given keys, labelled from the catalog (field.<key>). */
export function fieldColumns(keys, site) {
  return keys.map((key, i) => ({
    // On a phone a list keeps its figures and leaves the record ids to the download.
    priority: i > 0 && /_id$/.test(key) ? 3 : undefined,
    key,
    // A record id or a date reads as one token: "CG-YH-2024-000555", "22 Jan 2021".
    nowrap: /_id$|_on$|_date$/.test(key) || undefined,
    label: t(`field.${key}`),
    ...(/_yuan$/.test(key) ? {formatColumn: (values) => moneyColumn(values, lang)} : {format: fieldFormat(key, site)}),
    align: /_yuan$|quantity|days|km|trips|records|_t$|stock|utilisation|attendees|ratio_|amount/.test(key) ? "right" : undefined,
  }));
}

// What a figure means, where it stands: a KPI's definition, formula, factors (value, source,
// year), target and where it comes from (the model that computes it and the exports behind it),
// in the page's language, from the KPI's declaration. A <details> element: it opens on click or
// tap with no script, and keyboards and screen readers know it.
import {html} from "./dom.js";
import {t, lang, inLang} from "./i18n.js";
import {grouped, formatPercent} from "./format.js";

function factorLine(f) {
  const value = `${grouped(f.value, String(f.value).split(".")[1]?.length ?? 0, lang)} ${(lang === "zh" ? f.unit_zh : f.unit) ?? ""}`.trim();
  const source = lang === "zh" ? f.source_zh : f.source_en;
  return html`<li><code>${f.id}</code> = ${value}${f.year ? html` · ${f.year}` : ""}<br><small>${source ?? ""}</small></li>`;
}

/** The rows of the explanation, as [label, content] pairs, for the card and the definitions page. */
export function explanationRows(meta, site) {
  const rows = [
    [t("explain.definition"), inLang(meta, "definition")],
    [t("explain.formula"), inLang(meta, "formula")],
    [t("explain.direction"), t(`direction.${meta.direction}`)],
  ];
  if (meta.defined_grain) rows.push([t("explain.grain"), t("explain.definedAt", {grain: t(`grain.${meta.defined_grain}`)})]);
  const factors = meta.factors ?? [];
  if (factors.length) rows.push([t("explain.factors"), html`<ul class="steward-factors">${factors.map(factorLine)}</ul>`]);
  if (meta.grid_series) {
    const published = (meta.grid_factors ?? []).map((g) => `${g.year}: ${g.value} kgCO₂/kWh (${lang === "zh" ? g.source_zh : g.source_en})`);
    const fallback = meta.grid_fallback_years?.length ? t("explain.gridFallback", {years: meta.grid_fallback_years.join(lang === "zh" ? "、" : ", ")}) : "";
    rows.push([t("explain.grid"), html`<span>${t("explain.gridSeries", {series: t(`grid.${meta.grid_series}`)})}<ul class="steward-factors">${published.map((p) => html`<li>${p}</li>`)}</ul>${fallback}</span>`]);
  }
  const target = site.targets?.[meta.kpi_id];
  if (meta.target_rule !== "none" && target) {
    const what = meta.target_rule === "path"
      ? t("explain.targetPath", {change: formatPercent(target.change, lang, 0), from: target.baseline_year, to: target.target_year})
      : t("explain.targetLevel", {from: target.from_year, to: target.to_year});
    rows.push([t("explain.target"), html`<span>${what}${target.is_example ? html` <b class="steward-example">${t("target.example")}</b>` : ""}<br><small>${lang === "zh" ? target.source_zh : target.source}</small></span>`]);
  } else {
    rows.push([t("explain.target"), t("explain.noTarget")]);
  }
  const lineage = site.lineage?.[meta.kpi_id];
  const exports = (lineage?.exports ?? []).map((e) => e.replace(/^raw\./, "")).map((name) => inLang(site.tables[name], "name") || name);
  rows.push([t("explain.computedBy"), html`<span><code>${meta.model}</code>${lineage ? ` · ${t("explain.upstream", {n: lineage.models.length})}` : ""}</span>`]);
  if (exports.length) rows.push([t("explain.exports"), exports.join(lang === "zh" ? "、" : ", ")]);
  return rows;
}

// One explanation open at a time; Esc, a tap outside it or its close button closes it.
function closeAll(except) {
  for (const d of document.querySelectorAll("details.steward-explain[open]")) if (d !== except) d.open = false;
}
if (typeof document !== "undefined" && !document.documentElement.dataset.explainListeners) {
  document.documentElement.dataset.explainListeners = "1";
  document.addEventListener("keydown", (e) => e.key === "Escape" && closeAll());
  document.addEventListener("click", (e) => closeAll(e.target.closest?.("details.steward-explain")));
}

/**
 * An open explanation lies within the page's main column: one that would open under the sidebar
 * (a card in the left column) or past the right edge is moved sideways. A phone's explanation is
 * fixed to the screen by the style sheet and left as it is.
 */
function keepInView(details) {
  const body = details.querySelector(".steward-explain-body");
  body.style.removeProperty("right");
  body.style.removeProperty("left");
  if (!details.open || getComputedStyle(body).position !== "absolute") return;
  const main = document.querySelector("#observablehq-main")?.getBoundingClientRect();
  const r = body.getBoundingClientRect();
  const left = (main?.left ?? 0) + 8;
  const right = Math.min(main?.right ?? Infinity, document.documentElement.clientWidth) - 8;
  const shift = r.left < left ? left - r.left : r.right > right ? right - r.right : 0;
  if (!shift) return;
  const anchor = body.offsetParent.getBoundingClientRect();
  body.style.left = `${r.left + shift - anchor.left}px`;
  body.style.right = "auto";
}

/** The ⓘ on a card or a column header: opens the explanation in place, titled with the KPI's name. */
export function explain(meta, site, {label} = {}) {
  const rows = explanationRows(meta, site);
  const name = label ?? inLang(meta, "name");
  const details = html`<details class="steward-explain">
    <summary title=${t("explain.open")} aria-label=${`${t("explain.open")}: ${name}`}>ⓘ</summary>
    <div class="steward-explain-body" role="dialog" aria-label=${name}>
      <div class="steward-explain-head"><strong>${name}</strong><button type="button" class="steward-explain-close" aria-label=${t("explain.close")} title=${t("explain.close")}>×</button></div>
      <dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
      <a href=${`${site.root ?? "./"}models.html#kpi-${meta.kpi_id}`}>${t("explain.more")}</a>
    </div>
  </details>`;
  details.addEventListener("toggle", () => keepInView(details));
  details.querySelector(".steward-explain-close").addEventListener("click", (e) => {
    e.preventDefault();
    details.open = false;
    details.querySelector("summary").focus();
  });
  return details;
}

// The period and unit selectors: one small form whose value is {grain, period, unit}. It starts
// from the URL and writes every change back to it.
import {lang, t, kpiName, formatPeriod, unitName} from "./i18n.js";
import {params, writeParams} from "./state.js";

const GRAINS = ["month", "quarter", "year"];

function option(value, label, selected) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  o.selected = selected;
  return o;
}

function labelled(text, control) {
  const label = document.createElement("label");
  const span = document.createElement("span");
  span.textContent = text;
  label.append(span, control);
  return label;
}

/** The last period of `grain` that does not start after the end of `period`'s year. */
function closestPeriod(periods, period) {
  const year = (period ?? "").slice(0, 4);
  const sameYear = periods.filter((p) => p.slice(0, 4) <= year);
  return sameYear.at(-1) ?? periods.at(-1) ?? null;
}

/**
 * @param site   the site.json (periods by grain, units)
 * @param opts.unit    show the unit selector (default true)
 * @param opts.grains  grains offered (default all that have data)
 */
export function selectors(site, {unit: withUnit = true, grains} = {}) {
  const available = (grains ?? GRAINS).filter((g) => (site.periods?.[g] ?? []).length);
  const p = params();
  let grain = available.includes(p.get("grain")) ? p.get("grain") : available.includes("month") ? "month" : available[0] ?? "month";
  // Oldest first, as the selector lists them newest first.
  const periodsOf = (g) => [...(site.periods?.[g] ?? [])].sort();
  let period = periodsOf(grain).includes(p.get("period")) ? p.get("period") : periodsOf(grain).at(-1) ?? null;
  const units = ["ALL", ...(site.units ?? []).map((u) => u.unit_code)];
  let unit = withUnit && units.includes(p.get("unit")) ? p.get("unit") : "ALL";

  const form = document.createElement("form");
  form.className = "steward-selectors";
  form.addEventListener("submit", (e) => e.preventDefault());
  const grainSelect = document.createElement("select");
  grainSelect.name = "grain";
  const periodSelect = document.createElement("select");
  periodSelect.name = "period";
  const unitSelect = document.createElement("select");
  unitSelect.name = "unit";

  const fillPeriods = () => {
    periodSelect.replaceChildren(...periodsOf(grain).slice().reverse().map((x) => option(x, formatPeriod(x, lang), x === period)));
  };
  grainSelect.append(...available.map((g) => option(g, t(`grain.${g}`), g === grain)));
  fillPeriods();
  unitSelect.append(...units.map((u) => option(u, unitName(u, site.units ?? []), u === unit)));

  const sync = () => {
    form.value = {grain, period, unit};
    writeParams({grain, period, unit: withUnit && unit !== "ALL" ? unit : null});
  };
  // A select's own input listener runs before the event bubbles to the form, where Framework's
  // view() reads form.value: so the value is always current when read.
  grainSelect.addEventListener("input", () => {
    grain = grainSelect.value;
    period = closestPeriod(periodsOf(grain), period);
    fillPeriods();
    sync();
  });
  periodSelect.addEventListener("input", () => {
    period = periodSelect.value;
    sync();
  });
  unitSelect.addEventListener("input", () => {
    unit = unitSelect.value;
    sync();
  });

  form.append(labelled(t("sel.grain"), grainSelect), labelled(t("sel.period"), periodSelect));
  if (withUnit) form.append(labelled(t("sel.unit"), unitSelect));
  form.value = {grain, period, unit};
  if (p.has("grain") || p.has("period")) sync();
  return form;
}

/**
 * Which of a page's KPIs the charts show (URL parameter `kpi`; the area's lead KPI by default).
 * Not carried to other pages: each area has its own KPIs. `kpis` are declarations (kpis.json).
 */
export function kpiPicker(kpis) {
  const p = params();
  const ids = kpis.map((k) => k.kpi_id);
  const lead = (kpis.find((k) => k.is_lead) ?? kpis[0])?.kpi_id;
  let kpi = ids.includes(p.get("kpi")) ? p.get("kpi") : lead;
  const form = document.createElement("form");
  form.className = "steward-selectors steward-kpi-picker";
  form.addEventListener("submit", (e) => e.preventDefault());
  const select = document.createElement("select");
  select.name = "kpi";
  select.append(...kpis.map((k) => option(k.kpi_id, kpiName(k), k.kpi_id === kpi)));
  select.addEventListener("input", () => {
    kpi = select.value;
    form.value = kpi;
    writeParams({kpi: kpi === lead ? null : kpi});
  });
  form.append(labelled(t("sel.kpi"), select));
  form.value = kpi;
  return form;
}

/**
 * How the small multiples share their vertical axis (URL parameter `scale`): each unit on its own
 * scale (the default: a small unit's trend stays visible beside the city level), or one scale for
 * all (sizes compare across units). The value is true for independent scales.
 */
export function scalePicker() {
  const p = params();
  let own = p.get("scale") !== "shared";
  const form = document.createElement("form");
  form.className = "steward-selectors steward-scale-picker";
  form.addEventListener("submit", (e) => e.preventDefault());
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = t("sel.scale");
  fieldset.append(legend);
  for (const [value, label] of [["own", t("sel.scaleOwn")], ["shared", t("sel.scaleShared")]]) {
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "scale";
    input.value = value;
    input.checked = (value === "own") === own;
    input.addEventListener("input", () => {
      own = value === "own";
      form.value = own;
      writeParams({scale: own ? null : "shared"});
    });
    const text = document.createElement("label");
    text.append(input, document.createTextNode(label));
    fieldset.append(text);
  }
  form.append(fieldset);
  form.value = own;
  return form;
}

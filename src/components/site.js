// What every page reads: the KPI declarations, units, periods, the as-of date, where each KPI
// comes from, and the names of export tables and coded values — loaded once per page.
import {FileAttachment} from "observablehq:stdlib";
import {rowsOf} from "./data.js";

const FILES = {
  kpis: FileAttachment("../data/kpis.json"),
  units: FileAttachment("../data/units.json"),
  periods: FileAttachment("../data/periods.json"),
  asOf: FileAttachment("../data/as_of.json"),
  lineage: FileAttachment("../data/models/kpi_lineage.json"),
  tables: FileAttachment("../data/quality/templates.json"),
  labels: FileAttachment("../data/labels.json"),
  targets: FileAttachment("../data/models/targets.json"),
  events: FileAttachment("../data/events.json"),
};

export async function loadSite() {
  const entries = await Promise.all(Object.entries(FILES).map(async ([k, f]) => [k, rowsOf(await f.json())]));
  const d = Object.fromEntries(entries);
  const periods = {month: [], quarter: [], year: []};
  for (const p of d.periods) periods[p.grain]?.push(p.period);
  return {
    kpiList: d.kpis,
    kpis: Object.fromEntries(d.kpis.map((k) => [k.kpi_id, k])),
    units: d.units,
    periods,
    asOf: d.asOf[0] ?? null,
    lineage: Object.fromEntries(d.lineage.map((l) => [l.kpi_id, l])),
    tables: Object.fromEntries(d.tables.map((x) => [x.table_name, x])),
    labels: d.labels,
    // Events drawn on the time axes (events.csv through the events model).
    events: d.events,
    // A KPI's target as configured (the first row: a city-wide row when the target is per unit).
    targets: Object.fromEntries([...d.targets].reverse().map((x) => [x.kpi_id, x])),
    // Links from components resolve against the page: district pages sit one folder down.
    root: /\/districts\//.test(location.pathname) ? "../" : "./",
  };
}

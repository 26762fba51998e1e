// Reading page data: every file is {columns, rows}, the rows of one named query (sql/pages/).

/** Compact table → row objects. */
export function rowsOf(table) {
  if (!table?.columns) return [];
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
}

/** Rows grouped by a key function. */
export function groupBy(rows, key) {
  const out = new Map();
  for (const r of rows) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(r);
  }
  return out;
}

/** Card rows (kpi_cards) looked up by KPI, unit and period. */
export class Cards {
  constructor(rows) {
    this.rows = rows;
    this.index = new Map(rows.map((r) => [`${r.kpi_id}|${r.unit_code}|${r.period}`, r]));
  }
  get(kpi, unit, period) {
    return this.index.get(`${kpi}|${unit}|${period}`) ?? null;
  }
  /** One unit's values of a KPI over the periods of the file, oldest first. */
  series(kpi, unit) {
    return this.rows.filter((r) => r.kpi_id === kpi && r.unit_code === unit).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  }
  /** Every unit's card of a KPI in one period (the city left out). */
  units(kpi, period) {
    return this.rows.filter((r) => r.kpi_id === kpi && r.period === period && r.unit_code !== "ALL");
  }
}

/**
 * Header mapping: from whatever a district's system writes in its header row to the contract's
 * canonical columns, with the unit in brackets deciding how values are scaled.
 */
import { CONTRACT, type Column, type Measure, type Table } from '../contract/contract.ts';

/** Case, spacing and full-width forms ignored: `金额（万元）` and `金额 (万元)` are the same header. */
export function normaliseHeader(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/\s+/g, '').replace(/[【\[]/g, '(').replace(/[】\]]/g, ')');
}

/** Splits `金额(万元)` into base `金额` and unit `万元`; a header without brackets has no unit. */
export function splitUnit(normalised: string): { base: string; unit?: string } {
  const m = /^(.*?)\(([^()]*)\)$/.exec(normalised);
  return m && m[1] ? { base: m[1], unit: m[2] } : { base: normalised };
}

/** Units of measure by family; the factor converts into the family's canonical unit (first entry). */
const MEASURE_UNITS: Record<Measure, Record<string, number>> = {
  money: { 元: 1, yuan: 1, rmb: 1, cny: 1, 人民币元: 1, 千元: 1e3, 万元: 1e4, 百万元: 1e6, 亿元: 1e8 },
  distance: { 公里: 1, km: 1, 千米: 1, 米: 0.001, m: 0.001, 万公里: 1e4 },
  area: { 平方米: 1, m2: 1, 'm²': 1, 平米: 1, 万平方米: 1e4 },
  energy: { 千瓦时: 1, kwh: 1, 度: 1, 万千瓦时: 1e4, 万度: 1e4, mwh: 1e3, 兆瓦时: 1e3 },
  volume: { 立方米: 1, m3: 1, 'm³': 1, 方: 1, 万立方米: 1e4 },
  fuel: { 升: 1, l: 1 },
  mass: { 吨: 1, t: 1, 千克: 1e-3, kg: 1e-3 },
  carbon: { 吨: 1, t: 1, tco2e: 1, 吨co2e: 1, 吨二氧化碳当量: 1, 千克: 1e-3, kg: 1e-3 },
  duration: { 小时: 1, h: 1, 分钟: 1 / 60, min: 1 / 60 },
  pages: { 页: 1, 张: 1 },
};

/**
 * Energy readings carry their own unit: a quantity unit is one of kWh, m3, L, t (diesel by weight,
 * water by the tonne = m³). Returns the canonical unit and the factor into it.
 */
export const QUANTITY_UNITS: Record<string, { unit: 'kWh' | 'm3' | 'L' | 't'; factor: number }> = {
  千瓦时: { unit: 'kWh', factor: 1 }, kwh: { unit: 'kWh', factor: 1 }, 度: { unit: 'kWh', factor: 1 },
  万千瓦时: { unit: 'kWh', factor: 1e4 }, 万度: { unit: 'kWh', factor: 1e4 }, mwh: { unit: 'kWh', factor: 1e3 }, 兆瓦时: { unit: 'kWh', factor: 1e3 },
  立方米: { unit: 'm3', factor: 1 }, m3: { unit: 'm3', factor: 1 }, 'm³': { unit: 'm3', factor: 1 }, 方: { unit: 'm3', factor: 1 }, 万立方米: { unit: 'm3', factor: 1e4 },
  升: { unit: 'L', factor: 1 }, l: { unit: 'L', factor: 1 },
  吨: { unit: 't', factor: 1 }, t: { unit: 't', factor: 1 }, 万吨: { unit: 't', factor: 1e4 },
};

export function unitFactor(measure: Measure, unit: string): number | undefined {
  return MEASURE_UNITS[measure][unit.normalize('NFKC').toLowerCase()];
}

export interface MappedColumn {
  /** Position of the header in the file's row. */
  index: number;
  header: string;
  column: Column;
  /** Multiplier applied to parsed numbers (万元 → 10000). */
  scale: number;
  /** For energy_readings.quantity: the unit given in the header (kWh, m3, L, t). */
  quantityUnit?: string;
}

export interface HeaderMapping {
  table: Table;
  columns: MappedColumn[];
  /** Headers that name no contract column: kept aside and reported. */
  extras: { index: number; header: string }[];
  /** Headers that name a column already mapped by an earlier header. */
  duplicates: { index: number; header: string; column: string }[];
  /** Required columns the header row lacks. */
  missingRequired: Column[];
  /** Headers whose unit cannot be converted for their column (e.g. 里程(小时)). */
  badUnits: { index: number; header: string; reason: string }[];
}

interface Candidate { column: Column; scale: number; quantityUnit?: string }

function matchHeader(t: Table, header: string): Candidate | { badUnit: string } | undefined {
  const h = normaliseHeader(header);
  if (!h) return undefined;
  // 1. A complete alias, unit included (`预算金额（万元）`, `区县（市）`).
  for (const c of t.columns) {
    for (const a of [c.name, ...c.aliases]) {
      if (normaliseHeader(a) === h) {
        const { unit } = splitUnit(h);
        const sc = unit ? scaleFor(t, c, unit) : undefined;
        if (sc && !('badUnit' in sc)) return sc;
        return { column: c, scale: 1 };
      }
    }
  }
  // 2. The same base with another unit in brackets (`费用(万元)`, `用量(万千瓦时)`), or no unit.
  const { base, unit } = splitUnit(h);
  for (const c of t.columns) {
    for (const a of [c.name, ...c.aliases]) {
      if (splitUnit(normaliseHeader(a)).base !== base) continue;
      if (!unit) return { column: c, scale: 1 };
      return scaleFor(t, c, unit) ?? { badUnit: `unit "${unit}" does not fit column ${c.name}` };
    }
  }
  return undefined;
}

function scaleFor(t: Table, c: Column, unit: string): Candidate | { badUnit: string } | undefined {
  if (t.name === 'energy_readings' && c.name === 'quantity') {
    const q = QUANTITY_UNITS[unit.normalize('NFKC').toLowerCase()];
    return q ? { column: c, scale: q.factor, quantityUnit: q.unit } : { badUnit: `unit "${unit}" is not a quantity unit (千瓦时, 万千瓦时, 立方米, 升, 吨)` };
  }
  if (!c.measure) return undefined;
  const f = unitFactor(c.measure, unit);
  return f === undefined ? { badUnit: `unit "${unit}" does not fit column ${c.name} (${Object.keys(MEASURE_UNITS[c.measure]).join(', ')})` } : { column: c, scale: f };
}

export function mapHeaders(t: Table, headers: string[]): HeaderMapping {
  const out: HeaderMapping = { table: t, columns: [], extras: [], duplicates: [], missingRequired: [], badUnits: [] };
  const seen = new Set<string>();
  headers.forEach((header, index) => {
    if (!header || !header.trim()) return;
    const m = matchHeader(t, header);
    if (!m) out.extras.push({ index, header });
    else if ('badUnit' in m) out.badUnits.push({ index, header, reason: m.badUnit });
    else if (seen.has(m.column.name)) out.duplicates.push({ index, header, column: m.column.name });
    else {
      seen.add(m.column.name);
      out.columns.push({ index, header, column: m.column, scale: m.scale, quantityUnit: m.quantityUnit });
    }
  });
  out.missingRequired = t.columns.filter((c) => c.required && !seen.has(c.name));
  return out;
}

/** How many of a table's columns a row of cells names; used to find the header row and the table. */
export function headerScore(t: Table, cells: string[]): { matched: number; requiredMissing: number } {
  const m = mapHeaders(t, cells);
  return { matched: m.columns.length, requiredMissing: m.missingRequired.length };
}

export interface Detection {
  table?: Table;
  headerRow: number;
  reason?: string;
}

/**
 * Finds the header row among the first rows (title rows above it are skipped) and, unless the
 * table is known from the file's folder, the one table whose required columns it names. A file
 * with no such row is refused with the closest table, the required columns it lacks and the next
 * step (`file` is named in that step).
 */
export function detectHeader(rows: string[][], known?: Table, file = 'FILE'): Detection {
  const tables = known ? [known] : CONTRACT;
  const limit = Math.min(rows.length, 30);
  for (let r = 0; r < limit; r++) {
    const cells = rows[r];
    if (cells.filter((c) => c && c.trim()).length < 2) continue;
    const scores = tables.map((t) => ({ t, ...headerScore(t, cells) }));
    if (known) {
      const s = scores[0];
      // A header row names at least two columns, or most of the non-empty cells.
      if (s.matched >= Math.min(3, known.columns.filter((c) => c.required).length) || (s.matched >= 2 && s.requiredMissing === 0)) return { table: known, headerRow: r };
      continue;
    }
    const complete = scores.filter((s) => s.requiredMissing === 0);
    if (complete.length === 1) return { table: complete[0].t, headerRow: r };
    if (complete.length > 1) {
      // Prefer the table that explains the most headers; a true tie is refused.
      complete.sort((a, b) => b.matched - a.matched || a.t.columns.length - b.t.columns.length);
      if (complete[0].matched > complete[1].matched) return { table: complete[0].t, headerRow: r };
      return { headerRow: r, reason: `the header row fits more than one table (${complete.map((s) => s.t.name).join(', ')}); put the file in data/inbox/<table>/` };
    }
  }
  const closest = closestTable(rows.slice(0, limit), tables);
  const next = `next: \`steward map ${file}\` drafts a mapping for it (then \`steward load ${file} --mapping data/mappings/<name>.yaml\`)`;
  if (!closest) {
    const needs = known ? `; it needs ${known.columns.filter((c) => c.required).map((c) => `${c.zh} (${c.name})`).join(', ')}` : '';
    return { headerRow: -1, reason: `no header row: no row in the first ${limit} rows names a column of ${known ? `${known.name} (${known.zh})` : 'any table'}${needs}; ${next}` };
  }
  const lacks = closest.missing.map((c) => `${c.zh} (${c.name})`).join(', ');
  const found = `row ${closest.row + 1} names ${closest.matched} of its columns${lacks ? ` but lacks ${lacks}` : ''}`;
  if (known) return { headerRow: -1, reason: `no header row naming the columns of ${known.name} (${known.zh}) in the first ${limit} rows: ${found}; ${next}` };
  return {
    headerRow: -1,
    reason: `no header row in the first ${limit} rows names all the required columns of any table; closest is ${closest.table.name} (${closest.table.zh}): ${found}; ${next}, or use the template headers (data/templates/${closest.table.name}.csv)`,
  };
}

/** The table and row whose headers name the most contract columns (then lack the fewest required ones). */
export function closestTable(rows: string[][], tables: Table[] = CONTRACT): { table: Table; row: number; matched: number; missing: Column[] } | undefined {
  let best: { table: Table; row: number; matched: number; missing: Column[] } | undefined;
  rows.forEach((cells, row) => {
    for (const t of tables) {
      const m = mapHeaders(t, cells);
      // The unit column alone is every table's: it says nothing about which one.
      const matched = m.columns.filter((c) => c.column.name !== 'unit').length;
      if (!matched) continue;
      if (!best || matched > best.matched || (matched === best.matched && m.missingRequired.length < best.missing.length)) best = { table: t, row, matched, missing: m.missingRequired };
    }
  });
  return best;
}

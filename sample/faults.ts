/**
 * Planting the faults of the export contract: about 1% extra rows per file, each a copy of a
 * clean row of the same file with exactly one thing wrong, so every fault is quarantined for one
 * reason, and the clean rows (and the calibrated totals they carry) are untouched. A duplicate is
 * an exact later copy of an earlier row, in the same file or from the unit's previous file.
 */
import { addDays, dayNumber, daysInMonth, pad2, parts } from './calendar.ts';
import type { Rng } from './random.ts';
import type { Row, Value } from './render.ts';
import type { TableName, UnitProfile } from './profiles.ts';

export type FaultRule =
  | 'unknown_unit' | 'negative_distance' | 'implausible_distance' | 'return_before_depart' | 'duplicate_key'
  | 'bad_date' | 'bad_datetime' | 'bad_number' | 'missing_required' | 'bad_value' | 'unknown_reference';

export interface PlantedFault {
  /** Index of the row in the file's final row list. */
  index: number;
  column: string;
  rule: FaultRule;
}

/** Misspelt unit names, as a clerk might type them. */
const UNIT_TYPOS: Record<string, string[]> = {
  HZ: ['杭州市本机', '市本極'], SC: ['上成区', 'Shangchen'], GS: ['拱野区', 'Gongsu'], XH: ['西胡区', 'Xihuu'],
  BJ: ['宾江区', 'Binjing'], XS: ['萧三区', 'Xiaoshang'], YH: ['余航区', 'Yuhan'], LP: ['临坪区', 'Linpin'],
  QT: ['钱唐区', 'Qiantan'], FY: ['富杨区', 'Fuyan'], LA: ['临按区', 'Linnan'], TL: ['铜庐县', 'Tonglv'],
  CA: ['纯安县', 'Chunnan'], JD: ['健德市', 'Jiangde'],
};

const KEY: Record<TableName, string> = {
  warehouses: 'warehouse_id', pool_transactions: 'txn_id', vehicles: 'vehicle_id', vehicle_trips: 'trip_id',
  buildings: 'building_id', energy_readings: 'building_id', procurement: 'record_id', meetings: 'meeting_id',
};

/** Date columns that move with a row copied into another month or year. */
const DATE_COLUMNS: Partial<Record<TableName, string[]>> = {
  vehicle_trips: ['depart_at', 'return_at'],
  pool_transactions: ['txn_date', 'due_date'],
  procurement: ['contracted_on', 'announced_on'],
  meetings: ['held_on'],
};

interface Kind {
  rule: FaultRule;
  weight: number;
  /** Returns the faulty copy and the column blamed, or undefined when the row cannot carry it. */
  make(row: Row, ctx: Ctx): { row: Row; column: string } | undefined;
}

interface Ctx {
  rng: Rng;
  unit: string;
  profile: UnitProfile;
  freshId(id: string): string;
}

const clone = (row: Row): Row => ({ values: { ...row.values }, raw: row.raw ? { ...row.raw } : undefined, extra: row.extra ? { ...row.extra } : undefined });

function withFreshId(table: TableName, row: Row, ctx: Ctx): Row {
  const r = clone(row);
  const key = KEY[table];
  if (table !== 'energy_readings') r.values[key] = ctx.freshId(String(row.values[key]));
  return r;
}

function badDate(value: Value, rng: Rng, withTime: boolean): string {
  const v = parts(String(value));
  const time = withTime ? ` ${pad2(v.h)}:${pad2(v.mi)}` : '';
  return rng.pick([
    `${v.y}-02-30${time}`,
    `${v.y}-13-${pad2(v.d)}${time}`,
    `${v.y}/${v.m}/32${time}`,
    withTime ? `${String(value).slice(0, 10)} 25:${pad2(v.mi)}` : `${v.y}年${v.m}月`,
    '待定',
  ]);
}

const unknownUnit: Kind = {
  rule: 'unknown_unit', weight: 1,
  make: (row, ctx) => {
    const r = row;
    r.raw = { ...(r.raw ?? {}), unit: ctx.rng.pick(UNIT_TYPOS[ctx.unit]) };
    return { row: r, column: 'unit' };
  },
};

function kinds(table: TableName): Kind[] {
  const en = (ctx: Ctx) => ctx.profile.headers === 'en';
  switch (table) {
    case 'vehicle_trips': {
      const hasDistance = (r: Row) => r.values.distance_km !== undefined && r.values.distance_km !== null;
      return [
        unknownUnit,
        { rule: 'negative_distance', weight: 1, make: (r) => {
          if (hasDistance(r)) r.values.distance_km = -Number(r.values.distance_km);
          else r.values.odometer_end = Number(r.values.odometer_start) - (Number(r.values.odometer_end) - Number(r.values.odometer_start));
          return { row: r, column: 'distance_km' };
        } },
        { rule: 'implausible_distance', weight: 1, make: (r, ctx) => {
          const d = Math.round(ctx.rng.range(21_000, 90_000)) / 10;
          if (hasDistance(r)) r.values.distance_km = d;
          else r.values.odometer_end = Math.round((Number(r.values.odometer_start) + d) * 10) / 10;
          return { row: r, column: 'distance_km' };
        } },
        { rule: 'return_before_depart', weight: 1.5, make: (r, ctx) => {
          const d = parts(String(r.values.depart_at));
          const back = d.h * 60 + d.mi - ctx.rng.int(30, 240);
          const date = back < 0 ? addDays(String(r.values.depart_at).slice(0, 10), -1) : String(r.values.depart_at).slice(0, 10);
          const m = (back + 1440) % 1440;
          r.values.return_at = `${date} ${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
          return { row: r, column: 'return_at' };
        } },
        { rule: 'bad_datetime', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), depart_at: badDate(r.values.depart_at, ctx.rng, true) };
          return { row: r, column: 'depart_at' };
        } },
        { rule: 'bad_number', weight: 1, make: (r, ctx) => {
          const col = hasDistance(r) ? 'distance_km' : 'odometer_end';
          r.raw = { ...(r.raw ?? {}), [col]: ctx.rng.pick(['约30', '三十', '12..5', '—', 'N/A']) };
          return { row: r, column: col };
        } },
        { rule: 'missing_required', weight: 1, make: (r) => {
          r.raw = { ...(r.raw ?? {}), vehicle_id: '' };
          return { row: r, column: 'vehicle_id' };
        } },
        { rule: 'unknown_reference', weight: 1, make: (r, ctx) => {
          r.values.vehicle_id = `浙B·${ctx.rng.pick(['K', 'M', 'Q'])}${ctx.rng.int(1000, 9999)}`;
          return { row: r, column: 'vehicle_id' };
        } },
      ];
    }
    case 'pool_transactions':
      return [
        unknownUnit,
        { rule: 'bad_date', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), txn_date: badDate(r.values.txn_date, ctx.rng, false) };
          return { row: r, column: 'txn_date' };
        } },
        { rule: 'bad_number', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), quantity: ctx.rng.pick([`${r.values.quantity}件`, '若干', `${r.values.quantity}.5`]) };
          return { row: r, column: 'quantity' };
        } },
        { rule: 'missing_required', weight: 1, make: (r) => {
          r.raw = { ...(r.raw ?? {}), asset_category: '' };
          return { row: r, column: 'asset_category' };
        } },
        { rule: 'bad_value', weight: 1.5, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), txn_type: en(ctx) ? 'lease' : ctx.rng.pick(['租赁', '出借', '报废']) };
          return { row: r, column: 'txn_type' };
        } },
        { rule: 'unknown_reference', weight: 1, make: (r, ctx) => {
          r.values.warehouse_id = `WH-${ctx.unit}-0${ctx.rng.int(5, 9)}`;
          return { row: r, column: 'warehouse_id' };
        } },
      ];
    case 'procurement':
      return [
        unknownUnit,
        { rule: 'bad_date', weight: 1, make: (r, ctx) => {
          const col = r.values.contracted_on ? 'contracted_on' : 'announced_on';
          r.raw = { ...(r.raw ?? {}), [col]: badDate(r.values[col], ctx.rng, false) };
          return { row: r, column: col };
        } },
        { rule: 'bad_number', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), budget_yuan: ctx.rng.pick(['待定', '见附件', '—']) };
          return { row: r, column: 'budget_yuan' };
        } },
        { rule: 'missing_required', weight: 1, make: (r) => {
          r.raw = { ...(r.raw ?? {}), agency: '' };
          return { row: r, column: 'agency' };
        } },
        { rule: 'bad_value', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), method: en(ctx) ? 'comparison' : ctx.rng.pick(['比选', '网上竞价', '定点采购']) };
          return { row: r, column: 'method' };
        } },
      ];
    case 'energy_readings':
      return [
        { rule: 'unknown_reference', weight: 2, make: (r, ctx) => {
          r.values.building_id = `B-${ctx.unit}-9${pad2(ctx.rng.int(0, 99))}`;
          return { row: r, column: 'building_id' };
        } },
        { rule: 'bad_number', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), quantity: ctx.rng.pick(['—', '表计故障', '12..5']) };
          return { row: r, column: 'quantity' };
        } },
        { rule: 'bad_datetime', weight: 1, make: (r, ctx) => {
          const v = String(r.values.period_start);
          r.raw = { ...(r.raw ?? {}), period_start: badDate(v, ctx.rng, v.length > 10) };
          return { row: r, column: 'period_start' };
        } },
        { rule: 'missing_required', weight: 1, make: (r) => {
          r.raw = { ...(r.raw ?? {}), carrier: '' };
          return { row: r, column: 'carrier' };
        } },
        { rule: 'bad_value', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), carrier: en(ctx) ? 'steam' : ctx.rng.pick(['蒸汽', '热力']) };
          return { row: r, column: 'carrier' };
        } },
      ];
    case 'meetings':
      return [
        { rule: 'missing_required', weight: 1, make: (r) => {
          r.raw = { ...(r.raw ?? {}), attendees: '' };
          return { row: r, column: 'attendees' };
        } },
        { rule: 'bad_number', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), duration_h: ctx.rng.pick(['半天', '2h30', '—']) };
          return { row: r, column: 'duration_h' };
        } },
        { rule: 'bad_date', weight: 1, make: (r, ctx) => {
          r.raw = { ...(r.raw ?? {}), held_on: badDate(r.values.held_on, ctx.rng, false) };
          return { row: r, column: 'held_on' };
        } },
      ];
    default:
      return [];
  }
}

/** Moves a copied row's dates into the given month (`YYYY-MM`) or year (`YYYY`). */
export function moveInto(table: TableName, row: Row, period: string): Row {
  const cols = DATE_COLUMNS[table] ?? [];
  const anchor = cols.map((c) => row.values[c]).find((v) => v);
  if (!anchor) return row;
  const a = parts(String(anchor));
  const y = Number(period.slice(0, 4));
  const m = period.length > 4 ? Number(period.slice(5, 7)) : a.m;
  const target = `${y}-${pad2(m)}-${pad2(Math.min(a.d, daysInMonth(y, m)))}`;
  const delta = dayNumber(target) - dayNumber(String(anchor).slice(0, 10));
  const out = clone(row);
  for (const c of cols) {
    const v = row.values[c];
    if (v) out.values[c] = addDays(String(v).slice(0, 10), delta) + String(v).slice(10);
  }
  return out;
}

export interface PlantInput {
  table: TableName;
  unit: string;
  profile: UnitProfile;
  rows: Row[];
  rate: number;
  rng: Rng;
  /** A clean row from the unit's previous file of this table, already moved into this file's period. */
  carried?: Row;
  freshId(id: string): string;
}

/**
 * Returns the file's rows with fault rows inserted, and where each fault is. Tables without
 * fault kinds (the dimension tables, whose faults their generators plant) come back unchanged.
 */
export function plantFaults(input: PlantInput): { rows: Row[]; faults: PlantedFault[] } {
  const { table, rows, rng } = input;
  const ks = kinds(table);
  const n = rows.length ? rng.count(rows.length * input.rate) : 0;
  if (!ks.length || n === 0) return { rows, faults: [] };
  const ctx: Ctx = { rng, unit: input.unit, profile: input.profile, freshId: input.freshId };
  const weighted: [Kind | 'dup', number][] = [...ks.map((k) => [k, k.weight] as [Kind, number]), ['dup', 2]];
  // Insertions as (position after which to insert, row, column, rule); positions refer to clean rows.
  const inserts: { after: number; row: Row; column: string; rule: FaultRule }[] = [];
  let usedCarry = false;
  for (let i = 0; i < n; i++) {
    const kind = rng.weighted(weighted);
    const src = rng.int(0, rows.length - 1);
    const after = rng.int(src, rows.length - 1);
    if (kind === 'dup') {
      if (input.carried && !usedCarry && rng.chance(0.5)) {
        usedCarry = true;
        inserts.push({ after: rng.int(-1, rows.length - 1), row: clone(input.carried), column: KEY[table], rule: 'duplicate_key' });
      } else {
        inserts.push({ after, row: clone(rows[src]), column: KEY[table], rule: 'duplicate_key' });
      }
      continue;
    }
    const made = kind.make(withFreshId(table, rows[src], ctx), ctx);
    if (made) inserts.push({ after, row: made.row, column: made.column, rule: kind.rule });
  }
  // Stable order: by position, then by planting order.
  const order = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => a.after - b.after || a.i - b.i);
  const out: Row[] = [];
  const faults: PlantedFault[] = [];
  let k = 0;
  while (k < order.length && order[k].after < 0) {
    faults.push({ index: out.length, column: order[k].column, rule: order[k].rule });
    out.push(order[k++].row);
  }
  rows.forEach((r, idx) => {
    out.push(r);
    while (k < order.length && order[k].after === idx) {
      faults.push({ index: out.length, column: order[k].column, rule: order[k].rule });
      out.push(order[k++].row);
    }
  });
  return { rows: out, faults };
}

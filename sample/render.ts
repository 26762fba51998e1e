/**
 * From canonical values to what a unit's system writes: header text per column and cell text
 * (or, for XLSX, a typed cell) per value. Column types come from the export contract, so a new
 * contract column is rendered without touching this file.
 */
import { table as contractTable, type Column, type Table } from '../contract/contract.ts';
import { parts, pad2 } from './calendar.ts';
import type { DateStyle, ExportStyle, TableName, UnitProfile } from './profiles.ts';

/** Canonical cell values: dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM`, money in yuan, enums as codes. */
export type Value = string | number | boolean | null | undefined;

export interface Row {
  values: Record<string, Value>;
  /** Cell text written as is, overriding the rendered value (how faults are planted). */
  raw?: Record<string, string>;
  /** Columns the contract does not know, by header (e.g. 驾驶员姓名). */
  extra?: Record<string, string>;
}

/** An XLSX cell: text, number or a wall-clock Date (built with Date.UTC; exceljs writes UTC fields). */
export type Cell = string | number | Date | null;

const WAN_SAFE = /\((元)\)$|（元）$/;

export function headerFor(t: Table, c: Column, p: UnitProfile): string {
  if (c.name === 'unit') return p.unitHeader;
  if (p.headers === 'en') return c.name;
  if (t.name === 'energy_readings' && c.name === 'quantity') return '用量';
  let alias = p.headers === 'zh' ? c.aliases[0] : c.aliases[c.aliases.length - 1];
  // A unit that writes yuan never uses a header that declares 万元.
  if (!p.wan && alias.includes('万元')) alias = c.aliases.find((a) => !a.includes('万元')) ?? c.name;
  if (p.wan && c.type === 'money') {
    if (alias === '预算金额（万元）') return alias;
    return alias.replace(WAN_SAFE, '(万元)');
  }
  return alias;
}

export function columnsFor(t: TableName, present: Set<string>): Column[] {
  return contractTable(t).columns.filter((c) => present.has(c.name));
}

const FULL_WIDTH: Record<string, string> = { '0': '０', '1': '１', '2': '２', '3': '３', '4': '４', '5': '５', '6': '６', '7': '７', '8': '８', '9': '９', '.': '．', '-': '－' };
const fullWidth = (s: string) => s.replace(/[0-9.\-]/g, (ch) => FULL_WIDTH[ch]);

function thousands(s: string): string {
  const [int, frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (frac !== undefined ? '.' + frac : '');
}

/** Shortest decimal text of a number that was rounded to at most `decimals` places. */
export function numberText(n: number, decimals = 6): string {
  const s = n.toFixed(decimals);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Excel serial day of a wall-clock date or datetime (1899-12-30 is day 0). */
export function excelSerial(value: string): number {
  const v = parts(value);
  const ms = Date.UTC(v.y, v.m - 1, v.d, v.h, v.mi, v.s) - Date.UTC(1899, 11, 30);
  return ms / 86_400_000;
}

export function wallClockDate(value: string): Date {
  const v = parts(value);
  return new Date(Date.UTC(v.y, v.m - 1, v.d, v.h, v.mi, v.s));
}

function dateText(value: string, style: DateStyle, withTime: boolean): string {
  const v = parts(value);
  const time = withTime ? ` ${pad2(v.h)}:${pad2(v.mi)}` : '';
  switch (style) {
    case 'slash': return `${v.y}/${v.m}/${v.d}${time}`;
    case 'dot': return `${v.y}.${v.m}.${v.d}${time}`;
    case 'cn': return `${v.y}年${v.m}月${v.d}日${time}`;
    case 'compact': return `${v.y}${pad2(v.m)}${pad2(v.d)}${time}`;
    case 'serial': return withTime ? numberText(excelSerial(value), 6) : String(excelSerial(value));
    default: return `${value.slice(0, 10)}${time}`;
  }
}

const BOOLS: Record<UnitProfile['bools'], [string, string]> = { zh: ['是', '否'], yn: ['Y', 'N'], tf: ['true', 'false'], '10': ['1', '0'] };

/** Whether a date_or_datetime value carries a time (smart-meter intervals do). */
const hasTime = (s: string) => s.length > 10;

/**
 * The cell for one value. `xlsx` returns typed cells (numbers, Dates) where the unit's system
 * would; text formats return strings.
 */
export function renderValue(c: Column, value: Value, p: UnitProfile, style: ExportStyle, unitName: string): Cell {
  if (value === null || value === undefined || value === '') return null;
  const xlsx = style.format === 'xlsx';
  if (c.name === 'unit') return unitName;
  if (c.values) {
    const code = String(value);
    if (p.headers === 'en') return code;
    const v = c.values.find((e) => e.code === code);
    if (!v) throw new Error(`sample: ${c.name} value "${code}" is not a contract code`);
    return v.zh;
  }
  switch (c.type) {
    case 'text': return String(value);
    case 'bool': return BOOLS[p.bools][value ? 0 : 1];
    case 'date':
    case 'datetime':
    case 'date_or_datetime': {
      const s = String(value);
      const withTime = c.type === 'datetime' || (c.type === 'date_or_datetime' && hasTime(s));
      const ds = withTime ? p.datetimes : p.dates;
      if (ds === 'excel') return xlsx ? wallClockDate(s) : dateText(s, withTime ? 'iso' : 'serial', withTime);
      return dateText(s, ds, withTime);
    }
    case 'int':
    case 'num':
    case 'money': {
      let n = Number(value);
      if (c.type === 'money' && p.wan) n = n / 10_000;
      if ((xlsx || (style.format === 'json' && p.headers === 'en')) && p.numbers === 'plain') return n;
      const text = numberText(n, c.type === 'money' && p.wan ? 6 : 4);
      switch (p.numbers) {
        case 'thousands': return thousands(text);
        case 'fullwidth': return fullWidth(text);
        case 'yuan': return c.type === 'money' ? `${text}元` : text;
        default: return xlsx ? n : text;
      }
    }
  }
}

/**
 * `steward map FILE`: drafts a mapping for an export the contract does not recognise. It finds
 * the header row under any preamble, proposes the target table and a source for each contract
 * column (from the contract's aliases, header words and the shapes of the values), flags what a
 * person must look at (amounts that fit 万元, `$` amounts, mojibake, placeholder cells such as
 * `Not Available`, personal details), writes the YAML with a comment on every decision it could
 * not make, and shows five rows as they would load.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import { CONTRACT, TABLES, type Column, type Table } from '../contract/contract.ts';
import { findPersonal } from '../warehouse/personal.ts';
import { closestTable, mapHeaders, normaliseHeader, splitUnit, unitFactor } from './headers.ts';
import type { Mapping } from './mapping.ts';
import { jsonValueText, parseJson } from './json-text.ts';
import { fingerprint, formatOf, readHead, sniffDelimiter, splitCsvLines } from './sources.ts';
import { CP1252_BYTES, MOJIBAKE } from './warnings.ts';
import { readXlsxRowBatches } from './xlsx.ts';

export interface Preview {
  rows: string[][];
  /** Row number of each row as a person sees it (spreadsheet row, CSV line, JSON record). */
  rowNumbers: number[];
}

/** The first rows of a file of any accepted format, as text cells. */
export async function previewFile(path: string, maxRows = 300): Promise<Preview> {
  const head = await readHead(path, 1 << 20);
  const format = formatOf(path, head);
  if (!format) throw new Error(`${path}: is not a CSV, TSV, XLSX, JSON or NDJSON file (judged by its extension)`);
  if (format === 'xlsx') {
    const rows: string[][] = [];
    const rowNumbers: number[] = [];
    for await (const batch of readXlsxRowBatches(path)) {
      for (const r of batch) {
        if (!r.cells.some((c) => c !== null && c !== '')) continue;
        rows.push(r.cells.map((c) => c ?? ''));
        rowNumbers.push(r.number);
      }
      if (rows.length >= maxRows) break;
    }
    return { rows: rows.slice(0, maxRows), rowNumbers: rowNumbers.slice(0, maxRows) };
  }
  const fp = await fingerprint(path);
  const text = fp.encoding === 'gb18030' ? iconv.decode(head, 'gb18030') : head.toString('utf8').replace(/^\uFEFF/, '');
  if (format === 'csv') {
    const rows = splitCsvLines(text, path.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(text), maxRows);
    return { rows, rowNumbers: rows.map((_, i) => i + 1) };
  }
  const records: Record<string, unknown>[] = format === 'json' ? (parseJson(readFileSync(path, 'utf8')) as Record<string, unknown>[]) : text.split(/\r?\n/).filter((l) => l.trim()).map((l) => parseJson(l) as Record<string, unknown>);
  const keys = [...new Set(records.slice(0, maxRows).flatMap((r) => Object.keys(r ?? {})))];
  const rows = [keys, ...records.slice(0, maxRows).map((r) => keys.map((k) => jsonValueText(r?.[k]) ?? ''))];
  return { rows, rowNumbers: rows.map((_, i) => i) };
}

type Shape = 'blank' | 'placeholder' | 'number' | 'dollar' | 'date' | 'us_date' | 'mon_date' | 'datetime' | 'us_datetime' | 'time' | 'personal' | 'text';

/** Cells that stand for "no value" in exports. */
export const PLACEHOLDER = /^(not available|n\/?a|na|none|null|nil|-+|—+|–|\/|无|暂无|不详|未知|待定|#n\/a|\?+)$/i;

function shapeOf(v: string): Shape {
  const s = v.trim();
  if (!s) return 'blank';
  if (PLACEHOLDER.test(s)) return 'placeholder';
  if (/^-?\$\s?[\d,]+(\.\d+)?$|^\$?-?[\d,]+(\.\d+)?\s?(USD|US\$)$/i.test(s)) return 'dollar';
  if (/^[-+]?[¥￥]?[\d,]*\d(\.\d+)?\s?(元)?$/.test(s) && !/^0\d/.test(s.replace(/[¥￥]/, ''))) return 'number';
  if (/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$|^\d{8}$/.test(s)) return 'date';
  if (/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[ T]\d{1,2}[:时]\d{2}/.test(s)) return 'datetime';
  if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s)) return 'us_date';
  if (/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}/.test(s)) return 'us_datetime';
  if (/^\d{1,2}-[A-Za-z]{3}-\d{2,4}$/.test(s)) return 'mon_date';
  if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(s)) return 'time';
  if (findPersonal(s).some((m) => m.end - m.start >= s.length - 2)) return 'personal';
  return 'text';
}

interface Profile {
  index: number;
  header: string;
  values: string[];
  shapes: Record<Shape, number>;
  /** The shape of most non-blank, non-placeholder cells. */
  main: Shape;
  placeholders: string[];
  mojibake: string[];
  /** Cells holding personal details inside other text. */
  personalInText: number;
  median?: number;
}

function profile(index: number, header: string, values: string[]): Profile {
  const shapes = Object.fromEntries((['blank', 'placeholder', 'number', 'dollar', 'date', 'us_date', 'mon_date', 'datetime', 'us_datetime', 'time', 'personal', 'text'] as Shape[]).map((k) => [k, 0])) as Record<Shape, number>;
  const placeholders = new Set<string>();
  const mojibake = new Set<string>();
  let personalInText = 0;
  for (const v of values) {
    const sh = shapeOf(v);
    shapes[sh]++;
    if (sh === 'placeholder') placeholders.add(v.trim());
    if (sh === 'text' && findPersonal(v).length) personalInText++;
    for (const m of v.matchAll(new RegExp(MOJIBAKE.source, 'g'))) mojibake.add(m[0]);
  }
  const counted = (Object.entries(shapes) as [Shape, number][]).filter(([k]) => k !== 'blank' && k !== 'placeholder').sort((a, b) => b[1] - a[1]);
  const main = counted[0][1] > 0 ? counted[0][0] : 'blank';
  const numeric = values.filter((v) => ['number', 'dollar'].includes(shapeOf(v))).map((v) => Number(v.replace(/[,\s¥￥$元]|USD|US/g, '')));
  const sorted = numeric.filter(Number.isFinite).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
  return { index, header, values, shapes, main, placeholders: [...placeholders], mojibake: [...mojibake], personalInText, median };
}

/** Header rows look like text: no numbers or dates among their cells. */
function textLike(cells: string[]): number {
  return cells.filter((c) => c.trim() && ['text', 'personal'].includes(shapeOf(c)) && c.trim().length <= 60).length;
}

/** The header row: the one naming contract columns if any does, else the first row of text cells as wide as the data under it. */
export function findHeaderRow(rows: string[][]): number {
  const limit = Math.min(rows.length, 30);
  const closest = closestTable(rows.slice(0, limit));
  if (closest && closest.matched >= 2) return closest.row;
  let best = -1;
  let bestScore = 1;
  for (let r = 0; r < limit; r++) {
    const score = textLike(rows[r]);
    const next = rows[r + 1]?.filter((c) => c.trim()).length ?? 0;
    if (score > bestScore && next >= Math.min(score, 2)) {
      best = r;
      bestScore = score;
    }
  }
  return Math.max(best, 0);
}

/** Words of a header or label, for comparing an English header with a column's English name. */
const words = (s: string) => new Set(s.toLowerCase().replace(/\([^)]*\)/g, ' ').split(/[^a-z0-9]+/).filter((w) => w.length > 1 && !['of', 'the', 'on', 'per', 'in', 'at'].includes(w)));
/** English header words that mean a column's word. */
const SYNONYMS: Record<string, string[]> = {
  id: ['id', 'number', 'no', 'code', 'ref', 'reference'],
  date: ['date', 'day'],
  amount: ['amount', 'value', 'price', 'cost', 'total', 'sum'],
  project: ['project', 'description', 'title', 'subject'],
  agency: ['agency', 'division', 'department', 'dept', 'buyer', 'organisation', 'organization'],
  supplier: ['supplier', 'vendor', 'contractor', 'company'],
  building: ['building', 'property', 'facility', 'site'],
  name: ['name', 'title'],
  quantity: ['quantity', 'qty', 'use', 'usage', 'consumption'],
  vehicle: ['vehicle', 'plate', 'car', 'equipment', 'equip'],
  fuel: ['fuel', 'litres', 'liters', 'volume'],
  method: ['method', 'type', 'solicitation', 'procurement'],
  category: ['category', 'class', 'type', 'commodity'],
  budget: ['budget', 'estimated', 'estimate'],
  contract: ['contract', 'awarded', 'award'],
  contracted: ['award', 'awarded', 'contract', 'signed'],
  announced: ['announced', 'published', 'posted', 'notice'],
  area: ['area', 'gfa', 'floor'],
};

function headerScore(c: Column, header: string): number {
  const h = normaliseHeader(header);
  if (!h) return 0;
  const base = splitUnit(h).base;
  let best = 0;
  // Chinese: one header contains the other's base (金额 ⊂ 预算金额, 采购项目名称 ⊃ 项目名称).
  for (const a of [c.zh, ...c.aliases]) {
    const ab = splitUnit(normaliseHeader(a)).base;
    if (ab.length >= 2 && base.length >= 2 && /[\u4e00-\u9fff]/.test(ab) && (base.includes(ab) || ab.includes(base))) best = Math.max(best, base === ab ? 0.9 : 0.7);
  }
  // English: shared words with the column's English label and name, synonyms included.
  const hw = words(header);
  if (hw.size) {
    const cw = new Set([...words(c.en), ...words(c.name.replace(/_/g, ' '))].flatMap((w) => [w, ...(SYNONYMS[w] ?? [])]));
    const shared = [...hw].filter((w) => cw.has(w)).length;
    if (shared) best = Math.max(best, Math.min(0.8, 0.35 + 0.25 * shared));
  }
  return best;
}

/** How well a column's values fit a contract column's type: 0 rules it out. */
function shapeFit(c: Column, p: Profile): number {
  const s = p.main;
  if (s === 'blank') return 0.3;
  if (s === 'personal') return 0;
  if (c.values) {
    const spellings = new Set(c.values.flatMap((v) => [v.code, v.zh, ...(v.also ?? [])].map((x) => x.toLowerCase())));
    const known = p.values.filter((v) => spellings.has(v.trim().toLowerCase())).length / Math.max(1, p.values.length);
    return known >= 0.5 ? 1 + known : s === 'text' ? 0.8 : 0;
  }
  switch (c.type) {
    case 'int': case 'num': return s === 'number' ? 1 : 0;
    case 'money': return s === 'number' || s === 'dollar' ? 1 : 0;
    case 'date': return ['date', 'us_date', 'mon_date'].includes(s) ? 1 : ['datetime', 'us_datetime'].includes(s) ? 0.6 : 0;
    case 'datetime': case 'date_or_datetime': return ['datetime', 'us_datetime'].includes(s) ? 1 : ['date', 'us_date', 'mon_date'].includes(s) ? 0.7 : 0;
    case 'bool': return p.values.every((v) => /^(是|否|y|n|yes|no|true|false|0|1)$/i.test(v.trim())) ? 1 : 0;
    // Ids are often numbers.
    case 'text': return s === 'text' ? 1 : s === 'number' && c.name.endsWith('_id') ? 0.9 : 0.5;
  }
}

/** Units that foreign exports write and the contract does not: factor into the contract's unit, and its source. */
const FOREIGN_UNITS: Record<string, { factor: number; to: string; source: string }> = {
  therms: { factor: 2.8317, to: '立方米', source: '1 therm ≈ 100 ft³ of natural gas = 2.8317 m³ (US billing convention)' },
  therm: { factor: 2.8317, to: '立方米', source: '1 therm ≈ 100 ft³ of natural gas = 2.8317 m³ (US billing convention)' },
  kgal: { factor: 3.785411784, to: '立方米', source: '1 kgal = 1,000 US gallons = 3.785411784 m³ (NIST)' },
  gal: { factor: 0.003785411784, to: '立方米', source: '1 US gallon = 3.785411784 L (NIST)' },
  kbtu: { factor: 0.29307107, to: '千瓦时', source: '1 kBtu = 0.29307107 kWh (NIST)' },
  mwh: { factor: 1000, to: '千瓦时', source: '1 MWh = 1,000 kWh' },
  'sqft': { factor: 0.09290304, to: '平方米', source: '1 ft² = 0.09290304 m² (international foot)' },
  'ft²': { factor: 0.09290304, to: '平方米', source: '1 ft² = 0.09290304 m² (international foot)' },
  'sq ft': { factor: 0.09290304, to: '平方米', source: '1 ft² = 0.09290304 m² (international foot)' },
  miles: { factor: 1.609344, to: '公里', source: '1 mile = 1.609344 km (international mile)' },
  mi: { factor: 1.609344, to: '公里', source: '1 mile = 1.609344 km (international mile)' },
  gallons: { factor: 3.785411784, to: '升', source: '1 US gallon = 3.785411784 L (NIST)' },
};

/** The unit a header names in brackets, lower case ('kwh', 'therms', '万元'). */
const headerUnit = (header: string) => splitUnit(normaliseHeader(header)).unit?.replace(/\s+/g, ' ');

const CARRIER_WORDS: [string, RegExp][] = [
  ['电', /electric|电/i],
  ['天然气', /natural ?gas|天然气|燃气/i],
  ['水', /water|用水|水量/i],
  ['柴油', /diesel|柴油/i],
  ['光伏发电', /solar|pv|光伏/i],
];

export interface Draft {
  table: Table;
  /** Row of the header as a person sees it. */
  headerRow: number;
  mapping: Mapping;
  /** The YAML, with a comment on everything undecided. */
  text: string;
  /** Things a person must look at before loading, one line each. */
  flags: string[];
  /** Decisions not made (the YAML has them as comments). */
  undecided: string[];
}

/** One line of a YAML section: active, or written as a comment for a person to complete. */
interface Entry { key: string; value: unknown; comment?: string; active: boolean }

/** A scalar as YAML: plain when it is a simple word, else double-quoted (JSON's quoting is YAML's). */
const q = (v: unknown) => (typeof v === 'string' ? (/^[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff.\-]*$/.test(v) && !/^(true|false|null|yes|no|y|n|on|off)$/i.test(v) ? v : JSON.stringify(v)) : String(v));
const flow = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${q(k)}: ${flow(x)}`).join(', ')} }`;
  return q(v);
};
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Drafts a mapping from a file's first rows. */
export function draftMapping(preview: Preview, opts: { file: string; table?: string; source?: string }): Draft {
  const rows = preview.rows;
  const hr = findHeaderRow(rows);
  const headers = rows[hr].map((h) => h.trim());
  const data = rows.slice(hr + 1);
  const isRepeatedHeader = (r: string[]) => r.filter((c, i) => c.trim() && c.trim() === headers[i]).length >= Math.max(2, headers.filter(Boolean).length / 2);
  const records = data.filter((r) => !isRepeatedHeader(r));
  const profiles = headers.map((h, i) => profile(i, h, records.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '')));
  const flags: string[] = [];
  const undecided: string[] = [];
  const preamble = rows.slice(0, hr).map((r) => r.filter(Boolean).join(' ')).filter(Boolean);

  // The table: named, else the closest by headers, else the best fit of headers and values.
  let t: Table;
  if (opts.table) t = TABLES[opts.table];
  else {
    const closest = closestTable([headers]);
    const fits = CONTRACT.map((table) => ({ table, score: table.columns.reduce((sum, c) => sum + Math.max(0, ...profiles.map((p) => headerScore(c, p.header) * Math.min(1, shapeFit(c, p)))), 0) / Math.sqrt(table.columns.length) }));
    // A report with a column per carrier (electricity, gas, water) is one of readings.
    const carrierColumns = profiles.filter((p) => ['number', 'placeholder'].includes(p.main) && CARRIER_WORDS.some(([, re]) => re.test(p.header))).length;
    if (carrierColumns >= 1) fits.find((f) => f.table.name === 'energy_readings')!.score += carrierColumns;
    fits.sort((a, b) => b.score - a.score);
    t = closest && closest.matched >= 2 ? closest.table : fits[0].table;
  }

  const m: Mapping = { source: opts.source ?? slug(basename(opts.file, extname(opts.file))), table: t.name };
  const sections: Record<string, Entry[]> = {};
  const add = (section: string, key: string, value: unknown, active = true, comment?: string) => (sections[section] ??= []).push({ key, value, active, comment });

  // Contract columns each header already names (an alias) need no mapping.
  const native = mapHeaders(t, headers);
  const assigned = new Map<string, Profile>();
  const used = new Set<number>();
  for (const mc of native.columns) {
    assigned.set(mc.column.name, profiles[mc.index]);
    used.add(mc.index);
  }
  // Energy readings: each quantity column naming a carrier becomes one record per row.
  const unpivotPlaceholders: string[] = [];
  if (t.name === 'energy_readings' && !assigned.has('quantity')) {
    const variants: Record<string, unknown>[] = [];
    for (const p of profiles) {
      if (used.has(p.index) || !['number', 'placeholder'].includes(p.main === 'blank' ? 'placeholder' : p.main)) continue;
      const carrier = CARRIER_WORDS.find(([, re]) => re.test(p.header))?.[0];
      if (!carrier) continue;
      const unit = headerUnit(p.header);
      const foreign = unit ? FOREIGN_UNITS[unit] : undefined;
      const v: Record<string, unknown> = { constants: { carrier, ...(unit && !foreign ? { quantity_unit: unit } : foreign ? { quantity_unit: foreign.to } : {}) }, columns: { [p.header]: 'quantity' } };
      if (foreign) v.convert = { quantity: { factor: foreign.factor, from: unit, source: foreign.source } };
      variants.push(v);
      used.add(p.index);
      assigned.set('quantity', p);
      assigned.set('carrier', p);
    }
    if (variants.length) {
      add('unpivot', '', variants, true, `one reading per carrier column: ${variants.map((v) => (v.constants as Record<string, string>).carrier).join(', ')}`);
      const placeholders = [...new Set(profiles.filter((p) => variants.some((v) => p.header in (v.columns as Record<string, string>))).flatMap((p) => p.placeholders))];
      if (placeholders.length) {
        unpivotPlaceholders.push(...placeholders);
        flags.push(`placeholder readings (${placeholders.join(', ')}) are skipped as not reported`);
      }
    }
  }

  // Every other pair of contract column and source column, best first.
  const pairs: { c: Column; p: Profile; score: number }[] = [];
  for (const c of t.columns) {
    if (assigned.has(c.name)) continue;
    for (const p of profiles) {
      if (used.has(p.index) || !p.header) continue;
      const fit = shapeFit(c, p);
      const score = Math.max(headerScore(c, p.header), c.values && fit > 1 ? 0.6 : 0) * Math.min(1, fit) + (c.required ? 0.05 : 0);
      if (score > 0.3) pairs.push({ c, p, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const { c, p, score } of pairs) {
    if (assigned.has(c.name) || used.has(p.index)) continue;
    const rivals = pairs.filter((x) => x.p === p && x.c !== c && !assigned.has(x.c.name) && x.score >= score - 0.1).map((x) => x.c.name);
    if (score >= 0.45) {
      assigned.set(c.name, p);
      used.add(p.index);
      add('columns', p.header, c.name, true, rivals.length ? `also fits ${rivals.join(', ')}` : undefined);
    }
  }

  // A date and a time in two columns become one datetime.
  const timeCols = profiles.filter((p) => p.main === 'time' && !used.has(p.index));
  let pair: [Profile, Profile] | undefined;
  for (const c of t.columns.filter((x) => x.type === 'datetime' && x.required)) {
    const p = assigned.get(c.name);
    const dateCol = p && ['date', 'us_date', 'mon_date'].includes(p.main) ? p : pair?.[0] ?? profiles.find((x) => !used.has(x.index) && ['date', 'us_date'].includes(x.main));
    if (dateCol && (timeCols.length || pair) && !(sections.combine ?? []).some((e) => e.key === c.name)) {
      const time = pair?.[1] ?? timeCols[0];
      pair = [dateCol, time];
      const first = !(sections.combine ?? []).length;
      add('combine', c.name, [dateCol.header, time.header], first, first ? `date and time from two columns` : `the same instant as ${sections.combine![0].key}? (a refuelling has no return)`);
      if (!first) undecided.push(`${c.name}: no column of its own; the draft suggests the same date and time as ${sections.combine![0].key}`);
      if (assigned.get(c.name) === dateCol) sections.columns = (sections.columns ?? []).filter((e) => e.key !== dateCol.header);
      assigned.set(c.name, dateCol);
      used.add(dateCol.index);
      used.add(time.index);
      if (dateCol.main === 'us_date') add('date_formats', c.name, '%m/%d/%Y %H:%M', first);
    }
  }

  // Per assigned column: formats, conversions, placeholders, mojibake.
  const skip: Record<string, unknown>[] = unpivotPlaceholders.length ? [{ column: 'quantity', match: `^(${unpivotPlaceholders.map(escapeRe).join('|')})$`, reason: 'quantity not reported' }] : [];
  for (const [name, p] of assigned) {
    const c = t.columns.find((x) => x.name === name)!;
    if (sections.combine?.some((e) => e.key === name) || (sections.unpivot && (name === 'quantity' || name === 'carrier'))) continue;
    if (c.type === 'date' || c.type === 'datetime' || c.type === 'date_or_datetime') {
      if (p.main === 'us_date') add('date_formats', name, '%m/%d/%Y');
      if (p.main === 'us_datetime') add('date_formats', name, '%m/%d/%Y %H:%M');
      if (p.main === 'mon_date') add('date_formats', name, '%d-%b-%y');
    }
    if (c.type === 'money' && p.main === 'dollar') {
      add('replace', name, [{ pattern: '[$,]|USD|US', with: '' }], true, 'the amounts carry a dollar sign');
      add('convert', name, { factor: '???', from: '??? (USD, CAD, …)', source: '??? (the exchange rate and its date, e.g. the PBOC central parity)' }, false, 'dollars: yuan = dollars × the rate of the day you choose');
      undecided.push(`${name}: amounts in dollars; write the currency, the exchange rate and its source under convert`);
      flags.push(`${p.header}: amounts in dollars ($), not yuan`);
    }
    const unit = headerUnit(p.header);
    const foreign = unit ? FOREIGN_UNITS[unit] : undefined;
    if (foreign && c.measure) add('convert', name, { factor: foreign.factor, from: unit, source: foreign.source });
    if (c.wanYuanBelow && p.main === 'number' && (!unit || unitFactor('money', unit) === 1) && p.median !== undefined && p.median < c.wanYuanBelow && p.values.length >= 3) {
      add('convert', name, { factor: 10000, from: '万元', source: `the amounts under "${p.header}" run ${Math.min(...p.values.map(Number).filter(Number.isFinite))}–${Math.max(...p.values.map(Number).filter(Number.isFinite))}: 万元, as the portal publishes them` }, true, 'CHECK: the magnitudes fit 万元, not yuan');
      flags.push(`${p.header}: amounts ${p.median} (median) read as yuan would be implausibly small: converted as 万元 (× 10,000); check`);
    }
    if (p.placeholders.length) {
      const pattern = `^(${p.placeholders.map(escapeRe).join('|')})$`;
      if (c.required) {
        skip.push({ column: name, match: pattern, reason: `${name} not reported` });
        flags.push(`${p.header}: placeholder cells (${p.placeholders.join(', ')}) are skipped as not reported`);
      } else {
        add('replace', name, [{ pattern, with: '' }], true, `placeholder cells (${p.placeholders.join(', ')}) become empty`);
      }
    }
    if (p.mojibake.length) {
      const fixes = p.mojibake.map((seq) => ({ pattern: escapeRe(seq), with: repairMojibake(seq) })).filter((f) => f.with && !f.with.includes('\uFFFD'));
      if (fixes.length) add('replace', name, fixes, true, 'mojibake: UTF-8 text that was read as Windows-1252 upstream');
      flags.push(`${p.header}: mojibake (${p.mojibake.slice(0, 3).join(' ')}): repaired by replace rules; better, ask for the export again in UTF-8`);
    }
    if (c.values && p.main !== 'blank') {
      const spellings = new Set(c.values.flatMap((v) => [v.code, v.zh, ...(v.also ?? [])].map((x) => x.toLowerCase())));
      const unknown = [...new Set(p.values.filter((v) => !spellings.has(v.trim().toLowerCase())))].slice(0, 8);
      if (unknown.length) {
        add('values', name, unknown.map((u) => ({ match: `^${escapeRe(u)}$`, value: '???' })), false, `values the contract does not know; give each one of ${c.values.map((v) => v.zh).join(', ')}`);
        undecided.push(`${name}: ${unknown.length} value(s) of "${p.header}" are not ${c.values.map((v) => v.zh).join('/')} (${unknown.slice(0, 3).join(', ')}…)`);
      }
    }
  }
  // Sub-header rows (a repeated header, a section title) in a row-number column.
  const rowNumberCol = profiles.find((p) => /^(序号|no\.?|#|行号)$/i.test(normaliseHeader(p.header)) || counts(p));
  const oddRows = rowNumberCol ? records.filter((r) => /^\D/.test((r[rowNumberCol.index] ?? '').trim())).length + data.filter(isRepeatedHeader).length : data.filter(isRepeatedHeader).length;
  if (oddRows && rowNumberCol) {
    skip.push({ header: rowNumberCol.header, match: '^\\D', reason: 'a sub-header or repeated header row, not a record' });
    flags.push(`${oddRows} sub-header or repeated header row(s) among the data: skipped`);
  }
  if (skip.length) add('skip', '', skip);
  const seen = new Set<string>();
  const distinct = records.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const identical = records.length - distinct.length;
  if (identical) {
    add('drop_identical_rows', '', true, true, `${identical} row(s) in the first ${records.length} repeat an earlier row in every cell`);
    flags.push(`${identical} row(s) identical to an earlier one: dropped and counted`);
  }

  // Required columns still without a source: a composite key, a constant, or a person's choice.
  const rowNo = rowNumberCol && !used.has(rowNumberCol.index) ? rowNumberCol : undefined;
  for (const c of t.columns.filter((x) => x.required && !assigned.has(x.name) && !(x.name === 'carrier' && sections.unpivot))) {
    if (t.key.includes(c.name) && rowNo) {
      const numbers = distinct.map((r) => (r[rowNo.index] ?? '').trim()).filter((v) => /^\d+$/.test(v));
      if (new Set(numbers).size === numbers.length) {
        add('combine', c.name, { from: ['{file}', rowNo.header], separator: '-' }, true, `no id column: the file's name and ${rowNo.header} make the key`);
      } else {
        // The counter starts again (per card, per account): the column it counts within completes the key.
        const within = profiles.find((p) => p !== rowNo && p.main !== 'personal' && p.header && new Set(distinct.map((r) => `${r[p.index]}\u0000${r[rowNo.index]}`)).size === distinct.length && new Set(distinct.map((r) => r[p.index])).size < distinct.length);
        if (within) add('combine', c.name, { from: [within.header, rowNo.header], separator: '-' }, true, `no id column: ${rowNo.header} counts within ${within.header}; together they make the key`);
        else {
          add('constants', c.name, '???', false, `required key: no id column, and ${rowNo.header} repeats`);
          undecided.push(`${c.name}: no id column`);
          continue;
        }
      }
      for (const h of (sections.combine!.at(-1)!.value as { from: string[] }).from) used.add(headers.indexOf(h));
      continue;
    }
    if (c.name === 'unit') {
      add('constants', 'unit', '???', false, 'no column names the unit: give its code from data/reference/units.csv (HZ, SC, XH, …)');
      undecided.push('unit: no column names it; set constants.unit');
      continue;
    }
    const period = preamble.join(' ').match(/(\d{4})\s*年\s*(\d{1,2})\s*月|(\d{4})\s*年度?|(?:year|period)\D{0,12}(\d{4})/i);
    if ((c.type === 'date' || c.type === 'date_or_datetime') && period) {
      const year = period[1] ?? period[3] ?? period[4];
      const month = period[2] ? String(period[2]).padStart(2, '0') : '01';
      add('constants', c.name, `${year}-${month}-01`, true, `from the preamble: "${preamble.find((l) => l.includes(year))?.slice(0, 60)}"`);
      if (t.name === 'energy_readings' && !period[2]) add('constants', 'period_end', `${year}-12-31`, true, 'a year-long report');
      continue;
    }
    add('constants', c.name, '???', false, `required: no column found for ${c.zh} (${c.en}); map a column under columns, or give one value for every row`);
    undecided.push(`${c.name}: no column found (${c.zh}, ${c.en})`);
  }

  // Columns left aside, and the personal details among them.
  for (const p of profiles) {
    if (used.has(p.index) || !p.header) continue;
    if (p.main === 'personal') flags.push(`${p.header}: personal details (e-mail or phone): left aside, never published`);
  }
  for (const [name, p] of assigned) {
    if (p.personalInText) flags.push(`${p.header} → ${name}: ${p.personalInText} cells carry personal details in free text; the site masks them and never shows ${name}`);
  }

  const text = renderYaml(m, t, headers, hr, preview, sections, profiles, used, opts.file, flags);
  return { table: t, headerRow: preview.rowNumbers[hr], mapping: YAML.parse(text) as Mapping, text, flags, undecided };
}

/** Whether a column counts rows: small whole numbers, each one more than the last or starting again at 1. */
function counts(p: Profile): boolean {
  const n = p.values.filter((v) => /^\d{1,5}$/.test(v)).map(Number);
  if (n.length < 3 || n.length < p.values.length * 0.6) return false;
  return n.filter((v, i) => (i === 0 ? v <= 1 : v === n[i - 1] + 1 || v === 1)).length >= n.length * 0.8;
}

/** UTF-8 text that was decoded as Windows-1252, decoded again as it was written. */
export function repairMojibake(s: string): string {
  const bytes: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const byte = code <= 0xff ? code : CP1252_BYTES.get(ch);
    if (byte === undefined) return s;
    bytes.push(byte);
  }
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('\uFFFD') ? s : text;
}

const slug = (s: string) => s.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'source';

function renderYaml(m: Mapping, t: Table, headers: string[], hr: number, preview: Preview, sections: Record<string, Entry[]>, profiles: Profile[], used: Set<number>, file: string, flags: string[]): string {
  const out: string[] = [];
  out.push(`# Drafted by \`steward map ${basename(file)}\`. Lines starting with "#" are decisions left to you:`);
  out.push('# complete them (replace ???) and remove the "#", then `steward check FILE --mapping THIS` shows what loads.');
  out.push('# The language: docs/mappings.md.');
  for (const f of flags) out.push(`# FLAG ${f}`);
  out.push(`source: ${q(m.source)}`);
  out.push(`table: ${t.name}                # ${t.zh}`);
  if (hr > 0) out.push(`header_row: ${preview.rowNumbers[hr]}                # rows above it are a preamble`);
  const order = ['columns', 'combine', 'constants', 'replace', 'values', 'date_formats', 'convert', 'skip', 'drop_identical_rows', 'unpivot'];
  for (const name of order) {
    const entries = sections[name];
    if (!entries?.length) continue;
    if (name === 'skip' || name === 'unpivot') {
      const e = entries[0];
      if (e.comment) out.push(`# ${e.comment}`);
      out.push(`${name}:`);
      for (const item of e.value as unknown[]) out.push(`  - ${flow(item)}`);
      continue;
    }
    if (name === 'drop_identical_rows') {
      out.push(`drop_identical_rows: true        # ${entries[0].comment}`);
      continue;
    }
    const anyActive = entries.some((e) => e.active);
    out.push(`${anyActive ? '' : '# '}${name}:`);
    // One entry per key: a later conversion for the same column (万元 after a unit) wins.
    const byKey = new Map<string, Entry>();
    for (const e of entries) {
      const prev = byKey.get(e.key);
      if (prev && Array.isArray(prev.value) && Array.isArray(e.value)) byKey.set(e.key, { ...e, value: [...prev.value, ...e.value], comment: [prev.comment, e.comment].filter(Boolean).join('; ') });
      else byKey.set(e.key, e);
    }
    for (const e of byKey.values()) {
      const line = `  ${q(e.key)}: ${flow(e.value)}`;
      out.push(`${e.active ? '' : '# '}${line}${e.comment ? `        # ${e.comment}` : ''}`);
    }
  }
  const aside = profiles.filter((p) => !used.has(p.index) && p.header && !sections.columns?.some((e) => e.key === p.header));
  const native = mapHeaders(t, headers).columns;
  if (native.length) out.push(`# Found by their headers (no mapping needed): ${native.map((mc) => `${mc.header} → ${mc.column.name}`).join(', ')}`);
  const nativeIdx = new Set(native.map((mc) => mc.index));
  const left = aside.filter((p) => !nativeIdx.has(p.index));
  if (left.length) out.push(`# Not mapped (kept aside as extra columns): ${left.map((p) => p.header).join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** `steward map FILE [--table T] [--out PATH] [--force]` */
export async function mapCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { table: { type: 'string' }, out: { type: 'string' }, source: { type: 'string' }, force: { type: 'boolean' }, db: { type: 'string' } } });
  } catch (e) {
    console.error(`steward map: ${(e as Error).message}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    console.error('usage: steward map FILE [--table TABLE] [--out data/mappings/NAME.yaml] [--source NAME] [--force]');
    return 2;
  }
  if (values.table && !TABLES[values.table]) {
    console.error(`steward map: --table ${values.table} is not a table of the contract (${CONTRACT.map((x) => x.name).join(', ')})`);
    return 2;
  }
  const file = positionals[0];
  const preview = await previewFile(file);
  if (!preview.rows.length) {
    console.error(`steward map: ${file} is empty`);
    return 1;
  }
  const draft = draftMapping(preview, { file, table: values.table, source: values.source });
  const out = values.out ?? join('data/mappings', `${draft.mapping.source}.yaml`);
  if (existsSync(out) && !values.force) {
    console.error(`steward map: ${out} exists; name another with --out, or --force to replace it`);
    return 2;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, draft.text);
  console.log(`${file}: header in row ${draft.headerRow}; table ${draft.table.name} (${draft.table.zh})`);
  for (const f of draft.flags) console.log(`  flag: ${f}`);
  for (const u of draft.undecided) console.log(`  to decide: ${u}`);
  console.log(`mapping drafted: ${out}`);
  const { previewLoad } = await import('./cli.ts');
  await previewLoad(file, out, values.db);
  return 0;
}

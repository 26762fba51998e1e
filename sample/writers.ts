/**
 * Writing one export file in its unit's format: CSV (UTF-8 with or without BOM, GBK; comma or
 * tab; optional title line), XLSX (first sheet, optional merged title row), JSON array or NDJSON.
 * Returns the bytes and the row number a person sees for the first data row (the manifest's
 * row numbers are counted from it).
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Column, Table } from '../contract/contract.ts';
import type { ExportStyle, UnitProfile } from './profiles.ts';
import { headerFor, renderValue, type Cell, type Row } from './render.ts';
import { fixZipTimestamps } from './zip-dates.ts';

export interface FileSpec {
  table: Table;
  profile: UnitProfile;
  style: ExportStyle;
  /** Contract columns written, in order. */
  columns: Column[];
  /** Extra (non-contract) headers written after the contract columns. */
  extras: string[];
  title?: string;
  rows: Row[];
}

export interface Written {
  bytes: Buffer;
  /** Row number of the first data row: CSV line, Excel row, JSON index or NDJSON line (1-based). */
  firstRow: number;
}

/** Workbook metadata fixed so the archive does not depend on when it was written. */
const FIXED_TIME = new Date(Date.UTC(2025, 0, 6, 9, 0, 0));

function cells(spec: FileSpec, row: Row): Cell[] {
  const out: Cell[] = spec.columns.map((c) => {
    const raw = row.raw?.[c.name];
    if (raw !== undefined) return raw === '' ? null : raw;
    return renderValue(c, row.values[c.name], spec.profile, spec.style, spec.profile.name);
  });
  for (const h of spec.extras) out.push(row.extra?.[h] ?? null);
  return out;
}

function csvCell(v: Cell, delim: string): string {
  if (v === null) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  if (s.includes(delim) || s.includes('"') || /[\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

function headers(spec: FileSpec): string[] {
  return [...spec.columns.map((c) => headerFor(spec.table, c, spec.profile)), ...spec.extras];
}

function writeCsv(spec: FileSpec): Written {
  const delim = spec.style.delimiter ?? ',';
  const lines: string[] = [];
  if (spec.title) lines.push(spec.title);
  lines.push(headers(spec).map((h) => csvCell(h, delim)).join(delim));
  for (const row of spec.rows) lines.push(cells(spec, row).map((c) => csvCell(c, delim)).join(delim));
  const text = lines.join('\r\n') + '\r\n';
  const enc = spec.style.encoding ?? 'utf8';
  const bytes = enc === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from((enc === 'utf8-bom' ? '\uFEFF' : '') + text, 'utf8');
  return { bytes, firstRow: spec.title ? 3 : 2 };
}

function writeJson(spec: FileSpec, ndjson: boolean): Written {
  const hs = headers(spec);
  const objects = spec.rows.map((row) => {
    const o: Record<string, unknown> = {};
    cells(spec, row).forEach((c, i) => {
      if (c !== null) o[hs[i]] = c instanceof Date ? c.toISOString() : c;
    });
    return JSON.stringify(o);
  });
  const text = ndjson ? objects.join('\n') + '\n' : `[\n${objects.join(',\n')}\n]\n`;
  return { bytes: Buffer.from(text, 'utf8'), firstRow: 1 };
}

async function writeXlsx(spec: FileSpec): Promise<Written> {
  const wb = new ExcelJS.Workbook();
  wb.creator = spec.profile.titleName;
  wb.lastModifiedBy = spec.profile.titleName;
  wb.created = FIXED_TIME;
  wb.modified = FIXED_TIME;
  const ws = wb.addWorksheet('Sheet1');
  const hs = headers(spec);
  if (spec.title) {
    ws.addRow([spec.title]);
    ws.mergeCells(1, 1, 1, hs.length);
  }
  ws.addRow(hs);
  const dateCols = new Set<number>();
  for (const row of spec.rows) {
    const cs = cells(spec, row);
    cs.forEach((c, i) => c instanceof Date && dateCols.add(i));
    ws.addRow(cs);
  }
  // Date cells display as dates (with time where the column holds times), as the source system shows them.
  for (const i of dateCols) {
    const c = spec.columns[i];
    ws.getColumn(i + 1).numFmt = c && c.type !== 'date' ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { bytes: fixZipTimestamps(buf), firstRow: spec.title ? 3 : 2 };
}

export async function writeSpec(spec: FileSpec): Promise<Written> {
  switch (spec.style.format) {
    case 'csv': return writeCsv(spec);
    case 'json': return writeJson(spec, false);
    case 'ndjson': return writeJson(spec, true);
    case 'xlsx': return writeXlsx(spec);
  }
}

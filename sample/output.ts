/**
 * Where generated files go: faults are planted, the file is rendered in its unit's format and
 * written under `<out>/<table>/`, and the manifest records its row count and every planted
 * fault's row. Files are written one at a time and their rows dropped, so memory stays flat
 * however large `--scale` makes the sample.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { table as contractTable } from '../contract/contract.ts';
import { moveInto, plantFaults, type FaultRule } from './faults.ts';
import { PROFILE, TABLE_TITLES, type TableName } from './profiles.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';
import { writeSpec } from './writers.ts';

export interface ExportFile {
  table: TableName;
  unit: string;
  /** `YYYY-MM` or `YYYY` for fact tables; none for dimension tables. */
  period?: string;
  rows: Row[];
  /** Extra (non-contract) headers, written after the contract columns. */
  extras?: string[];
  /** Faults already planted by the generator: row index → fault. */
  planted?: { index: number; column: string; rule: FaultRule }[];
  /** Plant no further faults (the re-export pair is kept clean). */
  noFaults?: boolean;
  /** Appended to the file name before the extension (a corrected re-export). */
  suffix?: string;
}

export interface ManifestFile {
  file: string;
  table: TableName;
  unit_code: string;
  format: string;
  encoding?: string;
  delimiter?: string;
  title_row: boolean;
  rows: number;
  faults: number;
}

export interface ManifestFault {
  file: string;
  row: number;
  column: string;
  rule: FaultRule;
}

const EXT = { csv: 'csv', xlsx: 'xlsx', json: 'json', ndjson: 'ndjson' } as const;

const monthTitle = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

function periodTitle(period?: string): string {
  if (!period) return '';
  if (period.includes('~')) return `（${monthTitle(period.slice(0, 7))}—${monthTitle(period.slice(8))}）`;
  return period.length === 4 ? `（${period}年）` : `（${period.slice(0, 4)}年${Number(period.slice(5, 7))}月）`;
}

export class Output {
  files: ManifestFile[] = [];
  faults: ManifestFault[] = [];
  private carry = new Map<string, Row>();
  private freshCounter = 0;

  constructor(private outDir: string, private seed: number, private faultRate: number) {}

  /** Path of a file relative to the output folder. */
  pathOf(f: Pick<ExportFile, 'table' | 'unit' | 'period' | 'suffix'>): string {
    const p = PROFILE[f.unit];
    const style = p.styles[f.table];
    const period = f.period?.replace('~', '至');
    const name = `${p.filePrefix}-${TABLE_TITLES[f.table]}${period ? '-' + period : ''}${f.suffix ?? ''}.${EXT[style.format]}`;
    return `${f.table}/${name}`;
  }

  /** A new id that no generated row uses: the last number of the id, one digit longer and starting with 9. */
  private freshId = (id: string): string => {
    this.freshCounter++;
    const m = /(\d+)(\D*)$/.exec(id);
    if (!m) return `${id}-9${this.freshCounter}`;
    const width = m[1].length + 1;
    const n = `9${String(this.freshCounter % 10 ** (width - 1)).padStart(width - 1, '0')}`;
    return id.slice(0, m.index) + n + m[2];
  };

  async write(f: ExportFile): Promise<string> {
    const profile = PROFILE[f.unit];
    const style = profile.styles[f.table];
    const t = contractTable(f.table);
    const rel = this.pathOf(f);
    const rng = Rng.derive(this.seed, `faults/${rel}`);
    const carryKey = `${f.table}/${f.unit}`;
    const carried = this.carry.get(carryKey);
    let rows = f.rows;
    let planted = [...(f.planted ?? [])];
    // Dimension tables carry the faults their generator planted; fact tables get theirs here.
    if (!f.noFaults && !planted.length && rows.length) {
      const p = plantFaults({
        table: f.table, unit: f.unit, profile, rows, rate: this.faultRate, rng, freshId: this.freshId,
        carried: carried && f.period && !f.period.includes('~') ? moveInto(f.table, carried, f.period) : undefined,
      });
      rows = p.rows;
      planted = p.faults;
      if (f.period && f.rows.length && f.table !== 'energy_readings') this.carry.set(carryKey, f.rows[rng.int(0, f.rows.length - 1)]);
    }
    const present = new Set<string>();
    for (const r of rows) {
      for (const [k, v] of Object.entries(r.values)) if (v !== undefined) present.add(k);
      for (const k of Object.keys(r.raw ?? {})) present.add(k);
    }
    present.add('unit');
    const columns = t.columns.filter((c) => present.has(c.name));
    const title = style.title ? `${profile.titleName}${TABLE_TITLES[f.table]}${periodTitle(f.period)}` : undefined;
    const written = await writeSpec({ table: t, profile, style, columns, extras: f.extras ?? [], title, rows });
    const abs = join(this.outDir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, written.bytes);
    this.files.push({
      file: rel, table: f.table, unit_code: f.unit, format: style.format, encoding: style.format === 'csv' ? style.encoding ?? 'utf8' : undefined,
      delimiter: style.format === 'csv' ? (style.delimiter === '\t' ? 'tab' : 'comma') : undefined, title_row: !!title, rows: rows.length, faults: planted.length,
    });
    for (const x of planted.sort((a, b) => a.index - b.index)) this.faults.push({ file: rel, row: written.firstRow + x.index, column: x.column, rule: x.rule });
    return rel;
  }
}

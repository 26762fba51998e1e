/**
 * Builds data/reference/holidays.csv from the State Council calendars as published by the
 * holiday-cn project (one JSON file per year, each citing its notice). Dates are never retyped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface HolidayFile {
  year: number;
  papers: string[];
  days: { name: string; date: string; isOffDay: boolean }[];
}

export interface HolidayRow {
  date: string;
  name: string;
  /** true: a public holiday (day off); false: an official make-up workday (调休). */
  is_off_day: boolean;
  year: number;
  source: string;
}

export function readHolidayCalendars(dir: string): HolidayRow[] {
  const rows: HolidayRow[] = [];
  for (const f of readdirSync(dir).filter((n) => /^\d{4}\.json$/.test(n)).sort()) {
    const cal = JSON.parse(readFileSync(join(dir, f), 'utf8')) as HolidayFile;
    for (const d of cal.days) {
      rows.push({ date: d.date, name: d.name, is_off_day: d.isOffDay, year: cal.year, source: cal.papers.join(' ') });
    }
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

export function holidaysCsv(rows: HolidayRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['date,name,is_off_day,year,source'];
  for (const r of rows) lines.push([r.date, q(r.name), String(r.is_off_day), String(r.year), q(r.source)].join(','));
  return lines.join('\n') + '\n';
}

export const HOLIDAY_SOURCE_DIR = '../shared/reference/holiday-cn';
export const HOLIDAYS_CSV = 'data/reference/holidays.csv';

/** steward holidays [--from DIR]: rebuilds data/reference/holidays.csv from the published calendars. */
export async function holidaysCommand(args: string[]): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { writeFileSync } = await import('node:fs');
  const { values } = parseArgs({ args, options: { from: { type: 'string', default: HOLIDAY_SOURCE_DIR }, out: { type: 'string', default: HOLIDAYS_CSV } } });
  const rows = readHolidayCalendars(values.from);
  writeFileSync(values.out, holidaysCsv(rows), 'utf8');
  console.log(`wrote ${values.out}: ${rows.length} days from ${values.from} (${rows[0]?.year}–${rows[rows.length - 1]?.year})`);
  return 0;
}

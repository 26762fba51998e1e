/**
 * Calendar arithmetic on plain `YYYY-MM-DD` strings (no time zones anywhere: every date and time
 * in the sample is a wall-clock value in Asia/Shanghai), and the working-day calendar built from
 * the shipped holidays table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const pad2 = (n: number) => String(n).padStart(2, '0');

export function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Parts of `YYYY-MM-DD[ HH:MM[:SS]]`. */
export function parts(s: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  return {
    y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)), d: Number(s.slice(8, 10)),
    h: s.length > 10 ? Number(s.slice(11, 13)) : 0, mi: s.length > 10 ? Number(s.slice(14, 16)) : 0, s: s.length > 16 ? Number(s.slice(17, 19)) : 0,
  };
}

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a date (computed in UTC, which has no DST: pure calendar arithmetic). */
export const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
export function fromDayNumber(n: number): string {
  const d = new Date(n * DAY_MS);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
export const addDays = (date: string, n: number) => fromDayNumber(dayNumber(date) + n);
/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: string) => (dayNumber(date) + 4) % 7;

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM` months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
  while (y * 12 + m <= end) {
    out.push(`${y}-${pad2(m)}`);
    m++;
    if (m > 12) (m = 1), y++;
  }
  return out;
}

export function daysOfMonth(month: string): string[] {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return Array.from({ length: daysInMonth(y, m) }, (_, i) => ymd(y, m, i + 1));
}

/** A wall-clock datetime `YYYY-MM-DD HH:MM` from a date and minutes after midnight (may run past midnight). */
export function datetimeAt(date: string, minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const rest = minutes - days * 1440;
  return `${addDays(date, days)} ${pad2(Math.floor(rest / 60))}:${pad2(rest % 60)}`;
}

/** Working days: Monday–Friday minus public holidays, plus official make-up workdays (调休). */
export class WorkCalendar {
  private off = new Set<string>();
  private makeUp = new Set<string>();

  constructor(referenceDir = 'data/reference') {
    const lines = readFileSync(join(referenceDir, 'holidays.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    for (const line of lines) {
      const [date, , isOff] = line.split(',');
      (isOff === 'true' ? this.off : this.makeUp).add(date);
    }
  }

  isWorkingDay(date: string): boolean {
    if (this.makeUp.has(date)) return true;
    if (this.off.has(date)) return false;
    const w = weekday(date);
    return w !== 0 && w !== 6;
  }
}

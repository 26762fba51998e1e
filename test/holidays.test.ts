import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOLIDAYS_CSV, HOLIDAY_SOURCE_DIR, holidaysCsv, readHolidayCalendars } from '../loaders/holidays.ts';

describe('holidays reference table', () => {
  it.skipIf(!existsSync(HOLIDAY_SOURCE_DIR))('is exactly what the published calendars give (run `steward holidays` after a new year is published)', () => {
    expect(readFileSync(HOLIDAYS_CSV, 'utf8')).toBe(holidaysCsv(readHolidayCalendars(HOLIDAY_SOURCE_DIR)));
  });

  it('knows the 2024 Spring Festival break and its make-up workdays', () => {
    const csv = readFileSync(HOLIDAYS_CSV, 'utf8');
    // State Council notice for 2024: 10–17 February off; Sunday 4 and Saturday 18 February worked.
    for (const d of ['2024-02-10', '2024-02-17']) expect(csv).toMatch(new RegExp(`^${d},春节,true,2024,`, 'm'));
    for (const d of ['2024-02-04', '2024-02-18']) expect(csv).toMatch(new RegExp(`^${d},春节,false,2024,`, 'm'));
  });
});

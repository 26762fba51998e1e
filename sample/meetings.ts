/**
 * Meetings for zero-carbon accounting: a few hundred, some without a venue meter reading (the
 * model estimates it), a quarter offset to zero or below with purchased credits.
 */
import { daysOfMonth } from './calendar.ts';
import { Batcher, PLACE, UNIT_CODES, round1, type Ctx } from './common.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';

const TOPICS = ['机关节能工作会议', '公物仓管理工作推进会', '公务用车管理培训会', '政府采购业务培训', '年度工作总结会', '安全生产工作会议',
  '数字化改革推进会', '零碳会议试点现场会', '机关事务工作座谈会', '后勤服务保障会议'];
/** Grid factors (kgCO₂/kWh) by year, as METRICS.md; later years use the latest. */
const GRID: Record<number, number> = { 2021: 0.5568, 2022: 0.5366, 2023: 0.5306 };

export async function generateMeetings(ctx: Ctx, buildingIds: (unit: string) => string[]): Promise<string[]> {
  const files: string[] = [];
  for (const unit of UNIT_CODES) {
    const rng = Rng.derive(ctx.seed, `meetings/${unit}`);
    const batch = new Batcher(ctx, 'meetings', unit);
    const venues = buildingIds(unit);
    let seq = 0;
    for (const month of ctx.months) {
      if (month.endsWith('-01')) seq = 0;
      const rows: Row[] = [];
      // Every unit holds its year-end review (年度工作总结会) in December.
      const n = Math.max(month.endsWith('-12') ? 1 : 0, rng.count(unit === 'HZ' ? 1.1 : 0.55));
      for (let i = 0; i < n; i++) {
        const y = Number(month.slice(0, 4));
        const day = rng.pick(daysOfMonth(month).filter((d) => ctx.cal.isWorkingDay(d)));
        const attendees = rng.int(20, unit === 'HZ' ? 320 : 180);
        const hours = rng.pick([1.5, 2, 2.5, 3, 4, 6, 8]);
        const kwh = rng.chance(0.25) ? null : round1(attendees * hours * rng.range(0.08, 0.14));
        const car = Math.round(attendees * rng.range(3, 12));
        const transit = Math.round(attendees * rng.range(5, 20));
        const rail = rng.chance(0.2) ? Math.round(attendees * rng.range(20, 150)) : 0;
        const air = rng.chance(0.04) ? Math.round(attendees * rng.range(300, 1200) * 0.2) : 0;
        const zero = rng.chance(0.25);
        const pages = zero ? rng.int(0, 50) : attendees * rng.int(3, 20);
        const meals = rng.chance(0.4) ? attendees : 0;
        const grossKg = (kwh ?? attendees * hours * 0.1) * (GRID[y] ?? GRID[2023]) + car * 0.17 + transit * 0.05 + rail * 0.04 + air * 0.15 + pages * 0.005 + meals * 2.5;
        const offset = zero ? Math.ceil((grossKg / 1000) * rng.range(1.0, 1.3) * 100 + 1) / 100 : rng.chance(0.3) ? Math.round((grossKg / 1000) * rng.range(0.2, 0.8) * 100) / 100 : null;
        rows.push({ values: {
          meeting_id: `HY-${unit}-${y}-${String(++seq).padStart(3, '0')}`, unit, name: `${unit === 'HZ' ? '全市' : PLACE[unit]}${month.endsWith('-12') && i === 0 ? '年度工作总结会' : rng.pick(TOPICS)}`, held_on: day,
          venue_building_id: rng.pick(venues), attendees, duration_h: hours, venue_kwh: kwh, travel_km_car: car, travel_km_transit: transit,
          travel_km_rail: rail, travel_km_air: air, printed_pages: pages, meals, offset_tco2e: offset,
        } });
      }
      rows.sort((a, b) => (String(a.values.held_on) < String(b.values.held_on) ? -1 : 1));
      await batch.add(month, rows);
    }
    await batch.flush();
    files.push(...batch.written);
  }
  return files;
}

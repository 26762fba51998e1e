/**
 * Office buildings and their energy and water: monthly bills (electricity and water for every
 * building, gas for those with canteens, PV generation for a few), quarterly bills from one unit,
 * and hourly smart-meter electricity for about twenty buildings in 2024, with a few gaps. A
 * metered building's 2024 electricity comes from its meter only, never twice. A unit's month of
 * readings goes out in one file (a later file for the same unit and month would replace it).
 */
import { addDays, daysInMonth, daysOfMonth, pad2, type WorkCalendar } from './calendar.ts';
import { Batcher, PLACE, UNIT_CODES, round2, type Ctx } from './common.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';

const BUILDINGS: Record<string, number> = { HZ: 40, SC: 24, GS: 22, XH: 22, BJ: 18, XS: 26, YH: 26, LP: 20, QT: 18, FY: 20, LA: 18, TL: 16, CA: 14, JD: 16 };
/** Units with smart meters, and how many of their buildings are metered (at scale 1). */
const METERED: Record<string, number> = { HZ: 12, BJ: 8 };
/** The unit billed by the quarter. */
const QUARTERLY_UNIT = 'JD';
const SEASON = [1.12, 1.02, 0.9, 0.84, 0.88, 1.04, 1.28, 1.32, 1.08, 0.88, 0.9, 1.1];
const NAMES = ['行政中心', '机关综合楼', '政务服务中心', '机关大院1号楼', '机关大院2号楼', '档案馆', '会议中心', '人大政协办公楼', '财政大楼',
  '市场监管大楼', '城管指挥中心', '应急指挥中心', '公安指挥中心', '教育局办公楼', '卫健大楼', '农业农村大楼', '住建大楼', '党校', '司法大楼', '图书馆办公楼'];

const UNIT_TEXT: Record<string, { kwh: string[]; m3: string[] }> = {
  zh: { kwh: ['千瓦时', 'kWh', '度'], m3: ['立方米', '方'] },
  en: { kwh: ['kWh'], m3: ['m3'] },
};

interface Building {
  id: string; unit: string; name: string; area: number; occupants: number; eui: number;
  gas: boolean; pvKw: number; metered: boolean;
}

export interface EnergySummary { buildings: string[]; readings: string[]; metered: string[] }

/** Hourly shape: offices draw most in working hours, little at night and at weekends. */
function hourWeight(cal: WorkCalendar, day: string, h: number): number {
  const working = cal.isWorkingDay(day);
  if (h < 7 || h >= 20) return 0.35;
  if (!working) return 0.45;
  return h >= 8 && h < 18 ? 1.6 : 0.9;
}

export async function generateEnergy(ctx: Ctx): Promise<EnergySummary> {
  const rng = Rng.derive(ctx.seed, 'energy');
  const summary: EnergySummary = { buildings: [], readings: [], metered: [] };
  for (const unit of UNIT_CODES) {
    const urng = Rng.derive(ctx.seed, `energy/${unit}`);
    const n = Math.max(2, Math.round(BUILDINGS[unit] * Math.max(ctx.scale, 0.1)));
    const metered = Math.max(METERED[unit] ? 1 : 0, Math.round((METERED[unit] ?? 0) * ctx.scale));
    const buildings: Building[] = Array.from({ length: n }, (_, i) => {
      const area = Math.round(urng.lognormal(unit === 'HZ' ? 14_000 : 9_000, 0.5) / 10) * 10;
      const base = NAMES[i % NAMES.length];
      return {
        id: `B-${unit}-${String(i + 1).padStart(3, '0')}`, unit, area,
        name: `${unit === 'HZ' ? '杭州市' : PLACE[unit]}${base}${i >= NAMES.length ? `（${Math.floor(i / NAMES.length) + 1}号）` : ''}`,
        occupants: Math.max(20, Math.round(area / urng.range(22, 38))), eui: urng.range(60, 110),
        gas: urng.chance(0.3), pvKw: urng.chance(0.06) || (i === 0 && unit === 'HZ') ? urng.int(50, 300) : 0, metered: i < metered,
      };
    });
    const rows: Row[] = buildings.map((b) => ({ values: { building_id: b.id, unit, name: b.name, floor_area_m2: b.area, occupants: b.occupants, building_type: '办公' } }));
    // An extra building row without floor area: quarantined, and no readings refer to it.
    const planted: { index: number; column: string; rule: 'missing_required' }[] = [];
    if (unit === 'XS' || unit === 'LA') {
      rows.push({ values: { building_id: `B-${unit}-800`, unit, name: `${PLACE[unit]}新建办公楼`, floor_area_m2: null, occupants: 120, building_type: '办公' } });
      planted.push({ index: rows.length - 1, column: 'floor_area_m2', rule: 'missing_required' });
    }
    summary.buildings.push(await ctx.out.write({ table: 'buildings', unit, rows, planted }));
    summary.metered.push(...buildings.filter((b) => b.metered).map((b) => b.id));

    const lang = PROFILE_LANG(unit);
    const quantityUnit = (carrier: string, q: number): { quantity: number; quantity_unit?: string } => {
      if (!hasUnitColumn(unit)) return { quantity: q };
      const opts = carrier === 'electricity' || carrier === 'pv_generation' ? UNIT_TEXT[lang].kwh : UNIT_TEXT[lang].m3;
      // Large electricity bills in 万千瓦时 now and then, as some billing systems print them.
      if (carrier === 'electricity' && lang === 'zh' && q >= 100_000 && urng.chance(0.3)) return { quantity: Math.round(q / 10) / 1_000, quantity_unit: '万千瓦时' };
      return { quantity: q, quantity_unit: urng.pick(opts) };
    };
    const batch = new Batcher(ctx, 'energy_readings', unit);
    const quarterly = unit === QUARTERLY_UNIT;
    let pending: Row[] = [];
    for (const month of ctx.months) {
      const y = Number(month.slice(0, 4));
      const m = Number(month.slice(5, 7));
      const trend = 1 - 0.015 * (y - 2021);
      const out: Row[] = [];
      for (const b of buildings) {
        const spike = urng.chance(0.004) ? urng.range(1.6, 2.2) : 1;
        const kwh = Math.round(((b.area * b.eui) / 12) * SEASON[m - 1] * trend * urng.range(0.94, 1.06) * spike);
        const water = Math.round(b.occupants * 1.75 * (m >= 6 && m <= 9 ? 1.15 : 0.95) * urng.range(0.85, 1.15));
        const gas = b.gas ? Math.round(b.occupants * 2.6 * (m <= 3 || m >= 11 ? 1.3 : 0.85) * urng.range(0.85, 1.15)) : 0;
        const pv = b.pvKw ? Math.round(b.pvKw * 95 * [0.6, 0.7, 0.9, 1.05, 1.2, 1.1, 1.35, 1.4, 1.15, 1.0, 0.8, 0.65][m - 1] * urng.range(0.85, 1.1)) : 0;
        const start = `${month}-01`;
        const end = `${month}-${pad2(daysInMonth(y, m))}`;
        const bill = (carrier: string, q: number, price: number): Row => ({ values: {
          building_id: b.id, unit, carrier, period_start: start, period_end: end, ...quantityUnit(carrier, q),
          cost_yuan: urng.chance(0.04) ? null : round2(q * price),
        } });
        if (!(b.metered && y === 2024)) out.push(bill('electricity', kwh, 0.78));
        out.push(bill('water', water, 4.6));
        if (gas) out.push(bill('natural_gas', gas, 3.45));
        if (pv) out.push({ values: { building_id: b.id, unit, carrier: 'pv_generation', period_start: start, period_end: end, ...quantityUnit('pv_generation', pv), cost_yuan: null } });
        if (b.metered && y === 2024) out.push(...hourly(ctx.cal, urng, b, month, kwh, unit));
      }
      if (quarterly) {
        pending.push(...out);
        if (m % 3 === 0 || month === ctx.to) {
          await batch.add(month, quarterBills(pending));
          pending = [];
        }
      } else await batch.add(month, out);
    }
    await batch.flush();
    summary.readings.push(...batch.written);
  }
  void rng;
  return summary;
}

/** One unit bills by the quarter: three monthly bills per building and carrier become one. */
function quarterBills(rows: Row[]): Row[] {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.values.building_id}|${r.values.carrier}`;
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(r);
  }
  return [...byKey.values()].map((rs) => {
    const first = rs[0].values;
    const cost = rs.every((r) => r.values.cost_yuan !== null) ? round2(rs.reduce((s, r) => s + Number(r.values.cost_yuan), 0)) : null;
    return { values: { ...first, period_end: rs[rs.length - 1].values.period_end, quantity: rs.reduce((s, r) => s + Number(r.values.quantity), 0), cost_yuan: cost } };
  });
}

/** Hourly readings of a metered building for one month, with an occasional gap (a meter offline). */
function hourly(cal: WorkCalendar, rng: Rng, b: Building, month: string, monthKwh: number, unit: string): Row[] {
  const days = daysOfMonth(month);
  const weights = days.flatMap((d) => Array.from({ length: 24 }, (_, h) => hourWeight(cal, d, h)));
  const total = weights.reduce((s, w) => s + w, 0);
  const gapStart = rng.chance(0.12) ? rng.int(0, weights.length - 48) : -1;
  const gapLen = rng.int(6, 40);
  const rows: Row[] = [];
  const withEnd = unit !== 'BJ';
  days.forEach((d, di) => {
    for (let h = 0; h < 24; h++) {
      const i = di * 24 + h;
      if (gapStart >= 0 && i >= gapStart && i < gapStart + gapLen) continue;
      const q = Math.round(((monthKwh * weights[i]) / total) * rng.range(0.9, 1.1) * 10) / 10;
      const next = h === 23 ? `${addDays(d, 1)} 00:00` : `${d} ${pad2(h + 1)}:00`;
      rows.push({ values: { building_id: b.id, unit, carrier: 'electricity', period_start: `${d} ${pad2(h)}:00`, period_end: withEnd ? next : null, quantity: q, quantity_unit: 'kWh', cost_yuan: null } });
    }
  });
  return rows;
}

import { PROFILE } from './profiles.ts';
const PROFILE_LANG = (unit: string) => (PROFILE[unit].headers === 'en' ? 'en' : 'zh');
const hasUnitColumn = (unit: string) => PROFILE[unit].quantityUnitColumn;

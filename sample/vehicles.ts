/**
 * Official vehicles and their trips. Fleets renew over the period (old fuel cars retired, mostly
 * electric ones bought), trips fall mostly on working days, and the city level's three platforms
 * are calibrated on the Asian Games and Para Games windows: 5,567 trips and 418,000 km departing
 * 2023-09-23..10-08 and 2023-10-22..10-28. One district sends distances by odometer only; one
 * re-exports a corrected month.
 */
import { addDays, datetimeAt, dayNumber, daysOfMonth } from './calendar.ts';
import { Batcher, PLACE, UNIT_CODES, agencies, round1, round2, type Ctx } from './common.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';

export const HZ_PLATFORMS = ['市直机关公务用车服务平台', '市执法执勤用车保障平台', '市机要应急用车平台'];
const GAMES_DAYS = [...Array.from({ length: 16 }, (_, i) => addDays('2023-09-23', i)), ...Array.from({ length: 7 }, (_, i) => addDays('2023-10-22', i))];
export const GAMES_TARGET = { trips: 5_567, km: 418_000 };

/** Trips per working day at scale 1 (weekends and holidays see about a tenth). */
const TRIP_RATE: Record<string, number> = { HZ: 48, SC: 7.5, GS: 6.5, XH: 7, BJ: 5, XS: 8.5, YH: 8, LP: 6, QT: 5, FY: 5.5, LA: 5, TL: 4, CA: 3.5, JD: 4 };
/** Vehicles per platform: sized so a platform car is out on about half the working days, as a dispatched pool is. */
const FLEET: Record<string, number> = { HZ: 52, SC: 12, GS: 11, XH: 11, BJ: 8, XS: 13, YH: 13, LP: 10, QT: 8, FY: 9, LA: 8, TL: 7, CA: 6, JD: 7 };
/** Median trip length: longer in the counties. */
const MEDIAN_KM: Record<string, number> = { HZ: 35, SC: 22, GS: 22, XH: 26, BJ: 24, XS: 38, YH: 42, LP: 32, QT: 35, FY: 48, LA: 52, TL: 58, CA: 64, JD: 60 };
/** Units whose platform export carries the drivers' names (and, for the city level, phone numbers). */
const NAME_COLUMNS: Record<string, string[]> = { HZ: ['驾驶员姓名', '联系电话'], BJ: ['驾驶员姓名'] };
/** The unit whose system records odometer readings instead of distances. */
const ODOMETER_UNIT = 'TL';
/** The corrected re-export: this unit and month of vehicle_trips is sent twice. */
export const CORRECTION = { table: 'vehicle_trips' as const, unit: 'FY', month: '2024-06' };

type Energy = 'gasoline' | 'diesel' | 'bev' | 'phev' | 'hev';
type Klass = 'sedan' | 'suv' | 'mpv' | 'minibus' | 'bus';
interface Vehicle {
  id: string; unit: string; platform: string; klass: Klass; energy: Energy; seats: number;
  acquired: string; retired?: string; odometer: number; /** tenths of a km */
}

const SEATS: Record<Klass, number[]> = { sedan: [5], suv: [5, 7], mpv: [7, 7, 9], minibus: [19, 23], bus: [35, 45] };
/** Litres (or kWh for electric) per 100 km. */
const CONSUMPTION: Record<Klass, number> = { sedan: 8.5, suv: 10.5, mpv: 11.5, minibus: 15, bus: 26 };
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '华', '建国', '志强', '海峰', '建平', '国庆', '晓东', '卫东', '立新', '永刚'];
const PURPOSES: [string, number][] = [['公务接待', 12], ['会议', 18], ['调研', 20], ['执法检查', 15], ['应急保障', 6], ['机要通信', 8], ['公文交换', 10], ['学习培训', 6], ['下乡督查', 5]];

export interface VehicleSummary {
  vehicles: string[];
  trips: string[];
  games: { trips: number; km: number };
  correction: { table: string; unit_code: string; month: string; original: string; correction: string;
    original_rows: number; original_distance_km: number; expected: { rows: number; distance_km: number } };
  personal: { driver_ids: string[]; driver_names: string[]; phone_numbers: string[] };
}

function plateFactory(rng: Rng): (ev: boolean) => string {
  const used = new Set<string>();
  const letters = 'ABCEGHJKLMNPRSTUVWXY';
  return (ev) => {
    for (;;) {
      const p = ev ? `浙A·${rng.pick(['D', 'F'])}${String(rng.int(0, 99_999)).padStart(5, '0')}` : `浙A·${letters[rng.int(0, letters.length - 1)]}${String(rng.int(0, 9_999)).padStart(4, '0')}`;
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
}

function newVehicle(rng: Rng, plate: (ev: boolean) => string, unit: string, platform: string, acquired: string, evShare: number): Vehicle {
  const klass = rng.weighted([['sedan', 60], ['suv', 15], ['mpv', 15], ['minibus', 7], ['bus', 3]] as const);
  let energy: Energy;
  if (rng.chance(evShare)) energy = klass === 'bus' ? 'bev' : rng.weighted([['bev', 85], ['phev', 15]] as const);
  else if (klass === 'bus' || klass === 'minibus') energy = rng.chance(0.8) ? 'diesel' : 'gasoline';
  else energy = rng.weighted([['gasoline', 80], ['hev', 12], ['phev', 8]] as const);
  return { id: plate(energy === 'bev'), unit, platform, klass, energy, seats: rng.pick(SEATS[klass]), acquired, odometer: rng.int(50_000, 1_500_000) };
}

/** Fleets: the initial vehicles plus renewals, about 7% a year, replacing old fuel cars with mostly electric ones. */
function fleets(ctx: Ctx, rng: Rng): Map<string, Vehicle[]> {
  const plate = plateFactory(rng);
  const out = new Map<string, Vehicle[]>();
  const firstYear = Number(ctx.from.slice(0, 4));
  const lastYear = Number(ctx.to.slice(0, 4));
  for (const unit of UNIT_CODES) {
    const platforms = unit === 'HZ' ? HZ_PLATFORMS : [`${PLACE[unit]}公务用车服务中心`];
    const list: Vehicle[] = [];
    for (let i = 0; i < FLEET[unit]; i++) {
      const acquired = addDays('2013-01-01', rng.int(0, dayNumber('2020-12-31') - dayNumber('2013-01-01')));
      list.push(newVehicle(rng, plate, unit, platforms[i % platforms.length], acquired, 0.1));
    }
    for (let y = firstYear; y <= lastYear; y++) {
      const evShare = Math.min(0.92, 0.6 + 0.1 * (y - 2021));
      const candidates = list.filter((v) => !v.retired && v.energy !== 'bev' && v.acquired < `${y - 6}-12-31`).sort((a, b) => (a.acquired < b.acquired ? -1 : 1));
      const k = Math.round(FLEET[unit] * 0.07);
      for (const v of candidates.slice(0, k)) {
        v.retired = addDays(`${y}-01-01`, rng.int(0, 340));
        const acquired = addDays(v.retired, rng.int(-20, 25));
        list.push(newVehicle(rng, plate, unit, v.platform, acquired, evShare));
      }
    }
    out.set(unit, list);
  }
  return out;
}

interface Driver { id: string; name: string; phone: string }

/** Trip lengths for the Games windows, in tenths of a km, summing exactly to the target. */
function gamesDistances(rng: Rng, n: number, tenths: number): number[] {
  const raw = Array.from({ length: n }, () => rng.lognormal(60, 0.55));
  const sum = raw.reduce((s, x) => s + x, 0);
  const d = raw.map((x) => Math.max(15, Math.min(9_000, Math.round((x * tenths) / sum))));
  let rest = tenths - d.reduce((s, x) => s + x, 0);
  let i = 0;
  while (rest !== 0) {
    const j = i++ % n;
    const step = rest > 0 ? Math.min(rest, 50) : -Math.min(-rest, 50, d[j] - 15);
    d[j] += step;
    rest -= step;
  }
  return d;
}

export async function generateVehicles(ctx: Ctx): Promise<VehicleSummary> {
  const rng = Rng.derive(ctx.seed, 'vehicles');
  const fleet = fleets(ctx, rng);
  const personal = { driver_ids: new Set<string>(), driver_names: new Set<string>(), phone_numbers: new Set<string>() };
  const summary: VehicleSummary = {
    vehicles: [], trips: [], games: { trips: 0, km: 0 },
    correction: { table: CORRECTION.table, unit_code: CORRECTION.unit, month: CORRECTION.month, original: '', correction: '', original_rows: 0, original_distance_km: 0, expected: { rows: 0, distance_km: 0 } },
    personal: { driver_ids: [], driver_names: [], phone_numbers: [] },
  };

  // Vehicles: one register per unit; one extra row of a district's register names a misspelt unit.
  for (const unit of UNIT_CODES) {
    const rows: Row[] = fleet.get(unit)!.map((v) => ({ values: {
      vehicle_id: v.id, unit, platform: v.platform, vehicle_class: v.klass, energy: v.energy, seats: v.seats, acquired_on: v.acquired, retired_on: v.retired ?? null,
    } }));
    const planted: { index: number; column: string; rule: 'unknown_unit' }[] = [];
    if (unit === 'YH' || unit === 'GS') {
      const at = Math.floor(rows.length / 2);
      rows.splice(at, 0, { values: { ...rows[at].values, vehicle_id: unit === 'YH' ? '浙A·Z0001' : '浙A·Z0002' }, raw: { unit: unit === 'YH' ? '余航区' : '拱野区' } });
      planted.push({ index: at, column: 'unit', rule: 'unknown_unit' });
    }
    summary.vehicles.push(await ctx.out.write({ table: 'vehicles', unit, rows, planted }));
  }

  const gamesN = Math.round(GAMES_TARGET.trips * ctx.scale);
  const gamesTenths = Math.round(GAMES_TARGET.km * ctx.scale * 10);
  const gamesKm = gamesN ? gamesDistances(rng, gamesN, gamesTenths) : [];
  const gamesPerDay = GAMES_DAYS.map((_, i) => Math.floor(((i + 1) * gamesN) / GAMES_DAYS.length) - Math.floor((i * gamesN) / GAMES_DAYS.length));
  let gamesUsed = 0;

  for (const unit of UNIT_CODES) {
    const urng = Rng.derive(ctx.seed, `trips/${unit}`);
    const vehicles = fleet.get(unit)!;
    const drivers: Driver[] = Array.from({ length: Math.round(FLEET[unit] * 1.1) }, (_, i) => ({
      id: `D-${unit}-${String(i + 1).padStart(3, '0')}`,
      name: urng.pick(SURNAMES) + urng.pick(GIVEN),
      phone: `1380000${String(urng.int(0, 9_999)).padStart(4, '0')}`,
    }));
    const extras = NAME_COLUMNS[unit] ?? [];
    const batch = new Batcher(ctx, 'vehicle_trips', unit, { extras });
    const ags = agencies(unit);
    for (const month of ctx.months) {
      const rows: Row[] = [];
      let seq = 0;
      const trip = (v: Vehicle, day: string, tenths: number, multiDay: boolean, purpose: string): Row => {
        const d = urng.pick(drivers);
        personal.driver_ids.add(d.id);
        const extra: Record<string, string> = {};
        if (extras.includes('驾驶员姓名')) (extra['驾驶员姓名'] = d.name), personal.driver_names.add(d.name);
        if (extras.includes('联系电话')) (extra['联系电话'] = d.phone), personal.phone_numbers.add(d.phone);
        const depart = urng.weighted([[urng.int(7 * 60, 10 * 60), 6], [urng.int(10 * 60, 17 * 60 + 30), 4]] as const);
        const back = multiDay ? urng.int(1, 3) * 1440 + urng.int(16 * 60, 20 * 60) - depart : urng.int(30, Math.max(45, Math.min(9 * 60, Math.round(tenths / 4))));
        const km = tenths / 10;
        const litres = v.energy === 'bev' ? null : round1((km * CONSUMPTION[v.klass] * (v.energy === 'hev' ? 0.6 : v.energy === 'phev' ? 0.45 : 1)) / 100);
        const kwh = v.energy === 'bev' ? round1((km * CONSUMPTION[v.klass] * 1.8) / 100) : v.energy === 'phev' ? round1((km * 9) / 100) : null;
        const cost = urng.chance(0.06) ? null : round2((litres ?? 0) * 7.9 + (kwh ?? 0) * 1.1 + (km > 60 && urng.chance(0.4) ? urng.int(10, 80) : 0));
        const values: Row['values'] = {
          trip_id: `T-${unit}-${month.replace('-', '')}-${String(++seq).padStart(6, '0')}`, unit, vehicle_id: v.id, driver_id: d.id, agency: urng.pick(ags),
          depart_at: datetimeAt(day, depart), return_at: datetimeAt(day, depart + back), fuel_l: litres, charge_kwh: kwh, cost_yuan: cost, purpose,
          passengers: v.klass === 'bus' ? urng.int(12, v.seats) : v.klass === 'minibus' ? urng.int(4, v.seats) : urng.int(1, Math.min(4, v.seats - 1)),
        };
        if (unit === ODOMETER_UNIT) {
          values.odometer_start = v.odometer / 10;
          v.odometer += tenths;
          values.odometer_end = v.odometer / 10;
        } else values.distance_km = km;
        return { values, extra: extras.length ? extra : undefined };
      };
      for (const day of daysOfMonth(month)) {
        const active = vehicles.filter((v) => v.acquired <= day && (!v.retired || v.retired >= day));
        if (!active.length) continue;
        const g = unit === 'HZ' ? GAMES_DAYS.indexOf(day) : -1;
        if (g >= 0) {
          for (let i = 0; i < gamesPerDay[g]; i++) {
            const tenths = gamesKm[gamesUsed++];
            rows.push(trip(urng.pick(active), day, tenths, tenths > 3_000 && urng.chance(0.3), urng.chance(0.8) ? '亚运保障' : urng.weighted(PURPOSES)));
            summary.games.trips++;
            summary.games.km += tenths;
          }
          continue;
        }
        const mean = TRIP_RATE[unit] * ctx.scale * (ctx.cal.isWorkingDay(day) ? 1 : 0.1) * urng.range(0.8, 1.2);
        // The re-exported month always has trips on its working days, however small the scale.
        const n = Math.max(urng.count(mean), unit === CORRECTION.unit && month === CORRECTION.month && ctx.cal.isWorkingDay(day) ? 1 : 0);
        for (let i = 0; i < n; i++) {
          const multi = urng.chance(0.02);
          const km = multi ? urng.range(150, 700) : Math.min(380, Math.max(1, urng.lognormal(MEDIAN_KM[unit], 0.6)));
          rows.push(trip(urng.pick(active), day, Math.round(km * 10), multi, urng.weighted(PURPOSES)));
        }
      }
      if (unit === CORRECTION.unit && month === CORRECTION.month && rows.length >= 2) {
        await batch.flush();
        // The first export of the month: one trip missing and a few distances keyed in ×10.
        const original = rows.filter((_, i) => i !== Math.floor(rows.length / 2)).map((r) => ({ ...r, values: { ...r.values } }));
        for (const r of original.filter((r) => Number(r.values.distance_km) < 150).slice(0, 3)) r.values.distance_km = round1(Number(r.values.distance_km) * 10);
        const km = (rs: Row[]) => round1(rs.reduce((s, r) => s + Number(r.values.distance_km), 0));
        const c = summary.correction;
        c.original = await ctx.out.write({ table: 'vehicle_trips', unit, period: month, rows: original, noFaults: true, extras });
        c.correction = await ctx.out.write({ table: 'vehicle_trips', unit, period: month, rows, noFaults: true, extras, suffix: '更正' });
        Object.assign(c, { original_rows: original.length, original_distance_km: km(original), expected: { rows: rows.length, distance_km: km(rows) } });
        summary.trips.push(c.original, c.correction);
        continue;
      }
      await batch.add(month, rows);
    }
    await batch.flush();
    summary.trips.push(...batch.written);
  }
  summary.games.km = round1(summary.games.km / 10);
  summary.personal = {
    driver_ids: [...personal.driver_ids].sort(),
    driver_names: [...personal.driver_names].sort(),
    phone_numbers: [...personal.phone_numbers].sort(),
  };
  return summary;
}

/**
 * STAND-IN DATA. A synthetic export set written by DuckDB itself, used only when the project's
 * own generator (`steward sample`, sample/cli.ts) is not available. It covers the heavy tables
 * (vehicles, vehicle_trips, buildings, hourly energy_readings, procurement) with clean rows in
 * the contract's Chinese headers, one UTF-8 CSV per unit and month (per unit and year for
 * procurement). Volumes at scale N: 125,000·N trips, about 631,000·N hourly readings (18·N
 * buildings × 35,064 hours of 2021–2024), 12,500·N procurement records — so scale 80 is the
 * issue's "10 million trips, 50 million readings, 1 million procurement records".
 * Values come from hash() of the row number, so the same scale gives the same files.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const UNITS_CSV = resolve('data/reference/units.csv');

export interface StandinCounts {
  vehicles: number;
  vehicle_trips: number;
  buildings: number;
  energy_readings: number;
  procurement: number;
}

/** The months covered, first and last as YYYY-MM (default the sample's 2021-01 … 2024-12). */
export interface MonthRange { from: string; to: string }
export const FULL_RANGE: MonthRange = { from: '2021-01', to: '2024-12' };

export function monthsIn(r: MonthRange): number {
  const [fy, fm] = r.from.split('-').map(Number);
  const [ty, tm] = r.to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** Hours from the first day of `from` to the end of `to` (2021-01 … 2024-12: 35,064). */
export function hoursIn(r: MonthRange): number {
  const [fy, fm] = r.from.split('-').map(Number);
  const [ty, tm] = r.to.split('-').map(Number);
  return (Date.UTC(ty, tm, 1) - Date.UTC(fy, fm - 1, 1)) / 3_600_000;
}

/** Volumes are per month, so a shorter range has proportionally fewer rows. */
export function standinCounts(scale: number, range: MonthRange = FULL_RANGE): StandinCounts {
  const share = monthsIn(range) / 48;
  const vehiclesPerUnit = Math.max(20, Math.round(50 * Math.sqrt(scale)));
  const hourlyBuildings = Math.max(1, Math.round(18 * scale));
  return {
    vehicles: 14 * vehiclesPerUnit,
    vehicle_trips: Math.round(125_000 * scale * share),
    buildings: hourlyBuildings,
    energy_readings: hourlyBuildings * hoursIn(range),
    procurement: Math.round(12_500 * scale * share),
  };
}

const csv = (dir: string, partition: string) => `(format csv, header true, partition_by (${partition}), overwrite_or_ignore true)`;

export async function writeStandin(outDir: string, scale: number, range: MonthRange = FULL_RANGE, log: (s: string) => void = () => {}): Promise<StandinCounts> {
  const n = standinCounts(scale, range);
  const MONTHS = monthsIn(range);
  const HOURS = hoursIn(range);
  const start = `date '${range.from}-01'`;
  const days = Math.round(HOURS / 24);
  const vPerUnit = n.vehicles / 14;
  for (const t of ['vehicles', 'vehicle_trips', 'buildings', 'energy_readings', 'procurement']) mkdirSync(join(outDir, t), { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
  const c = await db.connect();
  try {
    await c.run(`create table u as select row_number() over (order by unit_code) - 1 as ui, unit_code, name_zh from read_csv('${UNITS_CSV}', all_varchar = true)`);
    const dir = (t: string) => join(outDir, t).replace(/'/g, "''");

    log(`stand-in: ${n.vehicles} vehicles`);
    await c.run(`copy (
      select 'V-' || unit_code || '-' || lpad(k::VARCHAR, 5, '0') as "车牌号", name_zh as "单位", name_zh || '公务用车服务中心' as "所属平台",
        case when hash(unit_code, k) % 5 = 0 then 'SUV' else '轿车' end as "车型",
        case when hash(k, unit_code) % 3 = 0 then '纯电' else '汽油' end as "能源类型", 5 as "座位数", '2020-01-01' as "购置日期"
      from u, range(${vPerUnit}) r(k) order by 1) to '${dir('vehicles')}/vehicles.csv' (format csv, header true)`);

    log(`stand-in: ${n.vehicle_trips.toLocaleString('en')} vehicle trips`);
    await c.run(`copy (
      with t as (select i, i % 14 as ui, (i // 14) % ${MONTHS} as mi, hash(i) as h from range(${n.vehicle_trips}) r(i)),
      d as (select t.*, u.unit_code, u.name_zh,
          ${start} + to_months(mi) + to_days((h % 28)::INT) + to_minutes((420 + (h // 28) % 660)::INT) as dep from t join u using (ui))
      select 'T-' || unit_code || '-' || lpad(i::VARCHAR, 9, '0') as "出车单号", name_zh as "单位",
        'V-' || unit_code || '-' || lpad(((h // 7) % ${vPerUnit})::VARCHAR, 5, '0') as "车牌号", 'D-' || ((h // 11) % 500)::VARCHAR as "驾驶员编号",
        '用车单位' || ((h // 13) % 40)::VARCHAR as "用车单位", strftime(dep, '%Y-%m-%d %H:%M') as "出车时间",
        strftime(dep + to_minutes((20 + (h // 17) % 300)::INT), '%Y-%m-%d %H:%M') as "回车时间",
        round(1 + ((h // 19) % 1500) / 10.0, 1) as "里程(公里)", round(((h // 23) % 400) / 10.0, 1) as "费用(元)",
        '公务' as "事由", (1 + (h // 29) % 4)::INT as "乘车人数", unit_code as u_, strftime(dep, '%Y-%m') as m_
      from d) to '${dir('vehicle_trips')}' ${csv('', 'u_, m_')}`);

    log(`stand-in: ${n.buildings} buildings, ${n.energy_readings.toLocaleString('en')} hourly readings`);
    await c.run(`create table b as select k, u.unit_code, u.name_zh, 'B-' || u.unit_code || '-' || lpad(k::VARCHAR, 5, '0') as bid
      from range(${n.buildings}) r(k) join u on u.ui = k % 14`);
    await c.run(`copy (select bid as "建筑编号", name_zh as "单位", name_zh || '办公楼' || k::VARCHAR as "建筑名称",
        (2000 + hash(k) % 30000)::INT as "建筑面积(平方米)", (50 + hash(k, 1) % 800)::INT as "用能人数" from b order by k)
      to '${dir('buildings')}/buildings.csv' (format csv, header true)`);
    await c.run(`copy (
      select bid as "建筑编号", '电' as "能源品种", strftime(ts, '%Y-%m-%d %H:%M') as "开始时间", strftime(ts + interval 1 hour, '%Y-%m-%d %H:%M') as "结束时间",
        round(5 + (hash(k, hr) % 2000) / 10.0, 1) as "用量(千瓦时)", unit_code as u_, strftime(ts, '%Y-%m') as m_
      from b, (select hr, ${start}::TIMESTAMP + to_hours(hr) as ts from range(${HOURS}) r(hr))) to '${dir('energy_readings')}' ${csv('', 'u_, m_')}`);

    log(`stand-in: ${n.procurement.toLocaleString('en')} procurement records`);
    await c.run(`copy (
      with p as (select i, i % 14 as ui, hash(i) as h from range(${n.procurement}) r(i)),
      d as (select p.*, u.unit_code, u.name_zh, ${start} + to_days((h % ${Math.max(1, days - 30)})::INT) as ann from p join u using (ui))
      select 'CG-' || unit_code || '-' || lpad(i::VARCHAR, 8, '0') as "采购编号", name_zh as "单位", name_zh || '机关事务服务中心' as "采购单位",
        '办公设备采购' || (h % 97)::VARCHAR as "项目名称", '货物' as "品目类型", '计算机' as "品目",
        ['公开招标', '询价', '电子卖场', '竞争性磋商', '单一来源', '框架协议', '邀请招标', '竞争性谈判'][(1 + (h // 3) % 8)::BIGINT] as "采购方式",
        (1000 + (h // 5) % 500000)::BIGINT as "预算金额(元)", round((1000 + (h // 5) % 500000) * 0.95, 2) as "中标金额(元)",
        '杭州供应商' || ((h // 7) % 300)::VARCHAR || '有限公司' as "供应商", case when h % 4 = 0 then '否' else '是' end as "是否中小企业",
        (1 + (h // 11) % 20)::INT as "数量", strftime(ann, '%Y-%m-%d') as "公告日期", strftime(ann + to_days((h % 30)::INT), '%Y-%m-%d') as "合同签订日期",
        unit_code as u_, year(ann)::VARCHAR as y_
      from d) to '${dir('procurement')}' ${csv('', 'u_, y_')}`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return n;
}

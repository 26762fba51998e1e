/**
 * A small, deterministic set of exports for the crash and concurrency tests: a first batch that
 * a warehouse already holds, and a second batch that adds months and replaces one unit-month, so
 * a load interrupted at any moment has something to supersede, insert and quarantine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const UNITS = [['GS', '拱墅区'], ['XH', '西湖区']] as const;
const p2 = (n: number) => String(n).padStart(2, '0');

export function write(dir: string, rel: string, lines: string[]): string {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

/** A unit's trips of one 2024 month, one in nine returning before it departs (quarantined). */
export function trips(unit: string, month: number, n: number, variant = 0): string[] {
  const out = ['出车单号,单位,车牌号,出车时间,回车时间,里程(公里)'];
  for (let i = 1; i <= n; i++) {
    const day = p2(1 + (i % 27));
    // Every 9th trip returns before it departs: quarantined, so the invariant has both sides.
    const back = i % 9 === 0 ? `2024-${p2(month)}-${day} 07:00` : `2024-${p2(month)}-${day} ${p2(9 + (i % 8))}:30`;
    out.push(`${unit}-${month}-${i},${unit},浙A${unit}${i % 6},2024-${p2(month)}-${day} 08:00,${back},${(12 + ((i * 7 + variant) % 40)).toFixed(1)}`);
  }
  return out;
}

function readings(unit: string, month: number): string[] {
  const out = ['建筑编号,能源品种,开始日期,结束日期,用量(千瓦时)'];
  for (let b = 1; b <= 3; b++) out.push(`${unit}-B${b},电,2024-${p2(month)}-01,2024-${p2(month)}-${month === 2 ? 29 : 28},${1000 * b + month * 37}`);
  return out;
}

/** Writes both batches under `dir`; returns the folders to pass to `steward load`. */
export function writeSmallExports(dir: string): { first: string; second: string } {
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  for (const [code, zh] of UNITS) {
    write(first, `vehicles/${code}.csv`, ['车牌号,单位,车型,能源类型', ...Array.from({ length: 6 }, (_, i) => `浙A${code}${i},${zh},${i % 2 ? '中巴' : '轿车'},${i % 3 ? '纯电' : '汽油'}`)]);
    write(first, `buildings/${code}.csv`, ['建筑编号,单位,建筑名称,建筑面积(平方米),用能人数', ...[1, 2, 3].map((b) => `${code}-B${b},${code},${zh}${b}号楼,${5000 * b},${100 * b}`)]);
    for (const m of [1, 2]) {
      write(first, `vehicle_trips/${code}-2024-${p2(m)}.csv`, trips(code, m, 40));
      write(first, `energy_readings/${code}-2024-${p2(m)}.csv`, readings(code, m));
    }
    for (const m of [3]) {
      write(second, `vehicle_trips/${code}-2024-${p2(m)}.csv`, trips(code, m, 60));
      write(second, `energy_readings/${code}-2024-${p2(m)}.csv`, readings(code, m));
    }
    // A corrected February: replaces the first batch's rows for this unit-month.
    write(second, `vehicle_trips/${code}-2024-02-corrected.csv`, trips(code, 2, 45, 1));
  }
  return { first, second };
}

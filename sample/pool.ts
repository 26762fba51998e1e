/**
 * The asset pool (公物仓): 14 physical warehouses ("1+13") totalling 49,200 m², and their ledgers.
 * Fulfilments (借用, 调剂, 划拨) are calibrated so the clean rows reproduce the published figures:
 * 2,934 fulfilments and 33,734,000 yuan avoided by 2023-07-31; 3,761 and 37,545,700 by
 * 2023-12-31, of which the city level 12,403,900. Prices are whole yuan so the sums are exact.
 * Deposits precede every outflow, so stock on hand never goes below zero.
 */
import { addDays, dayNumber, daysOfMonth, monthsBetween } from './calendar.ts';
import { Batcher, PLACE, UNIT_CODES, agencies, type Ctx } from './common.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';

/** Three pilot warehouses (36,900 m²) and eleven added since (12,300 m²). */
export const WAREHOUSES: { unit: string; area: number; opened: string }[] = [
  { unit: 'HZ', area: 16_800, opened: '2019-06-18' }, { unit: 'SC', area: 9_900, opened: '2020-03-02' }, { unit: 'XS', area: 10_200, opened: '2020-05-11' },
  { unit: 'GS', area: 1_500, opened: '2021-01-04' }, { unit: 'XH', area: 1_200, opened: '2021-01-18' }, { unit: 'BJ', area: 1_000, opened: '2021-02-01' },
  { unit: 'YH', area: 1_300, opened: '2021-02-22' }, { unit: 'LP', area: 900, opened: '2021-03-01' }, { unit: 'QT', area: 1_100, opened: '2021-03-15' },
  { unit: 'FY', area: 1_000, opened: '2021-04-06' }, { unit: 'LA', area: 1_200, opened: '2021-04-19' }, { unit: 'TL', area: 800, opened: '2021-05-06' },
  { unit: 'CA', area: 1_100, opened: '2021-05-17' }, { unit: 'JD', area: 1_200, opened: '2021-06-01' },
];

export const warehouseId = (unit: string) => `WH-${unit}-01`;

/** The published figures, cumulative from the start of the data. */
export const POOL_TARGETS = {
  by_2023_07_31: { fulfilments: 2_934, cost_avoided_yuan: 33_734_000 },
  by_2023_12_31: { fulfilments: 3_761, cost_avoided_yuan: 37_545_700, hz_cost_avoided_yuan: 12_403_900 },
};

/** Fulfilment counts and values per window, city level (HZ) apart: they add up to the targets. */
const WINDOWS = [
  { name: 'A', start: '2021-01-01', end: '2023-07-31', hzCount: 880, otherCount: 2_934 - 880, hzValue: 11_240_600, otherValue: 33_734_000 - 11_240_600 },
  { name: 'B', start: '2023-08-01', end: '2023-12-31', hzCount: 250, otherCount: 827 - 250, hzValue: 12_403_900 - 11_240_600, otherValue: 37_545_700 - 33_734_000 - (12_403_900 - 11_240_600) },
  { name: 'C', start: '2024-01-01', end: '2024-12-31', hzCount: 420, otherCount: 910 },
] as const;

const UNIT_WEIGHT: Record<string, number> = { SC: 1.6, GS: 1.1, XH: 1.2, BJ: 0.8, XS: 1.7, YH: 1.3, LP: 0.9, QT: 0.8, FY: 0.9, LA: 0.8, TL: 0.6, CA: 0.5, JD: 0.6 };

const CATEGORIES: { name: string; weight: number; items: [string, number, number][] }[] = [
  { name: '办公家具', weight: 38, items: [['办公桌', 900, 2_400], ['办公椅', 300, 900], ['文件柜', 800, 1_800], ['会议桌', 2_500, 6_000], ['沙发', 1_500, 4_000]] },
  { name: '计算机', weight: 22, items: [['台式计算机', 4_500, 6_500], ['笔记本电脑', 5_500, 8_000], ['显示器', 900, 1_800]] },
  { name: '打印设备', weight: 14, items: [['打印机', 1_500, 3_500], ['多功能一体机', 4_000, 9_000], ['复印机', 8_000, 18_000]] },
  { name: '会议设备', weight: 9, items: [['投影仪', 3_500, 9_000], ['音响系统', 6_000, 20_000], ['视频会议终端', 8_000, 25_000]] },
  { name: '空调', weight: 9, items: [['壁挂式空调', 2_800, 4_500], ['柜式空调', 5_500, 9_000]] },
  { name: '其他', weight: 8, items: [['碎纸机', 600, 1_500], ['保险柜', 1_200, 3_500], ['电视机', 2_500, 6_000], ['饮水机', 300, 900]] },
];
const PURPOSES: [string, number][] = [['日常办公', 50], ['临时机构', 15], ['大型活动', 12], ['会议', 13], ['机构改革', 10]];

interface Txn {
  unit: string;
  date: string;
  type: 'deposit' | 'loan' | 'return' | 'transfer' | 'allocation' | 'donation' | 'disposal';
  category: string;
  name: string;
  quantity: number;
  /** Per-item value the KPI uses: unit_price_new, else original_value. */
  price: number;
  /** Valued at original cost (no new-purchase price given). */
  originalOnly: boolean;
  originalValue: number;
  assetId?: string;
  due?: string;
  from?: string;
  to?: string;
  purpose?: string;
  window?: string;
  /** Excluded from price calibration (a published one-off). */
  fixed?: boolean;
}

function workingDaysBetween(ctx: Ctx, start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = dayNumber(start); d <= dayNumber(end); d++) {
    const s = addDays('1970-01-01', d);
    if (ctx.cal.isWorkingDay(s)) out.push(s);
  }
  return out;
}

function fulfilment(rng: Rng, ctx: Ctx, unit: string, date: string, window: string): Txn {
  const cat = rng.weighted(CATEGORIES.map((c) => [c, c.weight] as const));
  const [name, lo, hi] = rng.pick(cat.items);
  const type = rng.weighted([['loan', 45], ['transfer', 35], ['allocation', 20]] as const);
  const quantity = rng.chance(0.22) ? 1 : Math.max(1, Math.min(40, Math.round(rng.lognormal(3.5, 0.7))));
  const price = Math.round(rng.range(lo, hi));
  const ags = agencies(unit);
  return {
    unit, date, type, category: cat.name, name, quantity, price, originalOnly: rng.chance(0.12), originalValue: 0,
    from: `${PLACE[unit]}公物仓`, to: rng.pick(ags), purpose: rng.weighted(PURPOSES), window,
  };
}

/** Scales prices so the window's value is the target, then settles the remainder on single items. */
function calibrate(rng: Rng, txns: Txn[], target: number): void {
  const free = txns.filter((t) => !t.fixed);
  const fixed = txns.filter((t) => t.fixed).reduce((s, t) => s + t.quantity * t.price, 0);
  const sum = free.reduce((s, t) => s + t.quantity * t.price, 0);
  const factor = ((target - fixed) * 0.99) / sum;
  for (const t of free) t.price = Math.max(20, Math.round(t.price * factor));
  let rest = target - txns.reduce((s, t) => s + t.quantity * t.price, 0);
  const singles = free.filter((t) => t.quantity === 1);
  if (!singles.length) throw new Error('sample: pool calibration needs single-item fulfilments');
  let guard = 0;
  while (rest !== 0) {
    const t = singles[rng.int(0, singles.length - 1)];
    const delta = rest > 0 ? Math.min(rest, rng.int(500, 5_000)) : -Math.min(-rest, t.price - 20);
    t.price += delta;
    rest -= delta;
    if (++guard > 1_000_000) throw new Error('sample: pool calibration did not converge');
  }
}

export async function generatePool(ctx: Ctx): Promise<{ warehouses: string[]; transactions: string[] }> {
  const rng = Rng.derive(ctx.seed, 'pool');
  const opened = Object.fromEntries(WAREHOUSES.map((w) => [w.unit, w.opened]));
  const txns: Txn[] = [];

  // Fulfilments per window, unit and date; HZ and the districts calibrated separately.
  for (const w of WINDOWS) {
    const others = UNIT_CODES.filter((u) => u !== 'HZ');
    const totalWeight = others.reduce((s, u) => s + UNIT_WEIGHT[u], 0);
    const counts: Record<string, number> = { HZ: w.hzCount };
    let assigned = 0;
    others.forEach((u, i) => {
      counts[u] = i === others.length - 1 ? w.otherCount - assigned : Math.round((w.otherCount * UNIT_WEIGHT[u]) / totalWeight);
      assigned += counts[u];
    });
    for (const unit of UNIT_CODES) {
      const days = workingDaysBetween(ctx, opened[unit] > w.start ? opened[unit] : w.start, w.end);
      const n = counts[unit] - (unit === 'HZ' && w.name === 'B' ? 1 : 0);
      for (let i = 0; i < n; i++) txns.push(fulfilment(rng, ctx, unit, rng.pick(days), w.name));
      if (unit === 'HZ' && w.name === 'B') {
        // After the Asian Games: 300 items reallocated at once.
        txns.push({ unit, date: '2023-10-25', type: 'transfer', category: '办公家具', name: '办公椅', quantity: 300, price: 450, originalOnly: false, originalValue: 0,
          from: '杭州亚运会组委会', to: '杭州市属中小学', purpose: '大型活动', window: 'B', fixed: true });
      }
    }
    if ('hzValue' in w) {
      calibrate(rng, txns.filter((t) => t.window === w.name && t.unit === 'HZ'), w.hzValue);
      calibrate(rng, txns.filter((t) => t.window === w.name && t.unit !== 'HZ'), w.otherValue);
    }
  }
  // 2024: a new department's 17 offices and 3 meeting rooms furnished from the pool in three days.
  for (const [date, name, cat, q, p] of [['2024-04-08', '办公桌', '办公家具', 17, 1_600], ['2024-04-09', '办公椅', '办公家具', 34, 600],
    ['2024-04-09', '文件柜', '办公家具', 17, 1_200], ['2024-04-10', '会议桌', '办公家具', 3, 4_200], ['2024-04-10', '视频会议终端', '会议设备', 3, 12_000]] as const) {
    txns.push({ unit: 'HZ', date, type: 'allocation', category: cat, name, quantity: q, price: p, originalOnly: false, originalValue: 0,
      from: '杭州市公物仓', to: '市数据资源局', purpose: '机构改革', window: 'C', fixed: true });
  }
  for (const t of txns) t.originalValue = Math.round(t.price * (t.originalOnly ? 1 : rng.range(0.7, 1.3)));

  // Loans come back (most of them): a return of the same asset.
  let assetSeq = 0;
  const end = `${ctx.to}-${daysOfMonth(ctx.to).length}`;
  for (const t of [...txns]) {
    if (t.type !== 'loan') continue;
    t.assetId = `ZC-${t.unit}-${t.date.slice(0, 4)}-${String(++assetSeq).padStart(6, '0')}`;
    t.due = addDays(t.date, rng.pick([30, 60, 90, 180]));
    if (rng.chance(0.08)) continue; // never returned: overdue once the due date passes
    const back = addDays(t.date, rng.int(7, dayNumber(t.due) - dayNumber(t.date) + 20));
    if (back > end) continue;
    txns.push({ ...t, type: 'return', date: back, due: undefined, from: t.to, to: `${PLACE[t.unit]}公物仓`, window: undefined });
  }
  // Donations and disposals; the published donation after the Games: 102 printers, 5 multifunction devices.
  txns.push({ unit: 'HZ', date: '2023-11-08', type: 'donation', category: '打印设备', name: '打印机', quantity: 102, price: 2_200, originalOnly: true, originalValue: 2_200, from: '杭州市公物仓', to: '淳安县乡村学校', purpose: '公益捐赠' });
  txns.push({ unit: 'HZ', date: '2023-11-08', type: 'donation', category: '打印设备', name: '多功能一体机', quantity: 5, price: 6_800, originalOnly: true, originalValue: 6_800, from: '杭州市公物仓', to: '淳安县乡村学校', purpose: '公益捐赠' });
  for (const unit of UNIT_CODES) {
    for (const m of ctx.months) {
      if (`${m}-28` < opened[unit]) continue;
      const day = `${m}-${String(rng.int(5, 26)).padStart(2, '0')}`;
      if (day < opened[unit]) continue;
      if (rng.chance(0.05)) {
        const cat = rng.pick(CATEGORIES);
        const [name, lo] = rng.pick(cat.items);
        txns.push({ unit, date: day, type: 'donation', category: cat.name, name, quantity: rng.int(2, 20), price: lo, originalOnly: true, originalValue: lo, from: `${PLACE[unit]}公物仓`, to: '结对帮扶乡镇', purpose: '公益捐赠' });
      }
      if (rng.chance(0.12)) {
        const cat = rng.pick(CATEGORIES);
        const [name, lo] = rng.pick(cat.items);
        txns.push({ unit, date: day, type: 'disposal', category: cat.name, name, quantity: rng.int(3, 40), price: Math.round(lo * 0.3), originalOnly: true, originalValue: Math.round(lo * 0.3), from: `${PLACE[unit]}公物仓`, to: '再生资源公司', purpose: '报废处置' });
      }
    }
  }

  // Deposits: on the first day of each month (or the opening day) at least what goes out that month.
  const out = new Map<string, Txn[]>();
  for (const t of txns) {
    if (t.type === 'return') continue;
    const k = `${t.unit}|${t.date.slice(0, 7)}|${t.category}`;
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(t);
  }
  for (const unit of UNIT_CODES) {
    for (const m of monthsBetween(ctx.from, ctx.to)) {
      const first = `${m}-01` < opened[unit] ? opened[unit] : `${m}-01`;
      if (first.slice(0, 7) !== m) continue;
      for (const cat of CATEGORIES) {
        const outs = out.get(`${unit}|${m}|${cat.name}`) ?? [];
        const need = outs.reduce((s, t) => s + t.quantity, 0);
        if (!need && !rng.chance(0.15)) continue;
        const [name, lo, hi] = rng.pick(cat.items);
        const q = need + rng.int(need ? 0 : 1, 12);
        txns.push({ unit, date: first, type: 'deposit', category: cat.name, name: outs.length === 1 ? outs[0].name : name, quantity: q,
          price: 0, originalOnly: true, originalValue: Math.round(rng.range(lo, hi) * 0.8), from: rng.pick(agencies(unit)), to: `${PLACE[unit]}公物仓`, purpose: '闲置资产交回' });
      }
    }
  }

  // Rows, in date order per unit, numbered per unit and year.
  const inRange = (d: string) => d.slice(0, 7) >= ctx.from && d.slice(0, 7) <= ctx.to;
  const typeOrder = { deposit: 0, return: 1, loan: 2, transfer: 3, allocation: 4, donation: 5, disposal: 6 };
  const warehouseFiles: string[] = [];
  const txnFiles: string[] = [];
  for (const unit of UNIT_CODES) {
    const w = WAREHOUSES.find((x) => x.unit === unit)!;
    warehouseFiles.push(await ctx.out.write({ table: 'warehouses', unit, rows: [{ values: {
      warehouse_id: warehouseId(unit), unit, name: unit === 'HZ' ? '杭州市公物仓（主仓）' : `${PLACE[unit]}公物仓`, area_m2: w.area, kind: 'physical', opened_on: w.opened,
    } }] }));
    const mine = txns.filter((t) => t.unit === unit && inRange(t.date)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : typeOrder[a.type] - typeOrder[b.type]));
    const batch = new Batcher(ctx, 'pool_transactions', unit);
    const seq = new Map<string, number>();
    for (const t of mine) {
      const y = t.date.slice(0, 4);
      seq.set(y, (seq.get(y) ?? 0) + 1);
      const isOutflowValued = t.type !== 'deposit' && t.type !== 'return';
      const row: Row = { values: {
        txn_id: `GWC-${unit}-${y}-${String(seq.get(y)).padStart(6, '0')}`, unit, warehouse_id: warehouseId(unit), txn_date: t.date, txn_type: t.type,
        asset_id: t.assetId, asset_category: t.category, asset_name: t.name, quantity: t.quantity,
        unit_price_new: isOutflowValued && !t.originalOnly ? t.price : null, original_value: t.originalValue,
        from_agency: t.from, to_agency: t.to, due_date: t.due, purpose: t.purpose,
      } };
      await batch.add(t.date.slice(0, 7), [row]);
    }
    await batch.flush();
    txnFiles.push(...batch.written);
  }
  return { warehouses: warehouseFiles, transactions: txnFiles };
}

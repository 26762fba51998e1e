/**
 * Government procurement: tens of thousands of records across all eight methods, with value
 * shares near the national 2022 mix (open tender about 77% of value, single source about 3%,
 * SMEs about 74%), budgets mostly above contracts, some records not yet awarded, a few split
 * purchases (same agency and item, several orders under 20,000 yuan within 30 days summing above
 * it), and equipment bought while the pool holds the same category idle. Furniture, computers,
 * printers, meeting equipment and air conditioners — what the pool lends — are bought in small
 * orders (e-mall, framework agreements, quotations); tenders buy services, works and systems.
 */
import { addDays, dayNumber, daysOfMonth } from './calendar.ts';
import { Batcher, PLACE, UNIT_CODES, agencies, round2, type Ctx } from './common.ts';
import { Rng } from './random.ts';
import type { Row } from './render.ts';

/** Records per month at scale 1. */
const RATE: Record<string, number> = { HZ: 95, SC: 42, GS: 38, XH: 40, BJ: 30, XS: 48, YH: 46, LP: 34, QT: 30, FY: 32, LA: 30, TL: 24, CA: 22, JD: 24 };

/** Method: share of records, median value (yuan), log spread, savings range, SME probability. */
const METHODS: { code: string; weight: number; median: number; spread: number; save: [number, number]; sme: number }[] = [
  { code: 'open_tender', weight: 6, median: 2_300_000, spread: 0.8, save: [0.02, 0.14], sme: 0.68 },
  { code: 'invited_tender', weight: 1, median: 300_000, spread: 0.6, save: [0.02, 0.1], sme: 0.85 },
  { code: 'competitive_negotiation', weight: 3, median: 200_000, spread: 0.6, save: [0.01, 0.1], sme: 0.85 },
  { code: 'competitive_consultation', weight: 8, median: 250_000, spread: 0.6, save: [0.02, 0.12], sme: 0.85 },
  { code: 'single_source', weight: 1.5, median: 400_000, spread: 0.6, save: [0, 0.02], sme: 0.6 },
  { code: 'inquiry', weight: 10, median: 60_000, spread: 0.6, save: [0.01, 0.08], sme: 0.9 },
  { code: 'framework_agreement', weight: 25, median: 30_000, spread: 0.6, save: [0, 0.03], sme: 0.9 },
  { code: 'e_mall', weight: 45.5, median: 8_000, spread: 0.6, save: [0, 0.05], sme: 0.9 },
];

const ITEMS: { category: 'goods' | 'services' | 'works'; item: string; weight: number; project: string }[] = [
  { category: 'goods', item: '办公家具', weight: 4, project: '办公家具采购' },
  { category: 'goods', item: '计算机', weight: 4, project: '计算机设备采购' },
  { category: 'goods', item: '打印设备', weight: 2, project: '打印复印设备采购' },
  { category: 'goods', item: '会议设备', weight: 2, project: '会议室音视频设备采购' },
  { category: 'goods', item: '空调', weight: 2, project: '空调设备采购' },
  { category: 'goods', item: '其他', weight: 1, project: '办公设备采购' },
  { category: 'goods', item: '办公用品', weight: 14, project: '办公用品采购' },
  { category: 'services', item: '物业管理服务', weight: 8, project: '物业管理服务项目' },
  { category: 'services', item: '印刷服务', weight: 7, project: '印刷服务项目' },
  { category: 'services', item: '会议服务', weight: 5, project: '会议服务项目' },
  { category: 'services', item: '车辆维修保养', weight: 6, project: '公务用车维修保养服务' },
  { category: 'services', item: '信息技术服务', weight: 8, project: '信息系统运维服务' },
  { category: 'works', item: '维修改造工程', weight: 5, project: '办公楼维修改造工程' },
  { category: 'works', item: '节能改造工程', weight: 2, project: '公共机构节能改造工程' },
];

/** The categories the asset pool lends: bought in small orders only. */
const POOL_ITEMS = new Set(['办公家具', '计算机', '打印设备', '会议设备', '空调', '其他']);

const SUPPLIER_STEMS = ['宏达', '恒信', '汇丰', '金诚', '华宇', '博远', '新天地', '正泰', '之江', '钱江', '西子', '天目', '运河', '富春', '千岛',
  '瑞丰', '中联', '万向', '东方', '创新', '鼎盛', '安居', '森林', '明辉', '通达', '远景', '海康', '大华', '联众', '嘉禾'];
const SUPPLIER_KINDS = ['家具有限公司', '信息技术有限公司', '办公设备有限公司', '物业服务有限公司', '印务有限公司', '建设工程有限公司', '科技股份有限公司', '商贸有限公司'];

export async function generateProcurement(ctx: Ctx): Promise<string[]> {
  const files: string[] = [];
  for (const unit of UNIT_CODES) {
    const rng = Rng.derive(ctx.seed, `procurement/${unit}`);
    const ags = agencies(unit);
    // Each unit buys from its own pool of suppliers, a few of them large.
    const suppliers = Array.from({ length: 40 }, () => `杭州${rng.pick(SUPPLIER_STEMS)}${rng.pick(SUPPLIER_KINDS)}`);
    const supplierWeights = suppliers.map((s, i) => [s, i < 4 ? 8 : 1] as const);
    const batch = new Batcher(ctx, 'procurement', unit);
    let seq = 0;
    const id = (month: string) => `CG-${unit}-${month.slice(0, 4)}-${String(++seq).padStart(6, '0')}`;
    for (const month of ctx.months) {
      if (month.endsWith('-01')) seq = 0;
      const days = daysOfMonth(month).filter((d) => ctx.cal.isWorkingDay(d));
      const rows: Row[] = [];
      const n = rng.count(RATE[unit] * ctx.scale * rng.range(0.85, 1.15) * (month.endsWith('-12') ? 1.4 : 1));
      for (let i = 0; i < n; i++) {
        const m = rng.weighted(METHODS.map((x) => [x, x.weight] as const));
        const small = m.median < 100_000;
        const it = rng.weighted(ITEMS.filter((x) => small || !POOL_ITEMS.has(x.item)).map((x) => [x, x.weight] as const));
        const budget = Math.max(500, Math.round(rng.lognormal(m.median, m.spread) / 100) * 100);
        const awarded = !rng.chance(0.03);
        const over = rng.chance(0.02);
        const contract = awarded ? Math.round(budget * (over ? rng.range(1.01, 1.05) : 1 - rng.range(m.save[0], m.save[1]))) : null;
        const contracted = rng.pick(days);
        const lag = m.code === 'e_mall' || m.code === 'framework_agreement' ? rng.int(0, 5) : rng.int(12, 45);
        const supplier = awarded ? rng.weighted(supplierWeights) : null;
        rows.push({ values: {
          record_id: id(month), unit, agency: rng.pick(ags), project_name: `${rng.pick(ags).replace(PLACE[unit], '')}${it.project}`,
          category: it.category, item_category: it.item, method: m.code, budget_yuan: budget, contract_yuan: contract,
          supplier, supplier_sme: awarded && !rng.chance(0.05) ? rng.chance(m.sme) : null,
          quantity: it.category === 'goods' ? Math.max(1, Math.round(budget / rng.range(800, 6_000))) : null,
          // Not yet awarded: the announcement (in this month) is the record's only date.
          announced_on: awarded ? addDays(contracted, -lag) : contracted, contracted_on: awarded ? contracted : null,
        } });
      }
      // Now and then an agency splits one purchase into orders just under the 20,000-yuan limit.
      if (rng.chance(0.06) && days.length > 12) {
        const agency = rng.pick(ags);
        const it = rng.pick(ITEMS.filter((x) => x.category === 'goods'));
        const start = rng.int(0, days.length - 10);
        const k = rng.int(2, 3);
        for (let j = 0; j < k; j++) {
          const amount = rng.int(12_000, 19_500);
          const d = days[start + j * 4];
          rows.push({ values: {
            record_id: id(month), unit, agency, project_name: `${agency.replace(PLACE[unit], '')}${it.project}（第${j + 1}批）`, category: 'goods', item_category: it.item,
            method: 'e_mall', budget_yuan: amount, contract_yuan: amount, supplier: suppliers[0], supplier_sme: true, quantity: Math.max(1, Math.round(amount / 1_500)),
            announced_on: d, contracted_on: d,
          } });
        }
      }
      rows.sort((a, b) => dayNumber(String(a.values.contracted_on ?? a.values.announced_on)) - dayNumber(String(b.values.contracted_on ?? b.values.announced_on)));
      // Money rounded to fen, as the systems print it.
      for (const r of rows) if (r.values.contract_yuan !== null) r.values.contract_yuan = round2(Number(r.values.contract_yuan));
      await batch.add(month, rows);
    }
    await batch.flush();
    files.push(...batch.written);
  }
  return files;
}

/**
 * Nothing personal reaches the published site, whatever column it hides in: exports whose every
 * column — ids, units, numbers, dates, free text and columns the contract does not know — carries
 * e-mail addresses, phone numbers in every form, resident ID and bank card numbers are loaded,
 * the models run and the site built; then every file under dist/ is searched for each planted
 * value, as written and as bare digits.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, ROOT, type BuiltSite } from './helpers/browser.ts';
import { HANG_MS } from './helpers/wait.ts';
import { scratch } from './helpers/warehouse.ts';

const WORK = join(ROOT, 'test-results/site-personal');
// Outside WORK: buildSite empties its work folder.
const DB = join(ROOT, 'test-results/site-personal.duckdb');

/** The planted values: every form the detector must catch. */
const PLANTED = {
  email: ['li.na@example.cn', 'jane.doe@toronto.ca', 'buyer+2024@hz.gov.cn'],
  phone: ['13812345678', '139 8765 4321', '0571-87654321', '(0571)86543210', '416-397-4141', '(416) 392-7000', '+1 416 338 0338', '+86 571 8888 6666'],
  id_number: ['330106198001011234', '11010519491231002X'],
  bank_card: ['6222021234567890123', '6222 0212 3456 7890 456', '4111 1111 1111 1111'],
};
const ALL = Object.values(PLANTED).flat();
/** A planted value as bare digits (a page could reformat a number): only long enough to be telling. */
const DIGITS = ALL.map((v) => v.replace(/\D/g, '')).filter((d) => d.length >= 10);

const P = PLANTED;
const EXPORTS: Record<string, string> = {
  'vehicles/v.csv': [
    '车牌号,单位,所属平台,车型,能源类型,座位数,购置日期,联系电话,负责人邮箱',
    `浙A·P0001,YH,平台 ${P.phone[0]},轿车,汽油,5,2021-04-12,${P.phone[2]},${P.email[0]}`,
    `浙A·P0002,YH,车队,商务车,纯电,7,2022-01-05,"${P.phone[4]}",${P.email[1]}`,
    // Every column of this row is a personal value: quarantined, and its record held aside.
    `${P.phone[1]},${P.email[2]},${P.id_number[0]},${P.bank_card[0]},${P.phone[3]},${P.phone[5]},${P.bank_card[1]},${P.phone[6]},${P.email[0]}`,
  ].join('\n'),
  'vehicle_trips/t.csv': [
    '出车单号,单位,车牌号,驾驶员编号,用车单位,出车时间,回车时间,里程(公里),费用(元),事由,乘车人数,司机手机,身份证号',
    `T-P-1,YH,浙A·P0001,${P.id_number[0]},区发改局 ${P.phone[7]},2024-03-05 08:30,2024-03-05 11:00,36.5,28.6,接送 ${P.email[1]} 联系 ${P.phone[0]},2,${P.phone[0]},${P.id_number[1]}`,
    `T-P-2,YH,浙A·P0002,${P.id_number[1]},区财政局,2024-03-06 08:30,2024-03-06 10:00,${P.phone[0]},12,会议 ${P.bank_card[2]},1,${P.phone[1]},${P.id_number[0]}`,
    `T-P-3,${P.phone[4]},浙A·P0001,D-1,区财政局,2024-03-07 08:30,2024-03-07 09:00,10,${P.bank_card[0]},"call ${P.phone[5]}",1,,`,
    `${P.id_number[1]},YH,${P.phone[2]},D-2,${P.email[2]},${P.phone[3]},${P.phone[6]},${P.id_number[0]},5,${P.phone[7]},${P.phone[1]},,`,
  ].join('\n'),
  'procurement/p.csv': [
    '采购编号,单位,采购单位,项目名称,品目类型,品目,采购方式,预算金额(元),中标金额(元),供应商,是否中小企业,公告日期,合同签订日期,采购人联系方式,备注',
    `CG-P-1,YH,区机关事务服务中心 ${P.phone[2]},办公家具采购（联系人 ${P.email[0]}，${P.phone[4]}）,货物,办公家具,公开招标,480000,452000,杭州某某家具有限公司 ${P.phone[0]},是,2024-03-01,2024-03-20,${P.phone[3]},卡号 ${P.bank_card[1]}`,
    `CG-P-2,YH,区财政局,打印机采购 ${P.id_number[0]},货物,打印设备,电子卖场,48000,45200,${P.email[2]},否,2024-03-02,2024-03-21,${P.email[1]},${P.phone[6]}`,
    `CG-P-3,YH,区财政局,服务采购,服务,,${P.phone[7]},${P.bank_card[2]},${P.phone[0]},供应商,是,2024-03-03,${P.id_number[1]},${P.phone[5]},`,
  ].join('\n'),
  'buildings/b.csv': [
    '建筑编号,单位,建筑名称,建筑面积(平方米),用能人数,建筑类型,物业电话',
    `B-P-1,YH,行政中心 ${P.phone[2]},12000,400,办公,${P.phone[5]}`,
    `B-P-2,YH,${P.email[0]},${P.phone[1]},${P.id_number[0]},办公,${P.email[1]}`,
  ].join('\n'),
  'energy_readings/e.csv': [
    '建筑编号,能源品种,开始日期,结束日期,用量,计量单位,费用(元),抄表员电话',
    `B-P-1,电,2024-03-01,2024-03-31,18250,千瓦时,14600,${P.phone[0]}`,
    `B-P-1,${P.phone[4]},2024-03-01,2024-03-31,${P.bank_card[0]},千瓦时,${P.phone[2]},${P.email[2]}`,
  ].join('\n'),
  'meetings/m.csv': [
    '会议编号,单位,会议名称,会议日期,参会人数,会议时长(小时),会务联系人',
    `HY-P-1,YH,节能工作会议（报名 ${P.email[0]} ${P.phone[7]}）,2024-03-05,80,3,${P.phone[1]}`,
    `HY-P-2,YH,${P.id_number[1]},${P.phone[3]},${P.bank_card[2]},2,${P.email[2]}`,
  ].join('\n'),
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

function steward(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/steward.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
}

describe('a site built from exports full of personal details', () => {
  let site: BuiltSite;
  let loaded = '';
  beforeAll(async () => {
    rmSync(WORK, { recursive: true, force: true });
    rmSync(DB, { force: true });
    rmSync(`${DB}.wal`, { force: true });
    mkdirSync(WORK, { recursive: true });
    const s = scratch();
    try {
      for (const [rel, text] of Object.entries(EXPORTS)) s.file(`inbox/${rel}`, `${text}\n`);
      const load = steward(['load', join(s.dir, 'inbox'), '--db', DB]);
      loaded = load.stdout;
      const run = steward(['run', '--db', DB]);
      if (run.status !== 0) throw new Error(`steward run failed:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    } finally {
      s.dispose();
    }
    site = await buildSite(DB, WORK);
  });

  it('loaded the rows that carry personal details in free text, and quarantined the rest with their records', () => {
    // Each export loads its good rows, so the details reach the warehouse and the page data step.
    expect(loaded).toMatch(/vehicle_trips\s+1 files\s+4 read\s+1 loaded\s+3 quarantined/);
    expect(loaded).toMatch(/procurement\s+1 files\s+3 read\s+2 loaded\s+1 quarantined/);
    expect(loaded).toMatch(/vehicles\s+1 files\s+3 read\s+2 loaded\s+1 quarantined/);
  });

  it('publishes none of them, in any file, as written or as bare digits', () => {
    const found: string[] = [];
    for (const f of filesUnder(site.distDir)) {
      const text = readFileSync(f, 'utf8');
      for (const v of ALL) if (text.includes(v)) found.push(`${v} in ${relative(site.distDir, f)}`);
      for (const d of DIGITS) if (new RegExp(`(?<!\\d)${d}(?!\\d)`).test(text)) found.push(`${d} (digits) in ${relative(site.distDir, f)}`);
    }
    expect(found).toEqual([]);
  });

  it('still shows the quarantined rows: their rule, file and row, and a publishable cell', () => {
    const examples = readFileSync(join(site.srcDir, 'data/quality/examples.json'), 'utf8');
    const reasons = readFileSync(join(site.srcDir, 'data/quality/quarantine.json'), 'utf8');
    expect(reasons).toContain('vehicle_trips');
    expect(examples).toContain('vehicle_trips');
  });
});

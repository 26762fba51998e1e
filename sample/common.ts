/** What every part of the sample shares: options, the calendar, the output, agency names. */
import type { WorkCalendar } from './calendar.ts';
import type { ExportFile, Output } from './output.ts';
import { PROFILE, type TableName } from './profiles.ts';
import type { Row } from './render.ts';

export interface Ctx {
  seed: number;
  scale: number;
  /** First and last month, `YYYY-MM`. */
  from: string;
  to: string;
  months: string[];
  cal: WorkCalendar;
  out: Output;
}

export const UNIT_CODES = ['HZ', 'SC', 'GS', 'XH', 'BJ', 'XS', 'YH', 'LP', 'QT', 'FY', 'LA', 'TL', 'CA', 'JD'] as const;

/** Chinese place name used inside agency and building names. */
export const PLACE: Record<string, string> = {
  HZ: '市', SC: '上城区', GS: '拱墅区', XH: '西湖区', BJ: '滨江区', XS: '萧山区', YH: '余杭区', LP: '临平区',
  QT: '钱塘区', FY: '富阳区', LA: '临安区', TL: '桐庐县', CA: '淳安县', JD: '建德市',
};

const BUREAUS = ['发改局', '财政局', '教育局', '民政局', '司法局', '人力社保局', '自然资源局', '住建局', '交通运输局', '农业农村局',
  '商务局', '文广旅体局', '卫生健康局', '应急管理局', '市场监管局', '统计局', '医保局', '城管局', '数据资源局', '机关事务服务中心'];
const CITY_BUREAUS = ['市发改委', '市财政局', '市教育局', '市民政局', '市司法局', '市人力社保局', '市规划和自然资源局', '市建委', '市交通运输局',
  '市农业农村局', '市商务局', '市文广旅游局', '市卫健委', '市应急管理局', '市市场监管局', '市统计局', '市医保局', '市城管局', '市数据资源局', '市机关事务管理局'];

export function agencies(unit: string): string[] {
  return unit === 'HZ' ? CITY_BUREAUS : BUREAUS.map((b) => PLACE[unit] + b);
}

/**
 * Collects a unit's rows of a fact table month by month and writes a file whenever the unit's
 * export period (month or year) is complete.
 */
export class Batcher {
  private period?: string;
  private rows: Row[] = [];
  written: string[] = [];

  constructor(private ctx: Ctx, private table: TableName, private unit: string, private opts: Partial<ExportFile> = {}) {}

  /** `YYYY-MM`, `YYYY`, or `YYYY-MM~YYYY-MM` for a file spanning the whole range. */
  private periodOf(month: string): string {
    const style = PROFILE[this.unit].styles[this.table];
    if (style.granularity === 'month' || (style.monthlyFrom && month >= style.monthlyFrom)) return month;
    if (style.granularity === 'year') return month.slice(0, 4);
    return `${this.ctx.from}~${this.ctx.to}`;
  }

  async add(month: string, rows: Row[]): Promise<void> {
    const p = this.periodOf(month);
    if (this.period !== undefined && p !== this.period) await this.flush();
    this.period = p;
    for (const r of rows) this.rows.push(r);
  }

  async flush(): Promise<void> {
    if (this.period !== undefined && this.rows.length) {
      this.written.push(await this.ctx.out.write({ ...this.opts, table: this.table, unit: this.unit, period: this.period, rows: this.rows }));
    }
    this.rows = [];
    this.period = undefined;
  }
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * How each unit's own system exports: file format and encoding, header language, how it names
 * itself, how it writes dates, numbers and money. The variety is the point of the sample: the
 * loader must take every one of these without a mapping file.
 */
export type TableName =
  | 'warehouses' | 'pool_transactions' | 'vehicles' | 'vehicle_trips'
  | 'buildings' | 'energy_readings' | 'procurement' | 'meetings';

export interface ExportStyle {
  format: 'csv' | 'xlsx' | 'json' | 'ndjson';
  encoding?: 'utf8' | 'utf8-bom' | 'gbk';
  delimiter?: ',' | '\t';
  /** A title row above the header (`杭州市余杭区公务用车出车记录（2024年3月）`). */
  title?: boolean;
  /** Fact tables: one file per month, per year, or one for the whole range. */
  granularity?: 'month' | 'year' | 'all';
  /** Monthly files from this month on (a system changed mid-period), the granularity before. */
  monthlyFrom?: string;
}

/** `excel`: real date cells in XLSX; `serial`: Excel serial day numbers as text. */
export type DateStyle = 'iso' | 'slash' | 'dot' | 'cn' | 'compact' | 'serial' | 'excel';

export interface UnitProfile {
  code: string;
  /** How the unit names itself in the unit column. */
  name: string;
  /** Prefix of its file names. */
  filePrefix: string;
  /** Place name used in titles (`杭州市余杭区`). */
  titleName: string;
  /** zh: first alias; zh-alt: the last alias; en: canonical snake_case names and English codes. */
  headers: 'zh' | 'zh-alt' | 'en';
  unitHeader: string;
  dates: DateStyle;
  /** Datetimes; `serial` and `excel` apply only where the format allows. */
  datetimes: DateStyle;
  numbers: 'plain' | 'thousands' | 'fullwidth' | 'yuan';
  bools: 'zh' | 'yn' | 'tf' | '10';
  /** Money columns in 万元. */
  wan: boolean;
  /** Energy quantities in the row's own unit (计量单位 column). */
  quantityUnitColumn: boolean;
  styles: Record<TableName, ExportStyle>;
}

const all = (s: ExportStyle, over: Partial<Record<TableName, ExportStyle>> = {}): Record<TableName, ExportStyle> => ({
  warehouses: s, pool_transactions: { ...s, granularity: 'all' }, vehicles: s, vehicle_trips: { ...s, granularity: 'year' },
  buildings: s, energy_readings: { ...s, granularity: 'year' }, procurement: { ...s, granularity: 'year' }, meetings: { ...s, granularity: 'all' },
  ...over,
});

const csv = (encoding: ExportStyle['encoding'] = 'utf8', delimiter: ExportStyle['delimiter'] = ','): ExportStyle => ({ format: 'csv', encoding, delimiter });
const xlsxTitled: ExportStyle = { format: 'xlsx', title: true };

export const PROFILES: UnitProfile[] = [
  {
    code: 'HZ', name: '市本级', filePrefix: '杭州市本级', titleName: '杭州市本级', headers: 'zh', unitHeader: '填报单位',
    dates: 'iso', datetimes: 'iso', numbers: 'plain', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all(csv('utf8-bom'), {
      pool_transactions: { ...xlsxTitled, granularity: 'year' },
      vehicle_trips: { ...csv('utf8-bom'), granularity: 'month' },
      // Smart meters (2024) export month by month: a year of hourly readings is too big for one file.
      energy_readings: { ...csv('utf8-bom'), granularity: 'year', monthlyFrom: '2024-01' },
      procurement: { ...csv('utf8-bom'), granularity: 'month' },
      meetings: { ...xlsxTitled, granularity: 'all' },
    }),
  },
  {
    code: 'SC', name: 'SC', filePrefix: 'SC', titleName: '上城区', headers: 'en', unitHeader: 'unit',
    dates: 'iso', datetimes: 'iso', numbers: 'plain', bools: 'tf', wan: false, quantityUnitColumn: true,
    styles: all({ format: 'json' }),
  },
  {
    code: 'GS', name: '拱墅区', filePrefix: '拱墅区', titleName: '拱墅区', headers: 'zh', unitHeader: '区县',
    dates: 'slash', datetimes: 'slash', numbers: 'thousands', bools: 'zh', wan: false, quantityUnitColumn: false,
    styles: all(csv('gbk')),
  },
  {
    code: 'XH', name: 'Xihu', filePrefix: 'xihu', titleName: '西湖区', headers: 'zh-alt', unitHeader: '所属单位',
    dates: 'cn', datetimes: 'iso', numbers: 'plain', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all({ format: 'ndjson' }),
  },
  {
    code: 'BJ', name: '滨江', filePrefix: '滨江区', titleName: '滨江区', headers: 'zh', unitHeader: '单位',
    dates: 'slash', datetimes: 'slash', numbers: 'plain', bools: 'yn', wan: false, quantityUnitColumn: true,
    styles: all(csv('utf8', '\t'), {
      vehicles: xlsxTitled,
      energy_readings: { ...csv('utf8', '\t'), granularity: 'year', monthlyFrom: '2024-01' },
      meetings: { ...xlsxTitled, granularity: 'all' },
    }),
  },
  {
    code: 'XS', name: '萧山区', filePrefix: '萧山区', titleName: '萧山区', headers: 'zh-alt', unitHeader: '区县（市）',
    dates: 'dot', datetimes: 'iso', numbers: 'plain', bools: 'zh', wan: true, quantityUnitColumn: false,
    styles: all(csv('gbk')),
  },
  {
    code: 'YH', name: '余杭区', filePrefix: '余杭区', titleName: '杭州市余杭区', headers: 'zh', unitHeader: '单位',
    dates: 'iso', datetimes: 'iso', numbers: 'plain', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all(csv('utf8'), { buildings: xlsxTitled }),
  },
  {
    code: 'LP', name: 'Linping', filePrefix: 'linping', titleName: '临平区', headers: 'zh', unitHeader: '区县',
    dates: 'compact', datetimes: 'compact', numbers: 'plain', bools: 'yn', wan: false, quantityUnitColumn: false,
    styles: all(csv('utf8', '\t')),
  },
  {
    code: 'QT', name: 'QT', filePrefix: 'qt', titleName: '钱塘区', headers: 'en', unitHeader: 'unit',
    dates: 'iso', datetimes: 'iso', numbers: 'plain', bools: '10', wan: false, quantityUnitColumn: true,
    styles: all(csv('utf8')),
  },
  {
    code: 'FY', name: '富阳', filePrefix: '富阳区', titleName: '富阳区', headers: 'zh', unitHeader: '所属单位',
    dates: 'iso', datetimes: 'iso', numbers: 'yuan', bools: 'zh', wan: false, quantityUnitColumn: true,
    // A new dispatch system in 2024 exports trips month by month.
    styles: all(csv('utf8-bom'), { vehicle_trips: { ...csv('utf8-bom'), granularity: 'year', monthlyFrom: '2024-01' } }),
  },
  {
    code: 'LA', name: "Lin'an", filePrefix: 'linan', titleName: '临安区', headers: 'zh-alt', unitHeader: '填报单位',
    dates: 'slash', datetimes: 'slash', numbers: 'plain', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all({ format: 'json' }),
  },
  {
    code: 'TL', name: '桐庐县', filePrefix: '桐庐县', titleName: '桐庐县', headers: 'zh', unitHeader: '区县',
    dates: 'cn', datetimes: 'iso', numbers: 'fullwidth', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all(csv('gbk')),
  },
  {
    code: 'CA', name: '淳安', filePrefix: '淳安县', titleName: '淳安县', headers: 'zh', unitHeader: '区县',
    dates: 'excel', datetimes: 'excel', numbers: 'plain', bools: 'zh', wan: false, quantityUnitColumn: true,
    styles: all(csv('utf8-bom'), { vehicle_trips: { ...xlsxTitled, granularity: 'year' } }),
  },
  {
    code: 'JD', name: '建德市', filePrefix: '建德市', titleName: '建德市', headers: 'zh-alt', unitHeader: '单位',
    dates: 'serial', datetimes: 'iso', numbers: 'yuan', bools: 'yn', wan: false, quantityUnitColumn: false,
    styles: all(csv('utf8')),
  },
];

export const PROFILE: Record<string, UnitProfile> = Object.fromEntries(PROFILES.map((p) => [p.code, p]));

/** The table's name in file names and titles. */
export const TABLE_TITLES: Record<TableName, string> = {
  warehouses: '公物仓仓库', pool_transactions: '公物仓业务台账', vehicles: '公务车辆', vehicle_trips: '公务用车出车记录',
  buildings: '办公建筑', energy_readings: '能耗记录', procurement: '政府采购', meetings: '会议',
};

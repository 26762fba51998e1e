/**
 * The export contract: one declaration per table. Loaders, validation, the contract page, the
 * blank templates, the sample generator and the raw warehouse schema are all derived from this
 * file, so a column is added or renamed here and nowhere else.
 */

export type ColumnType = 'text' | 'int' | 'num' | 'money' | 'date' | 'datetime' | 'date_or_datetime' | 'bool';

/** Physical quantity a numeric column measures; decides which header units are accepted. */
export type Measure = 'money' | 'distance' | 'area' | 'energy' | 'volume' | 'fuel' | 'mass' | 'carbon' | 'duration' | 'pages';

export interface EnumValue {
  /** Canonical value stored in the warehouse. */
  code: string;
  zh: string;
  /** How an English page names it. */
  en: string;
  /** Further spellings accepted from exports (besides code and zh). */
  also?: string[];
}

export interface Column {
  name: string;
  type: ColumnType;
  required?: boolean;
  /** Accepted headers besides the canonical name; each is a complete header on its own. */
  aliases: string[];
  zh: string;
  en: string;
  measure?: Measure;
  /** Closed list of accepted values; anything else is quarantined. */
  values?: EnumValue[];
  min?: number;
  max?: number;
  /** Inclusive lower bound, strict otherwise. */
  minInclusive?: boolean;
  /** Example value for templates and docs. */
  example: string;
  /** A date that names a term ahead (a loan's due date) rather than when something happened. */
  term?: boolean;
  /**
   * Whether a cell of this column may be shown on the published site (a quarantined row's
   * example). Unset: see isPublishable — numbers, dates and closed lists are, free text is not.
   */
  publishable?: boolean;
  /**
   * For money: a file whose median amount is below this, under a header that says yuan or no
   * unit, most likely gives 万元 (budgets of 7.17 … 3,060 "yuan"); the load warns.
   */
  wanYuanBelow?: number;
}

/**
 * Whether a column's cells may be published: ids, codes, categories, numbers and dates are;
 * names, free text and anything that may hold a person's name or phone (driver, supplier,
 * purpose, project name) are not.
 */
export function isPublishable(c: Column): boolean {
  return c.publishable ?? (c.type !== 'text' || c.values !== undefined);
}

export interface Table {
  name: string;
  zh: string;
  en: string;
  /** Columns forming the natural key; a duplicate key within a load keeps the first row. */
  key: string[];
  /** Column whose month decides which (unit, month) a row belongs to; dimension tables have none. */
  monthColumn?: string;
  /** Whether the unit column is required (energy readings take the unit from their building). */
  unitRequired: boolean;
  /** Reference to another contract table that must already hold the value. */
  references?: { column: string; table: string; targetColumn: string }[];
  columns: Column[];
  /** Cross-column rules, checked after each column parsed. */
  rules?: RowRule[];
}

export interface RowRule {
  id: string;
  /** Column blamed in the quarantine record. */
  column: string;
  /** SQL boolean over parsed columns that is TRUE when the row is faulty. */
  failsWhen: string;
  /** Reason shown to a district clerk. */
  reason: string;
  /** A limit kept in ref.thresholds (data/reference/thresholds.csv): `{limit}` in failsWhen and reason stands for its value. */
  threshold?: string;
}

/**
 * How far a date may plausibly lie from the load (ref.thresholds, data/reference/thresholds.csv):
 * - `event` (a fact: a trip, a bill, a contract): from January of the unit's first export year
 *   (ref.units.first_export_year) minus `date_past_margin_years`, to the load date plus
 *   `date_future_margin_days`;
 * - `register` (a dimension's date: a vehicle bought, a warehouse opened): from January of
 *   `date_register_earliest_year` to the load date plus `date_future_margin_days`;
 * - `term` (a date ahead, such as a loan's due date): as an event, but up to
 *   `date_term_max_years` after the load date.
 * A date outside its range is quarantined as implausible_date, naming the bound.
 */
export type DateRule = 'event' | 'register' | 'term';

export function dateRule(t: Table, c: Column): DateRule | undefined {
  if (c.type !== 'date' && c.type !== 'datetime' && c.type !== 'date_or_datetime') return undefined;
  if (c.term) return 'term';
  return t.monthColumn ? 'event' : 'register';
}

/** Headers accepted for the organisation unit in every table. */
export const UNIT_ALIASES = ['unit', '单位', '区县', '所属单位', '区县（市）', '填报单位'];

const unitColumn = (required: boolean): Column => ({
  name: 'unit',
  type: 'text',
  required,
  aliases: UNIT_ALIASES.slice(1),
  zh: '单位',
  en: 'Unit (code, Chinese name or pinyin)',
  example: '余杭区',
  publishable: true,
});

const TXN_TYPES: EnumValue[] = [
  { code: 'deposit', zh: '入仓', en: 'Deposit' },
  { code: 'loan', zh: '借用', en: 'Loan' },
  { code: 'return', zh: '归还', en: 'Return' },
  { code: 'transfer', zh: '调剂', en: 'Transfer' },
  { code: 'allocation', zh: '划拨', en: 'Allocation' },
  { code: 'donation', zh: '捐赠', en: 'Donation' },
  { code: 'disposal', zh: '处置', en: 'Disposal' },
];

export const VEHICLE_CLASSES: EnumValue[] = [
  { code: 'sedan', zh: '轿车', en: 'Sedan' },
  { code: 'suv', zh: 'SUV', en: 'SUV', also: ['越野车'] },
  { code: 'mpv', zh: '商务车', en: 'MPV' },
  { code: 'minibus', zh: '中巴', en: 'Minibus' },
  { code: 'bus', zh: '大巴', en: 'Bus' },
];

export const VEHICLE_ENERGY: EnumValue[] = [
  { code: 'gasoline', zh: '汽油', en: 'Gasoline' },
  { code: 'diesel', zh: '柴油', en: 'Diesel' },
  { code: 'bev', zh: '纯电', en: 'Battery electric', also: ['纯电动', '电动'] },
  { code: 'phev', zh: '插电混动', en: 'Plug-in hybrid', also: ['插电式混合动力'] },
  { code: 'hev', zh: '油电混动', en: 'Hybrid', also: ['混合动力'] },
];

export const CARRIERS: EnumValue[] = [
  { code: 'electricity', zh: '电', en: 'Electricity', also: ['电力', '用电'] },
  { code: 'natural_gas', zh: '天然气', en: 'Natural gas', also: ['燃气'] },
  { code: 'water', zh: '水', en: 'Water', also: ['用水'] },
  { code: 'diesel', zh: '柴油', en: 'Diesel' },
  { code: 'pv_generation', zh: '光伏发电', en: 'Solar PV generation', also: ['光伏'] },
];

export const PROCUREMENT_METHODS: EnumValue[] = [
  { code: 'open_tender', zh: '公开招标', en: 'Open tender' },
  { code: 'invited_tender', zh: '邀请招标', en: 'Invited tender' },
  { code: 'competitive_negotiation', zh: '竞争性谈判', en: 'Competitive negotiation' },
  { code: 'competitive_consultation', zh: '竞争性磋商', en: 'Competitive consultation' },
  { code: 'single_source', zh: '单一来源', en: 'Single source' },
  { code: 'inquiry', zh: '询价', en: 'Request for quotation' },
  { code: 'framework_agreement', zh: '框架协议', en: 'Framework agreement' },
  { code: 'e_mall', zh: '电子卖场', en: 'E-mall' },
];

export const CONTRACT: Table[] = [
  {
    name: 'warehouses',
    zh: '公物仓仓库',
    en: 'Asset-pool warehouses',
    key: ['warehouse_id'],
    unitRequired: true,
    columns: [
      { name: 'warehouse_id', type: 'text', required: true, aliases: ['仓库编号'], zh: '仓库编号', en: 'Warehouse id', example: 'WH-YH-01', publishable: true },
      unitColumn(true),
      { name: 'name', type: 'text', required: true, aliases: ['仓库名称'], zh: '仓库名称', en: 'Name', example: '余杭区公物仓' },
      { name: 'area_m2', type: 'num', required: true, measure: 'area', min: 0, aliases: ['面积(平方米)', '仓储面积(平方米)'], zh: '面积(平方米)', en: 'Floor area (m²)', example: '3200' },
      { name: 'kind', type: 'text', aliases: ['类型', '仓库类型'], zh: '仓库类型', en: 'Kind', example: '实体仓',
        values: [{ code: 'physical', zh: '实体仓', en: 'Physical warehouse' }, { code: 'virtual', zh: '共享仓', en: 'Shared (virtual) warehouse', also: ['虚拟仓'] }] },
      { name: 'opened_on', type: 'date', aliases: ['启用日期'], zh: '启用日期', en: 'Opened on', example: '2021-06-01' },
    ],
  },
  {
    name: 'pool_transactions',
    zh: '公物仓业务台账',
    en: 'Asset-pool transactions',
    key: ['txn_id'],
    monthColumn: 'txn_date',
    unitRequired: true,
    references: [{ column: 'warehouse_id', table: 'warehouses', targetColumn: 'warehouse_id' }],
    columns: [
      { name: 'txn_id', type: 'text', required: true, aliases: ['业务编号', '单据编号'], zh: '业务编号', en: 'Transaction id', example: 'GWC-YH-2024-000123', publishable: true },
      unitColumn(true),
      { name: 'warehouse_id', type: 'text', required: true, aliases: ['仓库编号'], zh: '仓库编号', en: 'Warehouse id', example: 'WH-YH-01', publishable: true },
      { name: 'txn_date', type: 'date', required: true, aliases: ['业务日期'], zh: '业务日期', en: 'Date', example: '2024-03-05' },
      { name: 'txn_type', type: 'text', required: true, aliases: ['业务类型'], zh: '业务类型', en: 'Type', values: TXN_TYPES, example: '借用' },
      { name: 'asset_id', type: 'text', aliases: ['资产编号'], zh: '资产编号', en: 'Asset id', example: 'ZC-2019-004512', publishable: true },
      { name: 'asset_category', type: 'text', required: true, aliases: ['资产类别'], zh: '资产类别', en: 'Asset category', example: '办公家具', publishable: true },
      { name: 'asset_name', type: 'text', aliases: ['资产名称'], zh: '资产名称', en: 'Asset name', example: '办公桌' },
      { name: 'quantity', type: 'int', required: true, min: 0, aliases: ['数量'], zh: '数量', en: 'Quantity', example: '4' },
      { name: 'unit_price_new', type: 'money', measure: 'money', min: 0, minInclusive: true, aliases: ['新购参考单价(元)', '参考单价(元)'], zh: '新购参考单价(元)', en: 'New purchase price per item (yuan)', example: '1200' },
      { name: 'original_value', type: 'money', measure: 'money', min: 0, minInclusive: true, aliases: ['资产原值(元)', '原值(元)'], zh: '资产原值(元)', en: 'Original value per item (yuan)', example: '1500' },
      { name: 'from_agency', type: 'text', aliases: ['调出单位', '交回单位'], zh: '调出单位', en: 'From agency', example: '区亚运会筹备办' },
      { name: 'to_agency', type: 'text', aliases: ['调入单位', '使用单位', '借用单位'], zh: '调入单位', en: 'To agency', example: '区数据资源局' },
      { name: 'due_date', type: 'date', term: true, aliases: ['应归还日期', '归还期限'], zh: '应归还日期', en: 'Due date', example: '2024-06-30' },
      { name: 'purpose', type: 'text', aliases: ['用途'], zh: '用途', en: 'Purpose', example: '大型活动' },
    ],
  },
  {
    name: 'vehicles',
    zh: '公务车辆',
    en: 'Official vehicles',
    key: ['vehicle_id'],
    unitRequired: true,
    columns: [
      { name: 'vehicle_id', type: 'text', required: true, aliases: ['车牌号', '车辆编号'], zh: '车牌号', en: 'Vehicle id (plate)', example: '浙A·D12345', publishable: true },
      unitColumn(true),
      { name: 'platform', type: 'text', aliases: ['平台', '车队', '所属平台'], zh: '所属平台', en: 'Platform', example: '余杭区公务用车服务中心' },
      { name: 'vehicle_class', type: 'text', required: true, aliases: ['车型'], zh: '车型', en: 'Class', values: VEHICLE_CLASSES, example: '轿车' },
      { name: 'energy', type: 'text', required: true, aliases: ['能源类型', '燃料类型'], zh: '能源类型', en: 'Energy', values: VEHICLE_ENERGY, example: '纯电' },
      { name: 'seats', type: 'int', min: 0, aliases: ['座位数', '核定座位'], zh: '座位数', en: 'Seats', example: '5' },
      { name: 'acquired_on', type: 'date', aliases: ['购置日期', '登记日期'], zh: '购置日期', en: 'Acquired on', example: '2021-04-12' },
      { name: 'retired_on', type: 'date', aliases: ['报废日期', '处置日期'], zh: '报废日期', en: 'Retired on', example: '' },
    ],
    rules: [
      { id: 'retired_before_acquired', column: 'retired_on', failsWhen: 'retired_on < acquired_on', reason: 'retired_on before acquired_on' },
    ],
  },
  {
    name: 'vehicle_trips',
    zh: '出车记录',
    en: 'Vehicle trips',
    key: ['trip_id'],
    monthColumn: 'depart_at',
    unitRequired: true,
    references: [{ column: 'vehicle_id', table: 'vehicles', targetColumn: 'vehicle_id' }],
    columns: [
      { name: 'trip_id', type: 'text', required: true, aliases: ['出车单号', '派车单号'], zh: '出车单号', en: 'Trip id', example: 'T-2024-0001', publishable: true },
      unitColumn(true),
      { name: 'vehicle_id', type: 'text', required: true, aliases: ['车牌号', '车辆编号'], zh: '车牌号', en: 'Vehicle id (plate)', example: '浙A·D12345', publishable: true },
      { name: 'driver_id', type: 'text', aliases: ['驾驶员编号', '驾驶员'], zh: '驾驶员编号', en: 'Driver id', example: 'D-0231' },
      { name: 'agency', type: 'text', aliases: ['用车单位'], zh: '用车单位', en: 'Agency served', example: '区发改局' },
      { name: 'depart_at', type: 'datetime', required: true, aliases: ['出车时间'], zh: '出车时间', en: 'Departure', example: '2024-03-05 08:30' },
      { name: 'return_at', type: 'datetime', required: true, aliases: ['回车时间', '收车时间'], zh: '回车时间', en: 'Return', example: '2024-03-05 11:45' },
      { name: 'distance_km', type: 'num', measure: 'distance', aliases: ['里程(公里)', '行驶里程(公里)'], zh: '里程(公里)', en: 'Distance (km)', example: '36.5' },
      { name: 'odometer_start', type: 'num', measure: 'distance', aliases: ['起始里程', '出车里程表读数', '上次里程'], zh: '起始里程', en: 'Odometer at departure (km)', example: '' },
      { name: 'odometer_end', type: 'num', measure: 'distance', aliases: ['结束里程', '回车里程表读数', '本次里程'], zh: '结束里程', en: 'Odometer at return (km)', example: '' },
      { name: 'fuel_l', type: 'num', measure: 'fuel', min: 0, minInclusive: true, aliases: ['加油量(升)', '油耗(升)'], zh: '加油量(升)', en: 'Fuel refuelled (L)', example: '' },
      { name: 'charge_kwh', type: 'num', measure: 'energy', min: 0, minInclusive: true, aliases: ['充电量(千瓦时)', '充电量(kWh)'], zh: '充电量(千瓦时)', en: 'Charge (kWh)', example: '12.4' },
      { name: 'cost_yuan', type: 'money', measure: 'money', min: 0, minInclusive: true, aliases: ['费用(元)', '运行费用(元)'], zh: '费用(元)', en: 'Cost (yuan)', example: '28.6' },
      { name: 'purpose', type: 'text', aliases: ['事由', '用车事由'], zh: '用车事由', en: 'Purpose', example: '公务接待' },
      { name: 'passengers', type: 'int', min: 0, minInclusive: true, aliases: ['乘车人数'], zh: '乘车人数', en: 'Passengers', example: '2' },
    ],
    rules: [
      { id: 'no_distance', column: 'distance_km', failsWhen: 'distance_km is null and (odometer_start is null or odometer_end is null)', reason: 'distance_km is missing (give 里程 or both odometer readings)' },
      { id: 'negative_distance', column: 'distance_km', failsWhen: 'coalesce(distance_km, odometer_end - odometer_start) < 0', reason: 'distance_km is negative' },
      { id: 'implausible_distance', column: 'distance_km', threshold: 'vehicle_max_trip_km', failsWhen: 'coalesce(distance_km, odometer_end - odometer_start) > {limit}',
        reason: 'distance_km is over {limit} km for one trip (vehicle_max_trip_km)' },
      { id: 'return_before_depart', column: 'return_at', failsWhen: 'depart_at > return_at', reason: 'depart_at after return_at' },
      { id: 'implausible_duration', column: 'return_at', threshold: 'vehicle_max_trip_days', failsWhen: "return_at > depart_at + to_days(cast({limit} as INTEGER))",
        reason: 'return_at is more than {limit} days after depart_at (vehicle_max_trip_days): a mistyped return date?' },
    ],
  },
  {
    name: 'buildings',
    zh: '办公建筑',
    en: 'Office buildings',
    key: ['building_id'],
    unitRequired: true,
    columns: [
      { name: 'building_id', type: 'text', required: true, aliases: ['建筑编号'], zh: '建筑编号', en: 'Building id', example: 'B-YH-001', publishable: true },
      unitColumn(true),
      { name: 'name', type: 'text', required: true, aliases: ['建筑名称', '楼宇名称'], zh: '建筑名称', en: 'Name', example: '余杭区行政服务中心' },
      { name: 'floor_area_m2', type: 'num', required: true, measure: 'area', min: 0, aliases: ['建筑面积(平方米)'], zh: '建筑面积(平方米)', en: 'Floor area (m²)', example: '12500' },
      { name: 'occupants', type: 'int', required: true, min: 0, aliases: ['用能人数'], zh: '用能人数', en: 'Occupants', example: '420' },
      { name: 'building_type', type: 'text', aliases: ['建筑类型'], zh: '建筑类型', en: 'Building type (default 办公)', example: '办公' },
    ],
  },
  {
    name: 'energy_readings',
    zh: '能耗记录',
    en: 'Energy and water readings',
    key: ['building_id', 'carrier', 'period_start'],
    monthColumn: 'period_start',
    unitRequired: false,
    references: [{ column: 'building_id', table: 'buildings', targetColumn: 'building_id' }],
    columns: [
      { name: 'building_id', type: 'text', required: true, aliases: ['建筑编号'], zh: '建筑编号', en: 'Building id', example: 'B-YH-001', publishable: true },
      unitColumn(false),
      { name: 'carrier', type: 'text', required: true, aliases: ['能源品种', '能源类型'], zh: '能源品种', en: 'Carrier', values: CARRIERS, example: '电' },
      { name: 'period_start', type: 'date_or_datetime', required: true, aliases: ['开始日期', '开始时间', '抄表起始'], zh: '开始日期', en: 'Period start', example: '2024-03-01' },
      { name: 'period_end', type: 'date_or_datetime', aliases: ['结束日期', '结束时间', '抄表截止'], zh: '结束日期', en: 'Period end (a date is inclusive, a datetime exclusive)', example: '2024-03-31' },
      { name: 'quantity', type: 'num', required: true, measure: 'energy', min: 0, minInclusive: true, aliases: ['用量', '用量(千瓦时)', '用量(立方米)', '用量(吨)', '用量(升)'], zh: '用量', en: 'Quantity', example: '18250' },
      { name: 'quantity_unit', type: 'text', aliases: ['计量单位'], zh: '计量单位', en: 'Unit of quantity', example: '千瓦时', publishable: true },
      { name: 'cost_yuan', type: 'money', measure: 'money', min: 0, minInclusive: true, aliases: ['费用(元)', '金额(元)'], zh: '费用(元)', en: 'Cost (yuan)', example: '14600' },
    ],
    rules: [
      { id: 'end_before_start', column: 'period_end', failsWhen: 'period_end < period_start', reason: 'period_end before period_start' },
    ],
  },
  {
    name: 'procurement',
    zh: '政府采购',
    en: 'Government procurement',
    key: ['record_id'],
    monthColumn: 'contracted_on',
    unitRequired: true,
    columns: [
      { name: 'record_id', type: 'text', required: true, aliases: ['采购编号', '项目编号'], zh: '采购编号', en: 'Record id', example: 'CG-YH-2024-0456', publishable: true },
      unitColumn(true),
      { name: 'agency', type: 'text', required: true, aliases: ['采购单位'], zh: '采购单位', en: 'Purchasing agency', example: '区机关事务服务中心' },
      { name: 'project_name', type: 'text', required: true, aliases: ['项目名称'], zh: '项目名称', en: 'Project', example: '办公家具采购' },
      { name: 'category', type: 'text', required: true, aliases: ['品目类型', '采购类别'], zh: '品目类型', en: 'Category',
        values: [{ code: 'goods', zh: '货物', en: 'Goods' }, { code: 'services', zh: '服务', en: 'Services' }, { code: 'works', zh: '工程', en: 'Works' }], example: '货物' },
      { name: 'item_category', type: 'text', aliases: ['品目'], zh: '品目', en: 'Item category', example: '办公家具', publishable: true },
      { name: 'method', type: 'text', required: true, aliases: ['采购方式'], zh: '采购方式', en: 'Method', values: PROCUREMENT_METHODS, example: '电子卖场' },
      { name: 'budget_yuan', type: 'money', required: true, measure: 'money', min: 0, minInclusive: true, aliases: ['预算金额(元)', '预算金额（万元）'], zh: '预算金额(元)', en: 'Budget (yuan)', example: '48000', wanYuanBelow: 1000 },
      { name: 'contract_yuan', type: 'money', measure: 'money', min: 0, minInclusive: true, aliases: ['中标/成交金额(元)', '中标金额(元)', '成交金额(元)', '合同金额(元)'], zh: '中标/成交金额(元)', en: 'Contract amount (yuan)', example: '45200', wanYuanBelow: 1000 },
      { name: 'supplier', type: 'text', aliases: ['供应商', '中标供应商'], zh: '供应商', en: 'Supplier', example: '杭州某某家具有限公司' },
      { name: 'supplier_sme', type: 'bool', aliases: ['是否中小企业'], zh: '是否中小企业', en: 'Supplier is an SME', example: '是' },
      { name: 'quantity', type: 'int', min: 0, minInclusive: true, aliases: ['数量'], zh: '数量', en: 'Quantity', example: '12' },
      { name: 'announced_on', type: 'date', aliases: ['公告日期'], zh: '公告日期', en: 'Announced on', example: '2024-03-01' },
      { name: 'contracted_on', type: 'date', aliases: ['合同签订日期', '签订日期'], zh: '合同签订日期', en: 'Contracted on', example: '2024-03-20' },
    ],
    rules: [
      { id: 'contract_before_announce', column: 'contracted_on', failsWhen: 'contracted_on < announced_on', reason: 'contracted_on before announced_on' },
      // A record is placed in the month of its contract, or, not yet awarded, of its announcement.
      { id: 'no_date', column: 'contracted_on', failsWhen: 'contracted_on is null and announced_on is null', reason: 'no date: neither 合同签订日期 (contracted_on) nor 公告日期 (announced_on) is given, so the record belongs to no month' },
    ],
  },
  {
    name: 'meetings',
    zh: '会议',
    en: 'Meetings (zero-carbon accounting)',
    key: ['meeting_id'],
    monthColumn: 'held_on',
    unitRequired: true,
    columns: [
      { name: 'meeting_id', type: 'text', required: true, aliases: ['会议编号'], zh: '会议编号', en: 'Meeting id', example: 'HY-YH-2024-012', publishable: true },
      unitColumn(true),
      { name: 'name', type: 'text', required: true, aliases: ['会议名称'], zh: '会议名称', en: 'Name', example: '区机关节能工作会议' },
      { name: 'held_on', type: 'date', required: true, aliases: ['会议日期', '召开日期'], zh: '会议日期', en: 'Held on', example: '2024-03-05' },
      { name: 'venue_building_id', type: 'text', aliases: ['会场建筑编号'], zh: '会场建筑编号', en: 'Venue building id', example: 'B-YH-001', publishable: true },
      { name: 'attendees', type: 'int', required: true, min: 0, aliases: ['参会人数'], zh: '参会人数', en: 'Attendees', example: '80' },
      { name: 'duration_h', type: 'num', required: true, measure: 'duration', min: 0, aliases: ['会议时长(小时)'], zh: '会议时长(小时)', en: 'Duration (h)', example: '3' },
      { name: 'venue_kwh', type: 'num', measure: 'energy', min: 0, minInclusive: true, aliases: ['会场用电量(千瓦时)'], zh: '会场用电量(千瓦时)', en: 'Venue electricity (kWh)', example: '' },
      { name: 'travel_km_car', type: 'num', measure: 'distance', min: 0, minInclusive: true, aliases: ['小汽车出行里程(公里)'], zh: '小汽车出行里程(公里)', en: 'Car travel (passenger-km)', example: '420' },
      { name: 'travel_km_transit', type: 'num', measure: 'distance', min: 0, minInclusive: true, aliases: ['公共交通出行里程(公里)'], zh: '公共交通出行里程(公里)', en: 'Public transport (passenger-km)', example: '900' },
      { name: 'travel_km_rail', type: 'num', measure: 'distance', min: 0, minInclusive: true, aliases: ['铁路出行里程(公里)'], zh: '铁路出行里程(公里)', en: 'Rail (passenger-km)', example: '0' },
      { name: 'travel_km_air', type: 'num', measure: 'distance', min: 0, minInclusive: true, aliases: ['航空出行里程(公里)'], zh: '航空出行里程(公里)', en: 'Air (passenger-km)', example: '0' },
      { name: 'printed_pages', type: 'int', measure: 'pages', min: 0, minInclusive: true, aliases: ['打印页数'], zh: '打印页数', en: 'Printed pages', example: '300' },
      { name: 'meals', type: 'int', min: 0, minInclusive: true, aliases: ['用餐人次'], zh: '用餐人次', en: 'Meals', example: '80' },
      { name: 'offset_tco2e', type: 'num', measure: 'carbon', min: 0, minInclusive: true, aliases: ['核销碳减排量', '碳抵消量(吨)'], zh: '核销碳减排量(吨)', en: 'Offsets retired (tCO₂e)', example: '0.5' },
    ],
  },
];

/** Tables by name; no prototype, so a folder called `constructor` names no table. */
export const TABLES: Record<string, Table> = Object.assign(Object.create(null) as Record<string, Table>, Object.fromEntries(CONTRACT.map((t) => [t.name, t])));

export function table(name: string): Table {
  const t = TABLES[name];
  if (!t) throw new Error(`unknown table "${name}" (known: ${CONTRACT.map((c) => c.name).join(', ')})`);
  return t;
}

/** DuckDB type of a contract column in the raw tables. */
export function duckType(c: Column): string {
  switch (c.type) {
    case 'text': return 'VARCHAR';
    case 'int': return 'BIGINT';
    case 'num': return 'DOUBLE';
    case 'money': return 'DECIMAL(18,2)';
    case 'date': return 'DATE';
    case 'datetime': return 'TIMESTAMP';
    case 'date_or_datetime': return 'TIMESTAMP';
    case 'bool': return 'BOOLEAN';
  }
}

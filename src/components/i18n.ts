/**
 * The dashboard's one message catalog and its number and date formats.
 * Chinese is the default; English is chosen by `?lang=en` (remembered in localStorage).
 * Pure apart from reading the URL once: the page-data script and the tests import it in Node.
 */
import { grainOf } from './period.js';

export type Lang = 'zh' | 'en';
export const LANGS: Lang[] = ['zh', 'en'];
export const LANG_STORAGE_KEY = 'steward.lang';

type Messages = Record<string, string>;

const zh: Messages = {
  'site.title': '机关运行成本看板',
  'site.subtitle': '杭州市机关事务管理局',
  'lang.switch': 'English',
  'lang.switchTitle': '切换到英文',
  'nav.overview': '总览',
  'nav.pool': '公物仓',
  'nav.vehicles': '公务用车',
  'nav.energy': '能耗',
  'nav.carbon': '碳排放',
  'nav.procurement': '政府采购',
  'nav.opcost': '运行成本',
  'nav.districts': '区县对标',
  'nav.matrix': '全部单位矩阵',
  'nav.quality': '数据质量',
  'nav.models': '模型',
  'sel.grain': '周期',
  'sel.period': '期间',
  'sel.unit': '单位',
  'sel.kpi': '图表指标',
  'opcost.composition': '运行成本构成',
  'opcost.energy': '能源费用',
  'opcost.vehicles': '车辆费用',
  'opcost.procurement': '货物和服务采购',
  'opcost.note': '公物仓节约的购置经费不从成本中扣减，见上方卡片。',
  'grain.month': '月',
  'grain.quarter': '季度',
  'grain.year': '年',
  'unit.ALL': '全市',
  'card.vsPrevious': '环比',
  'card.vsLastYear': '同比',
  'card.toTarget': '距目标',
  'card.noTarget': '无目标',
  'unit.points': '个百分点',
  'card.noData': '暂无数据',
  'card.better': '向好',
  'card.worse': '变差',
  'card.targetYear': '{year}年目标路径',
  'overview.lede': '每周一看一屏：各项指标的本期值、环比、同比、距目标和近期走势。',
  'overview.lagTitle': '落后于中位数最多的单位',
  'overview.lagNote': '按与同级中位数的相对差距排序（已考虑指标方向：成本和强度越低越好）。',
  'col.unit': '单位',
  'col.area': '领域',
  'col.kpi': '指标',
  'col.value': '数值',
  'col.median': '中位数',
  'col.gapToMedian': '与中位数差距',
  'col.gapToBest': '与最优差距',
  'col.best': '最优单位',
  'col.rank': '排名',
  'col.quartile': '四分位',
  'col.trend': '走势',
  'col.period': '期间',
  'col.yoy': '同比变化',
  'col.count': '数量',
  'col.reason': '原因',
  'col.table': '数据表',
  'col.file': '文件',
  'col.rows': '行数',
  'col.loaded': '已入库',
  'col.quarantined': '隔离',
  'col.read': '读取',
  'col.loadedAt': '入库时间',
  'col.status': '状态',
  'col.example': '示例',
  'col.row': '行号',
  'col.column': '列',
  'col.model': '模型',
  'col.layer': '层',
  'col.description': '说明',
  'col.columns': '列',
  'col.tests': '测试',
  'col.dependsOn': '依赖',
  'col.formula': '公式',
  'col.source': '来源',
  'col.direction': '方向',
  'col.uom': '计量单位',
  'col.factor': '因子',
  'col.year': '年份',
  'col.template': '模板',
  'direction.higher': '越高越好',
  'direction.lower': '越低越好',
  'quartile.1': '第一（最好）',
  'quartile.2': '第二',
  'quartile.3': '第三',
  'quartile.4': '第四（最差）',
  'rank.notRanked': '样本过少，不排名',
  'rank.of': '第 {rank} / {n}',
  'best.tied': '{unit} 等 {n} 个单位',
  'download.csv': '下载 CSV',
  'download.title': '下载本图表的数据（CSV）',
  'empty.list': '暂无记录。',
  'empty.data': '该期间暂无数据。',
  'empty.table': '仓库中尚无此表（{table}），模型运行后将显示。',
  'area.trend': '{kpi}走势',
  'area.targetPath': '目标路径',
  'area.peerMedian': '同级中位数',
  'area.smallMultiples': '各单位{kpi}',
  'area.leaderboard': '{kpi}排行（{period}）',
  'area.cards': '本页指标',
  'area.lists': '待处理清单',
  'list.pool_overdue_loans': '逾期未还的借用',
  'list.pool_missed_reuse': '应先调剂而直接采购',
  'list.vehicle_underused': '低效使用车辆',
  'list.energy_anomalies': '异常建筑月',
  'list.proc_split_groups': '疑似拆分采购组',
  'list.more': '共 {n} 条，显示前 {shown} 条；下载可得全部已发布行。',
  'list.moreOf': '共 {n} 条，页面显示前 {shown} 条；下载含最紧要的 {published} 条。',
  'district.title': '{unit} · 区县对标',
  'district.lede': '{unit}在全部 {n} 个单位中的位置：排名、四分位、与中位数和最优单位的差距及走势。',
  'district.trendNote': '实线为本单位，虚线为同级中位数。',
  'district.unitLine': '本单位',
  'matrix.title': '全部单位 × 指标矩阵',
  'matrix.lede': '颜色表示四分位（深绿最好，深红最差）；灰色为样本过少不排名。',
  'quality.title': '数据质量',
  'quality.lede': '各单位报送的导出文件：入库、隔离原因和本月是否已报送。',
  'quality.loads': '入库记录',
  'quality.quarantine': '隔离行（按原因和单位）',
  'quality.examples': '示例行（已去除个人信息）',
  'quality.freshness': '报送及时性：单位 × 数据表',
  'quality.freshnessNote': '单元格为该单位该表最近的月份；红色表示尚未报送 {month} 的导出。',
  'quality.templates': '空白模板下载',
  'quality.templatesNote': '表头为中文，按导出规范填写后放入 data/inbox/<表名>/。',
  'quality.missing': '未报送',
  'quality.current': '已报送',
  'quality.noLedger': '尚无入库记录。',
  'models.title': '模型',
  'models.lede': '数据仓库中的全部 SQL 模型、列、测试及依赖关系；以及各指标的定义和因子来源。',
  'models.catalog': '模型目录',
  'models.lineage': '依赖关系图',
  'models.kpis': '指标定义',
  'models.factors': '排放因子与折标系数',
  'models.targets': '目标',
  'models.noCatalog': '尚无模型目录（运行 steward docs 生成 data/catalog.json）。',
  'page.pool.lede': '先调剂后购置：借用、调剂、划拨所节约的购置经费，逾期借用和错过的调剂。',
  'page.vehicles.lede': '公务用车平台的出车日利用率、里程、单公里成本和电动化比例。',
  'page.energy.lede': '公共机构单位面积能耗、人均能耗和人均用水，对照“十四五”目标路径。',
  'page.carbon.lede': '范围一、范围二排放及强度；零碳会议的净排放。',
  'page.procurement.lede': '节支率、竞争性采购比例、中小企业份额、供应商集中度和疑似拆分采购。',
  'page.opcost.lede': '机关运行成本 = 能源费用 + 车辆费用 + 货物和服务采购；公物仓节约额单列，不相抵。',
  'footer.built': '数据截至 {asOf}；生成于 {built}。',
  'unitword.wan': '万',
  'unitword.yi': '亿',
  'money.yuan': '元',
  'field.unit_code': '单位',
  'field.meeting_id': '会议编号',
  'field.meeting_name': '会议名称',
  'field.held_on': '会议日期',
  'field.attendees': '参会人数',
  'field.gross_t': '总排放(tCO₂e)',
  'field.offset_t': '抵消(tCO₂e)',
  'field.net_t': '净排放(tCO₂e)',
  'value.electricity': '电',
  'value.natural_gas': '天然气',
  'value.water': '水',
  'value.diesel': '柴油',
  'value.pv_generation': '光伏发电',
  'value.high': '偏高',
  'value.low': '偏低',
  'value.sedan': '轿车',
  'value.suv': 'SUV',
  'value.mpv': '商务车',
  'value.minibus': '中巴',
  'value.bus': '大巴',
  'value.gasoline': '汽油',
  'value.bev': '纯电',
  'value.phev': '插电混动',
  'value.hev': '油电混动',
  'value.overdue': '逾期',
  'value.open': '借出中',
  'value.returned': '已归还',
  'value.loaded': '已入库',
  'value.refused': '已拒收',
  'value.superseded': '已被替换',
  'list.meetings_not_zero_carbon': '未实现零碳的会议',
  'col.adHoc': '不定期报送',
  'field.loan_date': '借出日期',
  'field.project_name': '项目名称',
  'field.missed_reuse_yuan': '错过调剂金额',
  'field.unit_idle_stock': '本单位闲置',
  'field.city_idle_stock': '市级闲置',
  'field.amount': '用量',
  'field.amount_unit': '计量单位',
  'field.prior_year_amount': '上年同月',
  'field.ratio_to_prior_year': '与上年同月之比',
  'field.anomaly': '异常类型',
  'field.total_contract_yuan': '合计金额',
  'field.largest_contract_yuan': '最大单笔',
  'field.lowest_threshold_crossed_yuan': '触及限额',
  'field.warehouse_id': '仓库编号',
  'field.txn_id': '业务编号',
  'field.asset_id': '资产编号',
  'field.asset_category': '资产类别',
  'field.asset_name': '资产名称',
  'field.quantity': '数量',
  'field.to_agency': '借用单位',
  'field.txn_date': '借出日期',
  'field.due_date': '应归还日期',
  'field.days_overdue': '逾期天数',
  'field.value_yuan': '价值',
  'field.record_id': '采购编号',
  'field.agency': '采购单位',
  'field.item_category': '品目',
  'field.contracted_on': '签订日期',
  'field.contract_yuan': '合同金额',
  'field.idle_quantity': '闲置数量',
  'field.vehicle_id': '车牌号',
  'field.vehicle_class': '车型',
  'field.energy': '能源类型',
  'field.period': '期间',
  'field.day_utilisation': '日利用率',
  'field.km': '里程(km)',
  'field.trips': '出车次数',
  'field.building_id': '建筑编号',
  'field.building_name': '建筑名称',
  'field.carrier': '能源品种',
  'field.month': '月份',
  'field.quantity_last_year': '上年同月用量',
  'field.change': '变化',
  'field.kind': '类型',
  'field.group_id': '组编号',
  'field.first_contracted_on': '首笔签订日期',
  'field.last_contracted_on': '末笔签订日期',
  'field.records': '笔数',
  'field.total_yuan': '合计金额',
  'field.threshold_yuan': '限额',
  'field.threshold_id': '限额依据',
};

const en: Messages = {
  'site.title': 'Operating-cost dashboard',
  'site.subtitle': 'Hangzhou Administration of Government Offices',
  'lang.switch': '中文',
  'lang.switchTitle': 'Switch to Chinese',
  'nav.overview': 'Overview',
  'nav.pool': 'Asset pool',
  'nav.vehicles': 'Vehicles',
  'nav.energy': 'Energy',
  'nav.carbon': 'Carbon',
  'nav.procurement': 'Procurement',
  'nav.opcost': 'Operating cost',
  'nav.districts': 'Districts',
  'nav.matrix': 'All-units matrix',
  'nav.quality': 'Data quality',
  'nav.models': 'Models',
  'sel.grain': 'Grain',
  'sel.period': 'Period',
  'sel.unit': 'Unit',
  'sel.kpi': 'KPI charted',
  'opcost.composition': 'Operating cost by component',
  'opcost.energy': 'Energy',
  'opcost.vehicles': 'Vehicles',
  'opcost.procurement': 'Goods and services procured',
  'opcost.note': 'Purchases avoided by the pool are not netted from the cost; see the card above.',
  'grain.month': 'Month',
  'grain.quarter': 'Quarter',
  'grain.year': 'Year',
  'unit.ALL': 'Whole city',
  'card.vsPrevious': 'vs previous',
  'card.vsLastYear': 'vs last year',
  'card.toTarget': 'to target',
  'card.noTarget': 'no target',
  'unit.points': ' pts',
  'card.noData': 'no data',
  'card.better': 'better',
  'card.worse': 'worse',
  'card.targetYear': '{year} target path',
  'overview.lede': 'One screen for Monday: each KPI this period, its change, distance to target and recent trend.',
  'overview.lagTitle': 'Units furthest behind the peer median',
  'overview.lagNote': 'Sorted by relative gap to the median, direction-aware (lower is better for costs and intensities).',
  'col.unit': 'Unit',
  'col.area': 'Area',
  'col.kpi': 'KPI',
  'col.value': 'Value',
  'col.median': 'Median',
  'col.gapToMedian': 'Gap to median',
  'col.gapToBest': 'Gap to best',
  'col.best': 'Best unit',
  'col.rank': 'Rank',
  'col.quartile': 'Quartile',
  'col.trend': 'Trend',
  'col.period': 'Period',
  'col.yoy': 'Change on last year',
  'col.count': 'Count',
  'col.reason': 'Reason',
  'col.table': 'Table',
  'col.file': 'File',
  'col.rows': 'Rows',
  'col.loaded': 'Loaded',
  'col.quarantined': 'Quarantined',
  'col.read': 'Read',
  'col.loadedAt': 'Loaded at',
  'col.status': 'Status',
  'col.example': 'Example',
  'col.row': 'Row',
  'col.column': 'Column',
  'col.model': 'Model',
  'col.layer': 'Layer',
  'col.description': 'Description',
  'col.columns': 'Columns',
  'col.tests': 'Tests',
  'col.dependsOn': 'Depends on',
  'col.formula': 'Formula',
  'col.source': 'Source',
  'col.direction': 'Direction',
  'col.uom': 'Unit of measure',
  'col.factor': 'Factor',
  'col.year': 'Year',
  'col.template': 'Template',
  'direction.higher': 'higher is better',
  'direction.lower': 'lower is better',
  'quartile.1': '1st (best)',
  'quartile.2': '2nd',
  'quartile.3': '3rd',
  'quartile.4': '4th (worst)',
  'rank.notRanked': 'too small to rank',
  'rank.of': '{rank} of {n}',
  'best.tied': '{unit} and {others} more',
  'download.csv': 'Download CSV',
  'download.title': 'Download this chart’s data (CSV)',
  'empty.list': 'Nothing to act on.',
  'empty.data': 'No data for this period.',
  'empty.table': 'The warehouse has no {table} table yet; it appears once the models run.',
  'area.trend': '{kpi}: trend',
  'area.targetPath': 'Target path',
  'area.peerMedian': 'Peer median',
  'area.smallMultiples': '{kpi} by unit',
  'area.leaderboard': '{kpi}: ranking ({period})',
  'area.cards': 'KPIs on this page',
  'area.lists': 'Lists to act on',
  'list.pool_overdue_loans': 'Overdue loans',
  'list.pool_missed_reuse': 'Purchases that missed reuse',
  'list.vehicle_underused': 'Underused vehicles',
  'list.energy_anomalies': 'Anomalous building-months',
  'list.proc_split_groups': 'Possible split purchases',
  'list.more': '{n} rows, first {shown} shown; the download holds every published row.',
  'list.moreOf': '{n} rows, first {shown} shown; the download holds the {published} most urgent.',
  'district.title': '{unit} · benchmark',
  'district.lede': 'Where {unit} stands among all {n} units: rank, quartile, gap to the median and the best, and trend.',
  'district.trendNote': 'Solid line: this unit; dashed: peer median.',
  'district.unitLine': 'This unit',
  'matrix.title': 'All units × KPIs',
  'matrix.lede': 'Colour shows the quartile (dark green best, dark red worst); grey is too small to rank.',
  'quality.title': 'Data quality',
  'quality.lede': 'Exports sent by each unit: loads, quarantine reasons and whether this month has arrived.',
  'quality.loads': 'Loads',
  'quality.quarantine': 'Quarantined rows by reason and unit',
  'quality.examples': 'Example rows (personal data removed)',
  'quality.freshness': 'Freshness: unit × table',
  'quality.freshnessNote': 'Each cell is the latest month loaded; red means the {month} export has not arrived.',
  'quality.templates': 'Blank templates',
  'quality.templatesNote': 'Chinese headers; fill in per the export contract and drop into data/inbox/<table>/.',
  'quality.missing': 'missing',
  'quality.current': 'current',
  'quality.noLedger': 'Nothing loaded yet.',
  'models.title': 'Models',
  'models.lede': 'Every SQL model in the warehouse with its columns, tests and dependencies; each KPI’s definition and factors.',
  'models.catalog': 'Model catalog',
  'models.lineage': 'Lineage',
  'models.kpis': 'KPI definitions',
  'models.factors': 'Emission factors and conversions',
  'models.targets': 'Targets',
  'models.noCatalog': 'No model catalog yet (run steward docs to write data/catalog.json).',
  'page.pool.lede': 'Reuse first, buy second: purchases avoided by loans, transfers and allocations; overdue loans and missed reuse.',
  'page.vehicles.lede': 'Official car platforms: day utilisation, distance, cost per km and the electric share.',
  'page.energy.lede': 'Energy per m², per person and water per person against the 14th Five-Year target path.',
  'page.carbon.lede': 'Scope 1 and 2 emissions and intensities; net emissions of zero-carbon meetings.',
  'page.procurement.lede': 'Savings rate, competitive share, SME share, supplier concentration and possible split purchases.',
  'page.opcost.lede': 'Operating cost = energy + vehicle cost + goods and services procured; pool savings shown beside it, never netted.',
  'footer.built': 'Data as of {asOf}; built {built}.',
  'unitword.wan': '',
  'unitword.yi': '',
  'money.yuan': 'yuan',
  'field.unit_code': 'Unit',
  'field.meeting_id': 'Meeting',
  'field.meeting_name': 'Name',
  'field.held_on': 'Held on',
  'field.attendees': 'Attendees',
  'field.gross_t': 'Gross (tCO₂e)',
  'field.offset_t': 'Offset (tCO₂e)',
  'field.net_t': 'Net (tCO₂e)',
  'value.electricity': 'electricity',
  'value.natural_gas': 'natural gas',
  'value.water': 'water',
  'value.diesel': 'diesel',
  'value.pv_generation': 'PV generation',
  'value.high': 'high',
  'value.low': 'low',
  'value.sedan': 'sedan',
  'value.suv': 'SUV',
  'value.mpv': 'MPV',
  'value.minibus': 'minibus',
  'value.bus': 'bus',
  'value.gasoline': 'petrol',
  'value.bev': 'battery electric',
  'value.phev': 'plug-in hybrid',
  'value.hev': 'hybrid',
  'value.overdue': 'overdue',
  'value.open': 'on loan',
  'value.returned': 'returned',
  'value.loaded': 'loaded',
  'value.refused': 'refused',
  'value.superseded': 'superseded',
  'list.meetings_not_zero_carbon': 'Meetings not yet zero-carbon',
  'col.adHoc': 'sent ad hoc',
  'field.loan_date': 'Lent on',
  'field.project_name': 'Project',
  'field.missed_reuse_yuan': 'Missed reuse',
  'field.unit_idle_stock': 'Idle in own pool',
  'field.city_idle_stock': 'Idle in city pool',
  'field.amount': 'Amount',
  'field.amount_unit': 'Unit of amount',
  'field.prior_year_amount': 'Same month last year',
  'field.ratio_to_prior_year': 'Ratio to last year',
  'field.anomaly': 'Anomaly',
  'field.total_contract_yuan': 'Total',
  'field.largest_contract_yuan': 'Largest record',
  'field.lowest_threshold_crossed_yuan': 'Threshold crossed',
  'field.warehouse_id': 'Warehouse',
  'field.txn_id': 'Transaction',
  'field.asset_id': 'Asset id',
  'field.asset_category': 'Category',
  'field.asset_name': 'Asset',
  'field.quantity': 'Quantity',
  'field.to_agency': 'Borrower',
  'field.txn_date': 'Lent on',
  'field.due_date': 'Due',
  'field.days_overdue': 'Days overdue',
  'field.value_yuan': 'Value',
  'field.record_id': 'Record',
  'field.agency': 'Agency',
  'field.item_category': 'Item category',
  'field.contracted_on': 'Contracted on',
  'field.contract_yuan': 'Contract value',
  'field.idle_quantity': 'Idle in pool',
  'field.vehicle_id': 'Vehicle',
  'field.vehicle_class': 'Class',
  'field.energy': 'Energy',
  'field.period': 'Period',
  'field.day_utilisation': 'Day utilisation',
  'field.km': 'km',
  'field.trips': 'Trips',
  'field.building_id': 'Building',
  'field.building_name': 'Building name',
  'field.carrier': 'Carrier',
  'field.month': 'Month',
  'field.quantity_last_year': 'Same month last year',
  'field.change': 'Change',
  'field.kind': 'Kind',
  'field.group_id': 'Group',
  'field.first_contracted_on': 'First contract',
  'field.last_contracted_on': 'Last contract',
  'field.records': 'Records',
  'field.total_yuan': 'Total',
  'field.threshold_yuan': 'Threshold',
  'field.threshold_id': 'Threshold rule',
};

export const MESSAGES: Record<Lang, Messages> = { zh, en };

function detectLang(): Lang {
  // Only in a browser: the URL wins, then the remembered choice, then Chinese.
  const g = globalThis as { location?: { search: string }; localStorage?: Storage };
  if (!g.location) return 'zh';
  const param = new URLSearchParams(g.location.search).get('lang');
  if (param === 'en' || param === 'zh') return param;
  try {
    const stored = g.localStorage?.getItem(LANG_STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage may be disabled (private mode); the default applies.
  }
  return 'zh';
}

/** The page's language, fixed for the page's lifetime (switching reloads the page). */
export const lang: Lang = detectLang();

/** A message in `l` with `{name}` placeholders filled; a missing key shows itself, never blank. */
export function t(key: string, params: Record<string, string | number> = {}, l: Lang = lang): string {
  const msg = MESSAGES[l][key] ?? MESSAGES.zh[key] ?? key;
  return msg.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export interface KpiMeta {
  kpi_id: string;
  name_zh?: string | null;
  name_en?: string | null;
  unit_of_measure?: string | null;
  direction?: string | null;
  formula?: string | null;
  source?: string | null;
}

/** Fallback names while the warehouse's KPI registry lacks a row (the registry wins). */
const KPI_NAMES: Record<string, [string, string]> = {
  pool_fulfilments: ['公物仓业务笔数', 'Pool fulfilments'],
  pool_cost_avoided_yuan: ['节约购置经费', 'Purchase cost avoided'],
  pool_donated_value_yuan: ['捐赠价值', 'Donated value'],
  pool_overdue_loans: ['逾期借用', 'Overdue loans'],
  pool_turnover: ['周转率', 'Turnover'],
  pool_reuse_first_rate: ['先调剂后购置率', 'Reuse-first rate'],
  pool_missed_reuse_yuan: ['错过调剂金额', 'Missed reuse'],
  vehicle_trips: ['出车次数', 'Trips'],
  vehicle_km: ['行驶里程', 'Distance'],
  vehicle_day_utilisation: ['车辆日利用率', 'Vehicle day utilisation'],
  vehicle_km_per_vehicle_year: ['车均年里程', 'km per vehicle-year'],
  vehicle_cost_per_km: ['单公里成本', 'Cost per km'],
  vehicle_electric_share: ['电动里程占比', 'Electric share of km'],
  vehicle_underused_count: ['低效车辆数', 'Underused vehicles'],
  energy_kgce: ['综合能耗', 'Energy use'],
  energy_kgce_per_m2: ['单位面积能耗', 'Energy per m²'],
  energy_kgce_per_person: ['人均能耗', 'Energy per person'],
  water_m3_per_person: ['人均用水', 'Water per person'],
  electricity_kwh_per_m2: ['单位面积用电', 'Electricity per m²'],
  carbon_scope1_t: ['范围一排放', 'Scope 1 emissions'],
  carbon_scope2_t: ['范围二排放', 'Scope 2 emissions'],
  carbon_total_t: ['碳排放总量', 'Carbon total'],
  carbon_t_per_staff: ['人均碳排放', 'Carbon per staff'],
  carbon_kg_per_m2: ['单位面积碳排放', 'Carbon per m²'],
  meeting_net_tco2e: ['会议净排放', 'Meeting net emissions'],
  meeting_zero_carbon_share: ['零碳会议占比', 'Zero-carbon meeting share'],
  proc_savings_rate: ['采购节支率', 'Procurement savings rate'],
  proc_competitive_share: ['竞争性采购占比', 'Competitive share'],
  proc_single_source_share: ['单一来源占比', 'Single-source share'],
  proc_sme_share: ['中小企业份额', 'SME share'],
  proc_hhi: ['供应商集中度', 'Supplier concentration (HHI)'],
  proc_split_flags: ['疑似拆分采购', 'Possible split purchases'],
  opcost_total_yuan: ['机关运行成本', 'Operating cost'],
  opcost_per_staff_yuan: ['人均运行成本', 'Operating cost per staff'],
};

export function kpiName(id: string, meta?: KpiMeta | null, l: Lang = lang): string {
  const fromRegistry = l === 'zh' ? meta?.name_zh : meta?.name_en;
  return fromRegistry || KPI_NAMES[id]?.[l === 'zh' ? 0 : 1] || id;
}

/** Costs and intensities are better low; the registry's direction wins when it has one. */
export function kpiDirection(id: string, meta?: KpiMeta | null): 'higher' | 'lower' {
  if (meta?.direction === 'higher' || meta?.direction === 'lower') return meta.direction;
  return /(per_m2|per_person|per_staff|per_km|_t$|tco2e|kgce|single_source|hhi|split|overdue|missed|underused|opcost_total)/.test(id) ? 'lower' : 'higher';
}

export type ValueKind = 'money' | 'fraction' | 'count' | 'index' | 'quantity';

export function kpiKind(id: string): ValueKind {
  if (/_yuan$/.test(id)) return 'money';
  if (/(_rate|_share|_utilisation)$/.test(id)) return 'fraction';
  if (/^proc_hhi$/.test(id)) return 'index';
  if (/(fulfilments|trips|overdue_loans|underused_count|split_flags)$/.test(id)) return 'count';
  return 'quantity';
}

/** The unit of measure shown after a quantity (money and fractions carry their own). */
const UOM: Record<string, string> = {
  pool_turnover: '',
  vehicle_km: 'km',
  vehicle_km_per_vehicle_year: 'km',
  vehicle_cost_per_km: '',
  energy_kgce: 'kgce',
  energy_kgce_per_m2: 'kgce/m²',
  energy_kgce_per_person: 'kgce',
  water_m3_per_person: 'm³',
  electricity_kwh_per_m2: 'kWh/m²',
  carbon_scope1_t: 'tCO₂e',
  carbon_scope2_t: 'tCO₂e',
  carbon_total_t: 'tCO₂e',
  carbon_t_per_staff: 'tCO₂e',
  carbon_kg_per_m2: 'kgCO₂/m²',
  meeting_net_tco2e: 'tCO₂e',
};

const locales: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

function grouped(v: number, digits: number, l: Lang): string {
  return v.toLocaleString(locales[l], { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Sensible decimals for a magnitude: 3,773 / 37.7 / 3.77 / 0.377. */
function autoDigits(v: number): number {
  const a = Math.abs(v);
  if (a >= 1000) return 0;
  if (a >= 100) return 1;
  if (a >= 1) return 2;
  return 3;
}

/**
 * Money in yuan: Chinese 3,773.4 万元 / 1.25 亿元 / 860 元; English ¥37.73 million / ¥860.5 thousand.
 * `short` drops the word 元/yuan (axis ticks).
 */
export function formatMoney(yuan: number | null | undefined, l: Lang = lang): string {
  if (yuan === null || yuan === undefined || !Number.isFinite(yuan)) return '—';
  const a = Math.abs(yuan);
  if (l === 'zh') {
    if (a >= 1e8) return `${grouped(yuan / 1e8, 2, l)} 亿元`;
    if (a >= 1e4) return `${grouped(yuan / 1e4, 1, l)} 万元`;
    return `${grouped(yuan, a >= 100 ? 0 : 2, l)} 元`;
  }
  if (a >= 1e6) return `¥${grouped(yuan / 1e6, 2, l)} million`;
  if (a >= 1e4) return `¥${grouped(yuan / 1e3, 1, l)} thousand`;
  return `¥${grouped(yuan, a >= 100 ? 0 : 2, l)}`;
}

/** A plain number, scaled by 万/亿 (zh) or million (en) when large. */
export function formatNumber(v: number | null | undefined, l: Lang = lang, digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (l === 'zh') {
    if (a >= 1e8) return `${grouped(v / 1e8, 2, l)} 亿`;
    if (a >= 1e5) return `${grouped(v / 1e4, 1, l)} 万`;
  } else if (a >= 1e6) {
    return `${grouped(v / 1e6, 2, l)} million`;
  }
  return grouped(v, digits ?? (Number.isInteger(v) ? 0 : autoDigits(v)), l);
}

export function formatPercent(fraction: number | null | undefined, l: Lang = lang, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${grouped(fraction * 100, digits, l)}%`;
}

/** A change as a signed percentage (+3.2% / −1.0%), or in percentage points for shares and rates. */
export function formatChange(fraction: number | null | undefined, l: Lang = lang, { points = false }: { points?: boolean } = {}): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const s = points ? `${grouped(Math.abs(fraction) * 100, 1, l)}${MESSAGES[l]['unit.points']}` : formatPercent(Math.abs(fraction), l);
  // A change that rounds to 0.0% carries no sign (never "−0.0%").
  const shown = Math.round(Math.abs(fraction) * 1000) === 0 ? 0 : fraction;
  return shown > 0 ? `+${s}` : shown < 0 ? `−${s}` : s;
}

/** A KPI value in its own unit, for cards and tables. */
export function formatKpi(id: string, v: number | null | undefined, l: Lang = lang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (kpiKind(id)) {
    case 'money':
      return formatMoney(v, l);
    case 'fraction':
      return formatPercent(v, l);
    case 'count':
      return formatNumber(v, l, 0);
    case 'index':
      return formatNumber(v, l, 0);
    default: {
      const uom = id === 'vehicle_cost_per_km' ? (l === 'zh' ? '元/km' : 'yuan/km') : UOM[id] ?? '';
      const perPerson = /per_person|per_staff/.test(id) ? (l === 'zh' ? '/人' : '/person') : '';
      return `${formatNumber(v, l)}${uom ? ` ${uom}${perPerson}` : ''}`;
    }
  }
}

/** The unit a KPI is measured in, for column and row headers (money in 元/yuan). */
export function kpiUnitLabel(id: string, l: Lang = lang): string {
  const kind = kpiKind(id);
  if (kind === 'money') return l === 'zh' ? '元' : 'yuan';
  if (kind === 'fraction') return '%';
  if (kind === 'count' || kind === 'index') return '';
  if (id === 'vehicle_cost_per_km') return l === 'zh' ? '元/km' : 'yuan/km';
  const perPerson = /per_person|per_staff/.test(id) ? (l === 'zh' ? '/人' : '/person') : '';
  return UOM[id] ? `${UOM[id]}${perPerson}` : '';
}

/** A KPI value without its unit, for dense tables: 120.5万 / 1.20亿 (zh), 120.5k / 1.20m (en). */
export function formatKpiCompact(id: string, v: number | null | undefined, l: Lang = lang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const kind = kpiKind(id);
  if (kind === 'fraction') return formatPercent(v, l);
  const a = Math.abs(v);
  if (l === 'zh') {
    if (a >= 1e8) return `${grouped(v / 1e8, 2, l)}亿`;
    if (a >= 1e4 && (kind === 'money' || a >= 1e5)) return `${grouped(v / 1e4, 1, l)}万`;
  } else {
    if (a >= 1e6) return `${grouped(v / 1e6, 2, l)}m`;
    if (a >= 1e4 && kind === 'money') return `${grouped(v / 1e3, 1, l)}k`;
  }
  return grouped(v, Number.isInteger(v) ? 0 : autoDigits(v), l);
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2024-03 → 2024年3月 / Mar 2024; 2024-Q1 → 2024年第1季度 / Q1 2024; 2024 → 2024年 / 2024. */
export function formatPeriod(period: string, l: Lang = lang): string {
  const grain = grainOf(period);
  const y = period.slice(0, 4);
  if (grain === 'month') {
    const m = Number(period.slice(5));
    return l === 'zh' ? `${y}年${m}月` : `${EN_MONTHS[m - 1]} ${y}`;
  }
  if (grain === 'quarter') return l === 'zh' ? `${y}年第${period.slice(6)}季度` : `${period.slice(5)} ${y}`;
  return l === 'zh' ? `${y}年` : y;
}

/** An ISO date or timestamp as 2024年3月5日 / 5 Mar 2024 (time kept when present). */
export function formatDate(iso: string | null | undefined, l: Lang = lang): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, hh, mm] = m;
  const time = hh ? ` ${hh}:${mm}` : '';
  return l === 'zh' ? `${y}年${Number(mo)}月${Number(d)}日${time}` : `${Number(d)} ${EN_MONTHS[Number(mo) - 1]} ${y}${time}`;
}

export interface UnitMeta {
  unit_code: string;
  name_zh: string;
  name_en: string;
}

/** An enumerated code (carrier, vehicle class, status…) in words; an unknown code shows as is. */
export function valueLabel(code: unknown, l: Lang = lang): string {
  if (typeof code !== 'string') return code === null || code === undefined ? '—' : String(code);
  const key = `value.${code}`;
  return MESSAGES[l][key] ?? code;
}

export function unitName(code: string, units: UnitMeta[] | Record<string, UnitMeta>, l: Lang = lang): string {
  if (code === 'ALL') return t('unit.ALL', {}, l);
  const u = Array.isArray(units) ? units.find((x) => x.unit_code === code) : units[code];
  return u ? (l === 'zh' ? u.name_zh : u.name_en) : code;
}

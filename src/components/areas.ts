/**
 * The dashboard's areas: which KPIs each page shows and which action lists it carries.
 * Shared by the page-data script (what to export) and the pages (what to draw), so a KPI moves
 * between pages by editing this file only. KPI ids are the stable ids of METRICS.md.
 */

export type AreaId = 'pool' | 'vehicles' | 'energy' | 'carbon' | 'procurement' | 'opcost';

export interface ListSource {
  /** Warehouse table (main schema). */
  table: string;
  /** SQL condition choosing the rows to act on. */
  where?: string;
  /**
   * A query instead of a plain table read; `{main}` stands for the warehouse's main schema and
   * `{ref}` for the reference schema. Used when no model holds the list itself.
   */
  sql?: string;
}

export interface ListSpec {
  /** Stable id: names the list's label in the catalog and its download. */
  id: string;
  /** Where the rows come from: the first source whose table exists is used. */
  sources: ListSource[];
  /** Columns to publish when present, in display order; nothing else is ever selected. */
  columns: string[];
  /** SQL order of the rows (most urgent first), over the published columns. */
  order?: string;
}

export interface Area {
  id: AreaId;
  /** Page path without extension. */
  page: string;
  kpis: string[];
  /** The KPI drawn as the page's main trend (with its target path when it has one). */
  lead: string;
  lists: ListSpec[];
}

export const AREAS: Area[] = [
  {
    id: 'pool',
    page: 'pool',
    kpis: ['pool_cost_avoided_yuan', 'pool_fulfilments', 'pool_donated_value_yuan', 'pool_overdue_loans', 'pool_turnover', 'pool_reuse_first_rate', 'pool_missed_reuse_yuan'],
    lead: 'pool_cost_avoided_yuan',
    lists: [
      {
        id: 'pool_overdue_loans',
        sources: [{ table: 'pool_loans', where: "status = 'overdue'" }],
        columns: ['unit_code', 'warehouse_id', 'txn_id', 'asset_id', 'asset_category', 'asset_name', 'quantity', 'to_agency', 'loan_date', 'due_date', 'days_overdue'],
        order: 'days_overdue desc',
      },
      {
        id: 'pool_missed_reuse',
        sources: [{ table: 'pool_missed_reuse' }],
        columns: ['unit_code', 'record_id', 'agency', 'project_name', 'item_category', 'contracted_on', 'quantity', 'missed_reuse_yuan', 'unit_idle_stock', 'city_idle_stock'],
        order: 'missed_reuse_yuan desc',
      },
    ],
  },
  {
    id: 'vehicles',
    page: 'vehicles',
    kpis: ['vehicle_day_utilisation', 'vehicle_trips', 'vehicle_km', 'vehicle_km_per_vehicle_year', 'vehicle_cost_per_km', 'vehicle_electric_share', 'vehicle_underused_count'],
    lead: 'vehicle_day_utilisation',
    lists: [
      {
        id: 'vehicle_underused',
        // Day utilisation per vehicle in the latest quarter, over its reported months, against
        // the threshold of ref.thresholds (METRICS.md: underused vehicle).
        sources: [
          {
            table: 'vehicle_months',
            sql: `with q as (
                    select unit_code, vehicle_id, vehicle_class, energy,
                           left(month::varchar, 4) || '-Q' || ((cast(substr(month::varchar, 6, 2) as integer) + 2) // 3) as period,
                           sum(used_working_days) as used, sum(in_service_working_days) as days, sum(km) as km, sum(trips) as trips
                    from {main}.vehicle_months where is_reported_month group by all)
                  select unit_code, vehicle_id, vehicle_class, energy, period, used / days as day_utilisation, km, trips
                  from q where days > 0 and period = (select max(period) from q) and used / days < coalesce((select value from {ref}.thresholds where threshold_id = 'vehicle_underused_day_utilisation'), 0.5)`,
          },
        ],
        columns: ['unit_code', 'vehicle_id', 'vehicle_class', 'energy', 'period', 'day_utilisation', 'km', 'trips'],
        order: 'day_utilisation asc',
      },
    ],
  },
  {
    id: 'energy',
    page: 'energy',
    kpis: ['energy_kgce_per_m2', 'energy_kgce', 'energy_kgce_per_person', 'water_m3_per_person', 'electricity_kwh_per_m2'],
    lead: 'energy_kgce_per_m2',
    lists: [
      {
        id: 'energy_anomalies',
        sources: [{ table: 'energy_anomalies' }],
        columns: ['unit_code', 'building_id', 'carrier', 'month', 'amount', 'amount_unit', 'prior_year_amount', 'ratio_to_prior_year', 'anomaly'],
        order: 'month desc, ratio_to_prior_year desc',
      },
    ],
  },
  {
    id: 'carbon',
    page: 'carbon',
    kpis: ['carbon_total_t', 'carbon_scope1_t', 'carbon_scope2_t', 'carbon_t_per_staff', 'carbon_kg_per_m2', 'meeting_net_tco2e', 'meeting_zero_carbon_share'],
    lead: 'carbon_total_t',
    lists: [
      {
        id: 'meetings_not_zero_carbon',
        sources: [{ table: 'meeting_emissions', where: 'not is_zero_carbon' }],
        columns: ['unit_code', 'meeting_id', 'meeting_name', 'held_on', 'attendees', 'gross_t', 'offset_t', 'net_t'],
        order: 'net_t desc',
      },
    ],
  },
  {
    id: 'procurement',
    page: 'procurement',
    kpis: ['proc_savings_rate', 'proc_competitive_share', 'proc_single_source_share', 'proc_sme_share', 'proc_hhi', 'proc_split_flags'],
    lead: 'proc_savings_rate',
    lists: [
      {
        id: 'proc_split_groups',
        sources: [{ table: 'proc_split_groups', where: 'is_flagged' }],
        columns: ['unit_code', 'group_id', 'agency', 'item_category', 'first_contracted_on', 'last_contracted_on', 'records', 'total_contract_yuan', 'largest_contract_yuan', 'lowest_threshold_crossed_yuan'],
        order: 'total_contract_yuan desc',
      },
    ],
  },
  {
    id: 'opcost',
    page: 'opcost',
    kpis: ['opcost_per_staff_yuan', 'opcost_total_yuan', 'pool_cost_avoided_yuan'],
    lead: 'opcost_per_staff_yuan',
    lists: [],
  },
];

/** The six KPIs of the overview's cards, in reading order. */
export const HEADLINE_KPIS = [
  'pool_cost_avoided_yuan',
  'vehicle_day_utilisation',
  'energy_kgce_per_m2',
  'carbon_total_t',
  'proc_savings_rate',
  'opcost_per_staff_yuan',
];

/**
 * KPIs the overview's "who lags" table compares across units: rates and per-staff or per-m²
 * figures only, since a total mostly measures a unit's size.
 */
export const LAG_KPIS = [
  'pool_reuse_first_rate',
  'vehicle_day_utilisation',
  'energy_kgce_per_m2',
  'carbon_t_per_staff',
  'proc_savings_rate',
  'opcost_per_staff_yuan',
];

/** Every KPI id of METRICS.md, in area order (the matrix and district pages list them so). */
export const ALL_KPIS: string[] = [...new Set(AREAS.flatMap((a) => a.kpis))];

/**
 * Column names that identify a person. A list or an example row never publishes them, whatever
 * a model or an export calls them; matched against the whole name, case-insensitively.
 */
export const PERSONAL_COLUMN = /(driver|passenger_name|person|phone|mobile|tel(ephone)?$|e-?mail|id_?card|identity|contact|驾驶员|司机|姓名|联系人|电话|手机|邮箱|身份证)/i;

/** Values that look like a mainland mobile number, an e-mail address or a resident ID number. */
export const PERSONAL_VALUE = /(\b1[3-9]\d{9}\b|[\w.+-]+@[\w-]+\.[\w.-]+|\b\d{17}[\dXx]\b)/;

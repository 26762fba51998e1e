-- The KPI registry: one row per kpi_id with its names, unit of measure, direction (which way
-- is better), the formula shown on the dashboard (conventions included) and its sources: the
-- models it comes from and every factor or threshold it uses, rendered from the reference
-- tables with their value, source and year, so an edited factor shows up here too.
with registry as (
    select * from (values
        ('pool_fulfilments', 'pool', '公物仓业务笔数', 'Pool fulfilments', 'transactions', 'higher',
         'Count of pool transactions of type 借用 (loan), 调剂 (transfer) or 划拨 (allocation) in the period, by the transaction''s unit. The published "资产借用等 N 笔" counts these.',
         'pool_fulfilments, pool_unit_months', []::varchar[], false, null),
        ('pool_cost_avoided_yuan', 'pool', '节约购置经费', 'Purchase cost avoided', 'yuan', 'higher',
         'Σ quantity × unit_price_new over fulfilments; where unit_price_new is missing, quantity × original_value (both per item), and the row is counted as valued at original cost (shown beside the value). A fulfilment with neither price avoids 0 and is counted as without value. Returns, deposits and disposals avoid nothing.',
         'pool_fulfilments, pool_unit_months', [], false, null),
        ('pool_donated_value_yuan', 'pool', '捐赠价值', 'Donated value', 'yuan', 'higher',
         'Σ quantity × unit_price_new (else × original_value) over 捐赠 (donation) transactions; reported apart from cost avoided.',
         'pool_unit_months', [], false, null),
        ('pool_overdue_loans', 'pool', '逾期未还借用', 'Overdue loans', 'loans', 'lower',
         'Loans (借用) with due_date before the judging date and no 归还 of the same asset_id by then (a return matches the latest earlier loan of the asset). Judged at the period''s last day, or at the run''s as-of date when earlier. Loans without an asset_id cannot be matched and are listed as untracked in pool_loans, not counted.',
         'pool_loans, int_pool_loans', [], false, null),
        ('pool_turnover', 'pool', '公物仓周转率', 'Pool turnover', 'ratio', 'higher',
         'Fulfilled quantity in the period ÷ average daily stock on hand, where stock = Σ deposits + returns − fulfilments − donations − disposals per warehouse and category, counted from each series'' first transaction up to the as-of date (no opening balance is assumed).',
         'pool_stock_daily, pool_unit_months', [], false, null),
        ('pool_reuse_first_rate', 'pool', '先调剂后购置率', 'Reuse-first rate', 'share', 'higher',
         'Pool fulfilled quantity ÷ (pool fulfilled quantity + procured quantity) over the asset categories the pool handles; procured quantity from awarded goods records of the same item_category, dated by contracted_on; a record without a quantity counts as one item.',
         'pool_reuse_first', [], false, null),
        ('pool_missed_reuse_yuan', 'pool', '应调未调采购金额', 'Missed reuse', 'yuan', 'lower',
         'Σ contract amount of awarded goods procurements of a pool category contracted on a day when the unit''s own warehouses or the city-level warehouses held idle stock of the category (stock at the end of the previous day).',
         'pool_missed_reuse', [], false, null),
        ('vehicle_trips', 'vehicles', '出车次数', 'Trips', 'trips', 'higher',
         'Trips by departure month, attributed to the vehicle''s unit, over the unit''s reported months (months in which its vehicles have at least one trip).',
         'vehicle_unit_months, vehicle_months', [], false, 'vehicles'),
        ('vehicle_km', 'vehicles', '行驶里程', 'Distance driven', 'km', 'higher',
         'Σ distance_km (else odometer_end − odometer_start) by departure month, over the unit''s reported months.',
         'vehicle_unit_months, vehicle_months', [], false, 'vehicles'),
        ('vehicle_day_utilisation', 'vehicles', '车辆出车率（日）', 'Day utilisation', 'share', 'higher',
         'Working vehicle-days with at least one trip ÷ in-service vehicle-working-days, over reported months. A trip marks every day from its depart date to its return date; working days are Monday–Friday minus public holidays plus make-up workdays (ref.holidays); weekend and holiday trip days are counted apart. A vehicle is in service from acquired_on to retired_on, both inclusive.',
         'vehicle_unit_months, vehicle_months, int_calendar_days', [], false, 'vehicles'),
        ('vehicle_km_per_vehicle_year', 'vehicles', '车均年行驶里程', 'Km per vehicle-year', 'km/vehicle-year', 'higher',
         'Σ km ÷ (in-service calendar vehicle-days ÷ 365), over reported months. The FPMR passenger-car anchor is drawn as a reference line.',
         'vehicle_unit_months', ['vehicle_fpmr_car_km_per_year', 'vehicle_fpmr_light_truck_km_per_year'], false, 'vehicles'),
        ('vehicle_cost_per_km', 'vehicles', '每公里运行费用', 'Cost per km', 'yuan/km', 'lower',
         'Σ cost_yuan ÷ Σ distance over trips that record a cost (0 counts as a cost), over reported months.',
         'vehicle_unit_months', [], false, 'vehicles'),
        ('vehicle_electric_share', 'vehicles', '纯电车辆里程占比', 'Electric share of km', 'share', 'higher',
         'km driven by 纯电 (battery-electric) vehicles ÷ all km, over reported months; hybrids count as fuel vehicles.',
         'vehicle_unit_months', [], false, 'vehicles'),
        ('vehicle_underused_count', 'vehicles', '低效使用车辆数', 'Underused vehicles', 'vehicles', 'lower',
         'Vehicles whose day utilisation over the period''s reported months is below the threshold. Judged over each period at its own grain (the quarter is the defined one; a month or year is judged over itself); vehicles with no in-service working day in the period are not judged.',
         'int_kpi_period_values, vehicle_months', ['vehicle_underused_day_utilisation'], false, 'vehicles'),
        ('energy_kgce', 'energy', '综合能耗', 'Energy use', 'kgce', 'lower',
         'Grid electricity + natural gas + building diesel + the unit''s vehicles'' fuel (gasoline for 汽油 and both hybrids, diesel for 柴油; litres × density), each × its standard-coal factor. Water is not energy; PV generation is not added. A bill spanning months is spread by days; an interval reading belongs to the month it starts in.',
         'energy_unit_months, energy_building_months',
         ['kgce_per_kwh_electricity', 'kgce_per_m3_natural_gas', 'kgce_per_kg_gasoline', 'kgce_per_kg_diesel', 'density_kg_per_l_gasoline', 'density_kg_per_l_diesel'], false, 'buildings'),
        ('energy_kgce_per_m2', 'energy', '单位建筑面积能耗', 'Energy per m²', 'kgce/m²', 'lower',
         'The unit''s kgce (vehicle fuel included, as public-institution statistics count it) ÷ the floor area of its buildings. Defined at year grain; a month or quarter shows its own use over the same area. Every building counts in every period.',
         'energy_unit_months',
         ['kgce_per_kwh_electricity', 'kgce_per_m3_natural_gas', 'kgce_per_kg_gasoline', 'kgce_per_kg_diesel', 'density_kg_per_l_gasoline', 'density_kg_per_l_diesel'], false, 'buildings'),
        ('energy_kgce_per_person', 'energy', '人均综合能耗', 'Energy per person', 'kgce/person', 'lower',
         'The unit''s kgce (vehicle fuel included) ÷ the occupants of its buildings. Defined at year grain; a month or quarter shows its own use over the same occupants.',
         'energy_unit_months',
         ['kgce_per_kwh_electricity', 'kgce_per_m3_natural_gas', 'kgce_per_kg_gasoline', 'kgce_per_kg_diesel', 'density_kg_per_l_gasoline', 'density_kg_per_l_diesel'], false, 'buildings'),
        ('water_m3_per_person', 'energy', '人均用水量', 'Water per person', 'm³/person', 'lower',
         'Water m³ ÷ occupants, over months with water readings (a unit that sends no water data has no value, not zero). Defined at year grain.',
         'energy_unit_months', [], false, 'buildings'),
        ('electricity_kwh_per_m2', 'energy', '单位面积用电量', 'Electricity intensity (EUI)', 'kWh/m²', 'lower',
         'Grid electricity kWh (the 电 carrier; on-site PV generation not added) ÷ floor area, over months with electricity readings. Defined at year grain.',
         'energy_unit_months', [], false, 'buildings'),
        ('carbon_scope1_t', 'carbon', '范围一排放', 'Scope 1 emissions', 'tCO2e', 'lower',
         'Vehicle gasoline and diesel (litres × density × factor), building natural gas (m³ × factor) and building diesel (litres × density × factor).',
         'carbon_unit_months',
         ['vehicle_gasoline', 'vehicle_diesel', 'building_natural_gas', 'building_diesel', 'density_kg_per_l_gasoline', 'density_kg_per_l_diesel'], false, 'buildings'),
        ('carbon_scope2_t', 'carbon', '范围二排放', 'Scope 2 emissions', 'tCO2e', 'lower',
         'Grid electricity kWh (the 电 carrier is bought from the grid, already net of on-site PV, which is never subtracted again) × the grid factor of the data year from the selected series; a year the series has not published uses the latest earlier year (or its first year) and is flagged. Trip charge_kwh is not added (chargers sit behind building meters).',
         'carbon_unit_months, int_grid_factors', [], true, 'buildings'),
        ('carbon_total_t', 'carbon', '碳排放总量', 'Total emissions', 'tCO2e', 'lower',
         'Scope 1 + scope 2. Meeting travel is scope 3 and is kept out of the total.',
         'carbon_unit_months',
         ['vehicle_gasoline', 'vehicle_diesel', 'building_natural_gas', 'building_diesel'], true, 'buildings'),
        ('carbon_t_per_staff', 'carbon', '人均碳排放', 'Emissions per staff', 'tCO2e/person', 'lower',
         'Scope 1 + scope 2 ÷ the unit''s staff headcount (ref.units.staff).',
         'carbon_unit_months, ref.units',
         ['vehicle_gasoline', 'vehicle_diesel', 'building_natural_gas', 'building_diesel'], true, 'buildings'),
        ('carbon_kg_per_m2', 'carbon', '单位面积碳排放', 'Emissions per m²', 'kgCO2e/m²', 'lower',
         '(Scope 1 + scope 2) in kg ÷ floor area. Defined at year grain; tracked against the −7% CO₂/m² target.',
         'carbon_unit_months',
         ['vehicle_gasoline', 'vehicle_diesel', 'building_natural_gas', 'building_diesel'], true, 'buildings'),
        ('meeting_net_tco2e', 'carbon', '会议净排放', 'Meeting net emissions', 'tCO2e', 'lower',
         'Σ over meetings of gross − offset_tco2e, nets kept negative when over-offset. Gross = venue kWh × grid factor of the meeting''s year + car, transit, rail and air passenger-km × their factors + printed pages + meals; a missing venue_kwh is estimated per attendee-hour; missing travel, pages, meals or offset count as 0.',
         'meeting_emissions, int_grid_factors',
         ['travel_car', 'travel_transit', 'travel_rail', 'travel_air', 'printed_page', 'meal', 'meeting_venue_kwh_per_attendee_hour'], true, 'meetings'),
        ('meeting_zero_carbon_share', 'carbon', '零碳会议占比', 'Zero-carbon meeting share', 'share', 'higher',
         'Meetings with net emissions ≤ 0 ÷ all meetings (counts of meetings).',
         'meeting_emissions',
         ['travel_car', 'travel_transit', 'travel_rail', 'travel_air', 'printed_page', 'meal', 'meeting_venue_kwh_per_attendee_hour'], true, 'meetings'),
        ('proc_savings_rate', 'procurement', '节支率', 'Savings rate', 'fraction', 'higher',
         '(Σ budget − Σ contract) ÷ Σ budget over awarded records (with a contract amount), dated by contracted_on. Negative when contracts exceed budgets.',
         'proc_unit_months', [], false, 'records'),
        ('proc_competitive_share', 'procurement', '竞争性采购占比', 'Competitive share', 'share', 'higher',
         'Contract value by 公开招标, 邀请招标, 竞争性谈判, 竞争性磋商, 询价 ÷ all contract value (awarded records, by contracted_on). Framework agreements and the e-mall count as not competitive.',
         'proc_unit_months', [], false, 'records'),
        ('proc_single_source_share', 'procurement', '单一来源占比', 'Single-source share', 'share', 'lower',
         'Contract value by 单一来源 ÷ all contract value (awarded records, by contracted_on).',
         'proc_unit_months', [], false, 'records'),
        ('proc_sme_share', 'procurement', '中小企业份额', 'SME share', 'share', 'higher',
         'Contract value awarded to suppliers marked SME ÷ contract value whose supplier_sme is known.',
         'proc_unit_months', [], false, 'records'),
        ('proc_hhi', 'procurement', '供应商集中度（HHI）', 'Supplier concentration (HHI)', 'HHI', 'lower',
         'Σ (supplier''s share of contract value)² × 10,000 over the period, suppliers identified by trimmed name; records without a supplier are left out. For the city, a supplier''s value is summed across units. Above the threshold is highly concentrated.',
         'proc_supplier_months, int_kpi_period_values', ['proc_hhi_high'], false, 'records'),
        ('proc_split_flags', 'procurement', '疑似拆分采购', 'Possible split purchases', 'groups', 'lower',
         'Flagged groups, in the period of the group''s first record. Per unit, agency and item_category, records in contracted_on order form groups: a group starts at a record and takes every later record within the window (inclusive); a group of two or more is flagged when every contract amount is below a threshold T and their sum reaches T. T: the pre-approval limit and the open-tender threshold for every unit, the city-level decentralised limit for the city level, the district limit for districts and counties; a group counts once. Records without an item_category are not grouped.',
         'proc_split_groups, proc_split_group_records',
         ['proc_split_preapproval', 'proc_split_city_decentralised', 'proc_split_district_decentralised', 'proc_split_open_tender', 'proc_split_window_days'], false, 'records'),
        ('opcost_total_yuan', 'opcost', '机关运行成本', 'Operating cost', 'yuan', 'lower',
         'Energy cost (every reading''s cost_yuan, water included, spread like its quantity) + vehicle cost (trips'' cost_yuan, by the vehicle''s unit and departure month, all months) + contract value of goods and services procured (by contracted_on; works excluded). The pool''s avoided cost is shown beside it, never netted.',
         'opcost_unit_months', [], false, null),
        ('opcost_per_staff_yuan', 'opcost', '人均机关运行成本', 'Operating cost per staff', 'yuan/person', 'lower',
         'Operating cost ÷ the unit''s staff headcount (ref.units.staff).',
         'opcost_unit_months, ref.units', [], false, null)
    ) as t(kpi_id, area, name_zh, name_en, unit_of_measure, direction, formula, models, factor_ids, uses_grid_factor, size_basis)
),

factor_texts as (
    select factor_id as id, factor_id || ' = ' || value || ' ' || unit || ' (' || source || coalesce(', ' || year, '') || ')' as text
    from ref.emission_factors
    union all
    select conversion_id, conversion_id || ' = ' || value || ' ' || unit || coalesce(' ' || nullif(convention, ''), '') || ' (' || source || coalesce(', ' || year, '') || ')'
    from ref.energy_conversions
    union all
    select threshold_id, threshold_id || ' = ' || value || ' ' || unit || ' (' || source || ')'
    from ref.thresholds
),

grid as (
    select
        'grid factor series ' || any_value(factor_series) || ': '
            || string_agg(distinct factor_year || ' ' || kgco2_per_kwh || ' kgCO2/kWh (' || factor_source || ')', '; ' order by factor_year || ' ' || kgco2_per_kwh || ' kgCO2/kWh (' || factor_source || ')')
            || coalesce('; fallback used for ' || string_agg(data_year::varchar, ', ' order by data_year) filter (where factor_is_fallback), '')
            as text
    from int_grid_factors
),

factor_lists as (
    select registry.kpi_id, string_agg(factor_texts.text, '; ' order by factor_texts.id) as factors
    from registry
    cross join unnest(registry.factor_ids) as f(factor_id)
    join factor_texts on factor_texts.id = f.factor_id
    group by registry.kpi_id
),

final as (
    select
        registry.kpi_id,
        registry.name_zh,
        registry.name_en,
        registry.unit_of_measure,
        registry.direction,
        registry.formula,
        'models: ' || registry.models
            || coalesce('; factors: ' || factor_lists.factors, '')
            || case when registry.uses_grid_factor then coalesce('; ' || grid.text, '; grid factor: none published for the selected series') else '' end
            as source,
        registry.area,
        registry.size_basis
    from registry
    cross join grid
    left join factor_lists using (kpi_id)
)

select * from final

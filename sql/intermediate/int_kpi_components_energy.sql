-- Monthly sums behind the energy and carbon KPIs. Floor area, occupants and staff are stocks:
-- a period divides its use by their day-weighted average over its months, so a month's value
-- is that month's use over the same area (per-m² and per-person KPIs are meant at year grain).
-- Water per person counts months with water readings, electricity intensity months with
-- electricity readings, so a unit that does not report water is not shown as using none.
with energy as (
    select * from energy_unit_months
),

carbon as (
    select * from carbon_unit_months
),

meetings as (
    select * from meeting_emissions
),

units as (
    select * from ref.units
),

month_days as (
    select month, count(*)::double as days from int_calendar_days group by month
),

energy_months as (
    select energy.*, month_days.days
    from energy
    join month_days using (month)
),

carbon_months as (
    select carbon.*, units.staff, month_days.days
    from carbon
    join month_days using (month)
    left join units using (unit_code)
),

final as (
    select 'energy_kgce' as kpi_id, unit_code, month, total_kgce as numerator,
           null::double as denominator, 'none' as denominator_kind, null::double as weight
    from energy_months
    union all
    select 'energy_kgce_per_m2', unit_code, month, total_kgce, floor_area_m2, 'stock', days
    from energy_months
    union all
    select 'energy_kgce_per_person', unit_code, month, total_kgce, occupants, 'stock', days
    from energy_months
    union all
    select 'water_m3_per_person', unit_code, month, water_m3, occupants, 'stock', days
    from energy_months where has_water_readings
    union all
    select 'electricity_kwh_per_m2', unit_code, month, grid_kwh, floor_area_m2, 'stock', days
    from energy_months where has_electricity_readings
    union all
    select 'carbon_scope1_t', unit_code, month, scope1_t, null, 'none', null from carbon_months
    union all
    select 'carbon_scope2_t', unit_code, month, scope2_t, null, 'none', null from carbon_months
    union all
    select 'carbon_total_t', unit_code, month, total_t, null, 'none', null from carbon_months
    union all
    select 'carbon_t_per_staff', unit_code, month, total_t, staff, 'stock', days from carbon_months
    union all
    select 'carbon_kg_per_m2', unit_code, month, total_t * 1000, floor_area_m2, 'stock', days from carbon_months
    union all
    select 'meeting_net_tco2e', unit_code, month, sum(net_t), null, 'none', null
    from meetings group by unit_code, month
    union all
    select 'meeting_zero_carbon_share', unit_code, month, count(*) filter (where is_zero_carbon), count(*), 'flow', null
    from meetings group by unit_code, month
)

select * from final

-- Energy and water per building, carrier and month, with standard coal (kgce) for the energy
-- carriers and, for smart-meter data, the share of the month's hours the intervals cover.
with building_months as (
    select * from int_energy_building_months
),

buildings as (
    select * from stg_buildings
),

factors as (
    select * from int_factors
),

final as (
    select
        building_months.building_id,
        buildings.unit_code,
        building_months.carrier,
        building_months.month,
        building_months.amount,
        building_months.amount_unit,
        case building_months.carrier
            when 'electricity' then building_months.amount * factors.kgce_per_kwh_electricity
            when 'natural_gas' then building_months.amount * factors.kgce_per_m3_natural_gas
            when 'diesel' then building_months.amount * factors.kgce_per_kg_diesel
        end as kgce,
        building_months.cost_yuan,
        building_months.interval_hours,
        least(1.0, building_months.interval_hours
            / (24 * (date_diff('day', building_months.month, (building_months.month + interval 1 month)::date)))) as interval_coverage,
        coalesce(building_months.interval_hours
            < 24 * date_diff('day', building_months.month, (building_months.month + interval 1 month)::date), false) as has_gaps
    from building_months
    join buildings using (building_id)
    cross join factors
)

select * from final

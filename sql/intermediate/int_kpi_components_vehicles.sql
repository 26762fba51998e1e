-- Monthly sums behind the vehicle KPIs, over reported months only (vehicle_unit_months holds
-- nothing else), so a quarter or year is computed over the months the unit reported.
-- Vehicle-years are in-service calendar days ÷ 365.
with unit_months as (
    select * from vehicle_unit_months
),

final as (
    select 'vehicle_trips' as kpi_id, unit_code, month, trips::double as numerator,
           null::double as denominator, 'none' as denominator_kind, null::double as weight
    from unit_months
    union all
    select 'vehicle_km', unit_code, month, km, null, 'none', null from unit_months
    union all
    select 'vehicle_day_utilisation', unit_code, month, used_working_vehicle_days, in_service_working_vehicle_days, 'flow', null
    from unit_months
    union all
    select 'vehicle_km_per_vehicle_year', unit_code, month, km, in_service_vehicle_days / 365.0, 'flow', null
    from unit_months
    union all
    select 'vehicle_cost_per_km', unit_code, month, coalesce(cost_yuan, 0), km_with_cost, 'flow', null
    from unit_months
    union all
    select 'vehicle_electric_share', unit_code, month, electric_km, km, 'flow', null from unit_months
)

select * from final

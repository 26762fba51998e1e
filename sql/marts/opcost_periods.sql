-- Operating cost by component (energy, vehicles, goods and services procured) per unit and ALL,
-- rolled up from months to every month, quarter and year: the composition chart's bars.
with unit_months as (
    select * from opcost_unit_months
),

periods as (
    select * from int_month_periods
),

unit_periods as (
    select
        unit_months.unit_code,
        periods.grain,
        periods.period,
        sum(unit_months.energy_cost_yuan order by unit_months.month) as energy_cost_yuan,
        sum(unit_months.vehicle_cost_yuan order by unit_months.month) as vehicle_cost_yuan,
        sum(unit_months.procurement_yuan order by unit_months.month) as procurement_yuan
    from unit_months
    join periods using (month)
    group by all
),

final as (
    select * from unit_periods
    union all
    select
        'ALL', grain, period,
        sum(energy_cost_yuan order by unit_code),
        sum(vehicle_cost_yuan order by unit_code),
        sum(procurement_yuan order by unit_code)
    from unit_periods
    group by all
)

select * from final

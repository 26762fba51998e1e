-- Every KPI value with the inputs behind it, for every unit, ALL and grain.
with rolled_up as (
    select * from kpi_rollup
),

period_values as (
    select kpi_id, unit_code, grain, period, value, null::double as numerator, null::double as denominator, months_counted
    from kpi_period_components
),

final as (
    select * from rolled_up
    union all by name
    select * from period_values
)

select * from final
where value is not null

-- Every KPI value with the inputs behind it, for every unit, ALL and grain.
with rolled_up as (
    select * from int_kpi_rollup
),

period_values as (
    select * from int_kpi_period_values
),

final as (
    select * from rolled_up
    union all by name
    select * from period_values
)

select * from final
where value is not null

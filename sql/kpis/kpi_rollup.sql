-- Monthly sums rolled up to month, quarter and year for every unit and for the whole city
-- (ALL), ratios recomputed from the sums at each grain, never averaged. A stock denominator
-- (floor area, occupants, staff, average pool stock) is averaged over the period's months,
-- weighted by days, per unit; the city's is the sum of its units'.
-- Sums run in a fixed order (by month, by unit): a sum of doubles depends on the order DuckDB's
-- threads add them in, and a figure must not change in its last digit from one build to the next.
with components as (
    select * from kpi_components
),

periods as (
    select * from int_month_periods
),

unit_periods as (
    select
        components.kpi_id,
        components.unit_code,
        periods.grain,
        periods.period,
        any_value(components.denominator_kind) as denominator_kind,
        sum(components.numerator order by components.month) as numerator,
        case any_value(components.denominator_kind)
            when 'flow' then sum(components.denominator order by components.month)
            when 'stock' then sum(components.denominator * components.weight order by components.month)
                / nullif(sum(components.weight order by components.month) filter (where components.denominator is not null), 0)
        end as denominator,
        count(distinct components.month) as months_counted
    from components
    join periods using (month)
    group by all
),

city_periods as (
    select
        components.kpi_id,
        'ALL' as unit_code,
        periods.grain,
        periods.period,
        count(distinct components.month) as months_counted
    from components
    join periods using (month)
    group by all
),

city_sums as (
    select
        kpi_id,
        'ALL' as unit_code,
        grain,
        period,
        any_value(denominator_kind) as denominator_kind,
        sum(numerator order by unit_code) as numerator,
        sum(denominator order by unit_code) as denominator
    from unit_periods
    group by all
),

city as (
    select city_sums.*, city_periods.months_counted
    from city_sums
    join city_periods using (kpi_id, unit_code, grain, period)
),

combined as (
    select * from unit_periods
    union all by name
    select * from city
),

final as (
    select
        kpi_id,
        unit_code,
        grain,
        period,
        case
            when denominator_kind = 'none' then numerator
            else numerator / nullif(denominator, 0)
        end as value,
        numerator,
        case when denominator_kind <> 'none' then denominator end as denominator,
        months_counted
    from combined
)

select * from final

-- Everything a KPI card says, per KPI, unit (and ALL), grain and period: the value, the change
-- on the previous period (month and quarter only: at year grain it is the change on last year,
-- shown once) and on the same period a year earlier — relative, or in percentage points for a
-- share — whether each change is good news, the target of the period's year, and the unit's
-- standing among its peers. The site formats these columns; it computes none of them.
with results as (
    select * from kpi_results
),

registry as (
    select * from kpis
),

periods as (
    select distinct grain, period, period_start from int_month_periods
),

bench as (
    select * from benchmarks
),

targets as (
    select * from kpi_targets
),

declared_targets as (
    select distinct kpi_id, unit_code from targets
),

valued as (
    select
        results.kpi_id,
        results.unit_code,
        results.grain,
        results.period,
        results.value,
        results.months_counted,
        registry.kind,
        registry.direction,
        registry.target_rule,
        case results.grain
            when 'month' then strftime(periods.period_start - interval 1 month, '%Y-%m')
            when 'quarter' then year(periods.period_start - interval 3 month) || '-Q' || quarter(periods.period_start - interval 3 month)
        end as previous_period,
        cast(year(periods.period_start) - 1 as varchar) || substr(results.period, 5) as last_year_period,
        year(periods.period_start) as year
    from results
    join registry using (kpi_id)
    join periods using (grain, period)
),

compared as (
    select
        valued.*,
        previous.value as previous_value,
        last_year.value as last_year_value
    from valued
    left join results as previous
      on previous.kpi_id = valued.kpi_id and previous.unit_code = valued.unit_code
     and previous.grain = valued.grain and previous.period = valued.previous_period
    left join results as last_year
      on last_year.kpi_id = valued.kpi_id and last_year.unit_code = valued.unit_code
     and last_year.grain = valued.grain and last_year.period = valued.last_year_period
),

changes as (
    select
        compared.*,
        -- A share moves in points (4.1% after 0.9% is +3.2 points, not +356%). A relative change
        -- needs an earlier value of the same sign: from +0.14 to -0.015 t is no percentage.
        case when kind = 'share' then 'points' else 'relative' end as change_unit,
        case
            when kind = 'share' then value - previous_value
            when previous_value <> 0 and value * previous_value >= 0 then (value - previous_value) / abs(previous_value)
        end as change_vs_previous,
        case
            when kind = 'share' then value - last_year_value
            when last_year_value <> 0 and value * last_year_value >= 0 then (value - last_year_value) / abs(last_year_value)
        end as change_vs_last_year
    from compared
),

targeted as (
    select
        changes.*,
        targets.target_id,
        targets.target_for_year,
        targets.is_example as target_is_example,
        -- A path or a total to reach is judged on the year's value so far; a rate on the period's own.
        case
            when targets.target_id is null then null
            when changes.target_rule = 'level' and changes.kind in ('share', 'ratio', 'intensity') then changes.value
            else targets.actual_value
        end as target_compared_value,
        case
            when changes.target_rule = 'none' then 'none'
            when targets.target_id is not null then 'set'
            when declared_targets.kpi_id is not null then 'no_target_this_year'
            else 'not_set_for_unit'
        end as target_state
    from changes
    left join targets
      on targets.kpi_id = changes.kpi_id and targets.unit_code = changes.unit_code and targets.year = changes.year
    left join declared_targets
      on declared_targets.kpi_id = changes.kpi_id and declared_targets.unit_code = changes.unit_code
),

judged as (
    select
        targeted.*,
        case
            when target_compared_value is null or target_for_year is null then null
            when kind = 'share' then target_compared_value - target_for_year
            when target_for_year <> 0 then (target_compared_value - target_for_year) / abs(target_for_year)
        end as target_gap,
        case
            when target_compared_value is null or target_for_year is null then null
            when direction = 'lower' then target_compared_value <= target_for_year
            else target_compared_value >= target_for_year
        end as target_met
    from targeted
),

final as (
    select
        judged.kpi_id,
        judged.unit_code,
        judged.grain,
        judged.period,
        judged.value,
        judged.months_counted,
        case when judged.grain <> 'year' then judged.previous_period end as previous_period,
        case when judged.grain <> 'year' then judged.previous_value end as previous_value,
        case when judged.grain <> 'year' then judged.change_vs_previous end as change_vs_previous,
        judged.last_year_period,
        judged.last_year_value,
        judged.change_vs_last_year,
        judged.change_unit,
        -- Good or bad news, direction-aware; a change that shows as 0.0 is neither.
        case
            when judged.grain = 'year' or judged.change_vs_previous is null or abs(judged.change_vs_previous) < 0.0005 then null
            else (judged.change_vs_previous > 0) = (judged.direction = 'higher')
        end as previous_is_better,
        case
            when judged.change_vs_last_year is null or abs(judged.change_vs_last_year) < 0.0005 then null
            else (judged.change_vs_last_year > 0) = (judged.direction = 'higher')
        end as last_year_is_better,
        judged.target_state,
        judged.year as target_year,
        judged.target_for_year as target_value,
        judged.target_compared_value,
        -- What was judged: the year so far (a path, or a total to reach) or the period itself (a rate).
        case
            when judged.target_compared_value is null then null
            when judged.target_rule = 'level' and judged.kind in ('share', 'ratio', 'intensity') then 'period'
            else 'year'
        end as target_basis,
        judged.target_gap,
        judged.target_met,
        judged.target_is_example,
        bench.rank,
        bench.ranked_units,
        bench.quartile,
        bench.too_small_to_rank,
        bench.rank_withheld,
        bench.units_all_equal,
        bench.peer_median,
        bench.best_unit,
        bench.best_value,
        bench.gap_to_median,
        bench.gap_to_best,
        bench.behind_median
    from judged
    left join bench using (kpi_id, unit_code, grain, period)
)

select * from final

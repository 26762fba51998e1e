-- What changed and what needs attention, per unit (and ALL), grain and period: the few
-- statements the overview and the briefing lead with, each a row the sentence generator words in
-- the reader's language (src/components/highlights.ts). In order:
--   target   the headline KPI furthest short of its year's target (and the one furthest ahead);
--   change   the KPIs that moved most against the same period last year, any KPI, one per area:
--            the two worst pieces of news and the best one (a share's move in points, measured
--            against its level a year earlier, a level under 20 % counted as 20 %: a share going
--            from 1 % to 2 % is not a doubling);
--   laggard  for the city, the unit furthest behind the peer median on a comparable KPI; for a
--            unit, its own KPI furthest behind the median;
--   quality  export tables some units have not sent up to the period, with how many units;
--   event    events and policies (ref.events) whose dates overlap the period, first: they are the
--            context the figures are read in.
with cards as (
    select * from kpi_cards
),

registry as (
    select * from kpis
),

export_quality as (
    select * from export_quality_periods
),

event_dates as (
    select * from events
),

units as (
    select unit_code from ref.units
    union all
    select 'ALL'
),

periods as (
    select * from dashboard_periods
),

shown as (
    select cards.*, registry.direction, registry.kind, registry.headline, registry.area
    from cards
    join registry using (kpi_id)
    join periods using (grain, period)
),

headline as (
    select * from shown where headline is not null
),

target_candidates as (
    select
        grain, period, unit_code, 'target' as kind, kpi_id, null::varchar as other_unit,
        target_compared_value as value, target_value as reference_value, target_gap as change, change_unit,
        target_met as is_good, null::varchar as table_name, null::integer as units_count, target_basis as basis, target_is_example,
        -- How far short (positive) or ahead (negative), direction-aware, as a fraction of the target.
        case when direction = 'lower' then target_gap else -target_gap end as shortfall
    from headline
    where target_state = 'set' and target_gap is not null
),

targets as (
    select * exclude (shortfall, k), abs(shortfall) as weight from (
        select *, row_number() over (partition by grain, period, unit_code, shortfall > 0 order by abs(shortfall) desc, kpi_id) as k
        from target_candidates
    )
    where k = 1
),

change_candidates as (
    select
        grain, period, unit_code, 'change' as kind, kpi_id, null::varchar as other_unit,
        value, last_year_value as reference_value, change_vs_last_year as change, change_unit,
        last_year_is_better as is_good, null::varchar as table_name, null::integer as units_count, 'period' as basis,
        abs(case when change_unit = 'points' then change_vs_last_year / greatest(abs(last_year_value), 0.2) else change_vs_last_year end) as weight,
        area
    from shown
    where last_year_is_better is not null
),

changes as (
    select * exclude (k, area) from (
        select *, row_number() over (partition by grain, period, unit_code, is_good order by weight desc, kpi_id) as k
        from (
            select *, row_number() over (partition by grain, period, unit_code, is_good, area order by weight desc, kpi_id) as in_area
            from change_candidates
        )
        where in_area = 1
    )
    where k <= case when is_good then 1 else 2 end
),

laggard_candidates as (
    select
        bench.grain, bench.period, 'ALL' as unit_code, 'laggard' as kind, bench.kpi_id, bench.unit_code as other_unit,
        bench.value, bench.peer_median as reference_value, bench.behind_median as change, 'relative' as change_unit,
        false as is_good, null::varchar as table_name, null::integer as units_count, bench.behind_median as weight
    from benchmarks as bench
    join registry using (kpi_id)
    join periods using (grain, period)
    where registry.peer_comparable and bench.behind_median > 0
    union all
    select
        bench.grain, bench.period, bench.unit_code, 'laggard', bench.kpi_id, null,
        bench.value, bench.peer_median, bench.behind_median, 'relative',
        false, null, null, bench.behind_median
    from benchmarks as bench
    join periods using (grain, period)
    where bench.behind_median > 0
),

laggards as (
    select * exclude (k) from (
        select *, row_number() over (partition by grain, period, unit_code order by weight desc, kpi_id, other_unit) as k
        from laggard_candidates
    )
    where k = 1
),

-- A table is late for a period when a unit's latest month in it ends before the period does.
late as (
    select grain, period, table_name, unit_code
    from export_quality
    where is_late and unit_code <> 'ALL'
),

quality as (
    select
        grain, period, 'ALL' as unit_code, 'quality' as kind, null::varchar as kpi_id, null::varchar as other_unit,
        null::double as value, null::double as reference_value, null::double as change, null::varchar as change_unit,
        false as is_good, table_name, count(*)::integer as units_count, count(*)::double as weight
    from late
    group by all
    union all
    select
        grain, period, unit_code, 'quality', null, null, null, null, null, null,
        false, table_name, 1, 1
    from late
),

-- Every unit's statements name the event too: it happened in the whole city.
period_events as (
    select
        periods.grain, periods.period, units.unit_code, 'event' as kind, null::varchar as kpi_id, null::varchar as other_unit,
        null::double as value, null::double as reference_value, null::double as change, null::varchar as change_unit,
        null::boolean as is_good, null::varchar as table_name, null::integer as units_count,
        event_dates.event_id, event_dates.name_zh, event_dates.name_en, event_dates.starts_on, event_dates.ends_on,
        -- Longer overlaps first, as a number of days.
        date_diff('day', greatest(event_dates.starts_on, bounds.period_start), least(event_dates.ends_on + 1, bounds.period_end))::double as weight
    from event_dates
    cross join periods
    join (select distinct grain, period, period_start, period_end from int_month_periods) as bounds using (grain, period)
    cross join units
    where event_dates.starts_on < bounds.period_end and event_dates.ends_on >= bounds.period_start
),

statements as (
    select *, 0 as kind_order from period_events
    union all by name
    select *, 1 as kind_order from targets
    union all by name
    select *, 2 as kind_order from changes
    union all by name
    select *, 3 as kind_order from laggards
    union all by name
    select *, 4 as kind_order from quality
),

final as (
    select
        grain, period, unit_code,
        row_number() over (partition by grain, period, unit_code order by kind_order, is_good, weight desc, kpi_id, table_name, starts_on, event_id) as position,
        kind, kpi_id, other_unit, value, basis, reference_value, change, change_unit, is_good, target_is_example, table_name, units_count,
        event_id, name_zh, name_en, starts_on, ends_on, weight
    from statements
)

select * from final

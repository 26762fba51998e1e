-- Each KPI with a target rule, for each unit (and ALL) and year, against its target from
-- ref.targets:
--   path:  a straight line from the unit's own baseline year (the target's baseline year if the
--          unit has twelve months of the KPI in it, else its first such full year) to
--          baseline × (1 + change) in the target year — the 14th Five-Year targets;
--   level: a value to reach in each year from from_year to to_year; for a count, money or
--          quantity the level is the year's total, for a rate or intensity the value itself.
-- A target row without a unit_code applies to every unit and to the city.
with targets as (
    select * from ref.targets
),

registry as (
    select * from kpis
),

results as (
    select * from kpi_results
),

units as (
    select unit_code from ref.units
    union all
    select 'ALL'
),

unit_targets as (
    select targets.*, units.unit_code as target_unit, registry.target_rule, registry.direction, registry.kind
    from targets
    join registry using (kpi_id)
    join units on targets.unit_code is null or targets.unit_code = '' or targets.unit_code = units.unit_code
    where registry.target_rule <> 'none'
),

year_values as (
    select kpi_id, unit_code, cast(period as integer) as year, value, months_counted
    from results
    where grain = 'year'
),

baselines as (
    select
        unit_targets.target_id,
        unit_targets.target_unit,
        coalesce(
            min(year_values.year) filter (where year_values.year >= unit_targets.baseline_year),
            min(year_values.year)
        ) as baseline_year
    from unit_targets
    join year_values on year_values.kpi_id = unit_targets.kpi_id and year_values.unit_code = unit_targets.target_unit
    where unit_targets.target_rule = 'path' and year_values.months_counted = 12
    group by all
),

paths as (
    select
        unit_targets.*,
        baselines.baseline_year as unit_baseline_year,
        baseline.value as baseline_value,
        baseline.value * (1 + unit_targets.change) as target_value
    from unit_targets
    join baselines using (target_id, target_unit)
    join year_values as baseline
      on baseline.kpi_id = unit_targets.kpi_id
     and baseline.unit_code = unit_targets.target_unit
     and baseline.year = baselines.baseline_year
),

path_years as (
    select
        paths.*,
        unnest(generate_series(paths.unit_baseline_year, greatest(paths.target_year, paths.unit_baseline_year))) as year
    from paths
),

path_rows as (
    select
        kpi_id, target_unit as unit_code, year, target_id, target_rule,
        unit_baseline_year as baseline_year, baseline_value, target_year, target_value,
        case
            when target_year <= unit_baseline_year then target_value
            else baseline_value + (target_value - baseline_value) * (year - unit_baseline_year) / (target_year - unit_baseline_year)
        end as target_for_year,
        change, national_baseline_value, national_baseline_unit, is_example, source, source_zh, direction
    from path_years
),

level_rows as (
    select
        kpi_id, target_unit as unit_code, unnest(generate_series(from_year, to_year)) as year, target_id, target_rule,
        null::integer as baseline_year, null::double as baseline_value, to_year as target_year, level_value as target_value,
        level_value as target_for_year,
        null::double as change, national_baseline_value, national_baseline_unit, is_example, source, source_zh, direction
    from unit_targets
    where target_rule = 'level'
),

all_rows as (
    select * from path_rows
    union all
    select * from level_rows
),

final as (
    select
        all_rows.kpi_id,
        all_rows.unit_code,
        all_rows.year,
        all_rows.target_id,
        all_rows.target_rule,
        all_rows.baseline_year,
        all_rows.baseline_value,
        all_rows.target_year,
        all_rows.target_value,
        all_rows.target_for_year,
        -- Kept under its earlier name: the path's value in the year.
        all_rows.target_for_year as path_value,
        actual.value as actual_value,
        actual.months_counted as actual_months,
        actual.value - all_rows.target_for_year as gap_to_path,
        -- Whether the year so far is on the good side of the year's target.
        case
            when actual.value is null then null
            when all_rows.direction = 'lower' then actual.value <= all_rows.target_for_year
            else actual.value >= all_rows.target_for_year
        end as on_track,
        all_rows.change,
        all_rows.national_baseline_value,
        all_rows.national_baseline_unit,
        all_rows.is_example,
        all_rows.source,
        all_rows.source_zh
    from all_rows
    left join year_values as actual
      on actual.kpi_id = all_rows.kpi_id
     and actual.unit_code = all_rows.unit_code
     and actual.year = all_rows.year
)

select * from final

-- Each unit (and the city) against the national 14th Five-Year targets for public institutions:
-- its own baseline year (the target's baseline year if the unit has building readings in all
-- twelve months of it, else its first such full year), the target value (baseline × (1 + change))
-- and the straight-line path from baseline to target year, with the actual year value beside it.
with targets as (
    select * from ref.targets
),

kpi_values as (
    select * from main.kpi_values
),

energy as (
    select * from energy_unit_months
),

full_years as (
    select unit_code, year(month) as year
    from energy
    where has_building_readings
    group by all
    having count(distinct month) = 12
    union all
    select 'ALL', year(month)
    from energy
    where has_building_readings
    group by all
    having count(distinct month) = 12
),

baselines as (
    select
        full_years.unit_code,
        targets.target_id,
        coalesce(min(full_years.year) filter (where full_years.year >= targets.baseline_year), min(full_years.year)) as baseline_year
    from full_years
    cross join targets
    group by all
),

baseline_values as (
    select
        baselines.unit_code,
        targets.target_id,
        targets.kpi_id,
        baselines.baseline_year,
        targets.baseline_year as national_baseline_year,
        targets.target_year,
        targets.change,
        targets.national_baseline_value,
        targets.national_baseline_unit,
        baseline.value as baseline_value,
        baseline.value * (1 + targets.change) as target_value,
        targets.source
    from baselines
    join targets using (target_id)
    join kpi_values as baseline
      on baseline.kpi_id = targets.kpi_id
     and baseline.unit_code = baselines.unit_code
     and baseline.grain = 'year'
     and baseline.period = cast(baselines.baseline_year as varchar)
),

path_years as (
    select
        baseline_values.*,
        unnest(generate_series(baseline_values.baseline_year, greatest(baseline_values.target_year, baseline_values.baseline_year))) as year
    from baseline_values
),

final as (
    select
        path_years.unit_code,
        path_years.target_id,
        path_years.kpi_id,
        path_years.year,
        path_years.baseline_year,
        path_years.target_year,
        path_years.change,
        path_years.baseline_value,
        path_years.target_value,
        case
            when path_years.target_year <= path_years.baseline_year then path_years.target_value
            else path_years.baseline_value + (path_years.target_value - path_years.baseline_value)
                * (path_years.year - path_years.baseline_year) / (path_years.target_year - path_years.baseline_year)
        end as path_value,
        actual.value as actual_value,
        actual.value - case
            when path_years.target_year <= path_years.baseline_year then path_years.target_value
            else path_years.baseline_value + (path_years.target_value - path_years.baseline_value)
                * (path_years.year - path_years.baseline_year) / (path_years.target_year - path_years.baseline_year)
        end as gap_to_path,
        path_years.national_baseline_value,
        path_years.national_baseline_unit,
        path_years.source
    from path_years
    left join kpi_values as actual
      on actual.kpi_id = path_years.kpi_id
     and actual.unit_code = path_years.unit_code
     and actual.grain = 'year'
     and actual.period = cast(path_years.year as varchar)
)

select * from final

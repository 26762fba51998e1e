-- The grid factor each unit's electricity is counted with, for every data year: units on the
-- deployment's grid (ref.settings grid_region; a blank grid_region counts as it) use the series
-- chosen in grid_factor_series, a unit on another grid uses that grid's own series. Where
-- ref.emission_factors lists no series for a unit's grid, the factor is null and the note says
-- why: its scope-2 carbon is withheld rather than counted with another grid's factor.
with units as (
    select unit_code, nullif(trim(grid_region), '') as grid_region from ref.units
),

settings as (
    select
        max(value) filter (where setting_id = 'grid_factor_series') as series,
        max(value) filter (where setting_id = 'grid_region') as region
    from ref.settings
),

unit_series as (
    select
        units.unit_code,
        coalesce(units.grid_region, settings.region) as grid_region,
        case when units.grid_region is null or units.grid_region = settings.region then settings.series
             else units.grid_region end as factor_series
    from units
    cross join settings
),

data_years as (
    select distinct year(day) as data_year from int_calendar_days
),

grid_factors as (
    select * from int_grid_factors
),

final as (
    select
        unit_series.unit_code,
        data_years.data_year,
        unit_series.grid_region,
        unit_series.factor_series,
        grid_factors.factor_year,
        grid_factors.kgco2_per_kwh,
        grid_factors.factor_id,
        grid_factors.factor_source,
        grid_factors.factor_is_fallback,
        case when grid_factors.kgco2_per_kwh is null
            then 'no grid emission factor for grid ' || coalesce(unit_series.grid_region, '(none)')
                 || ' (series ' || coalesce(unit_series.factor_series, '(none)') || ' is not in ref.emission_factors): scope-2 carbon withheld'
        end as grid_factor_note
    from unit_series
    cross join data_years
    left join grid_factors
        on grid_factors.factor_series = unit_series.factor_series
        and grid_factors.data_year = data_years.data_year
)

select * from final

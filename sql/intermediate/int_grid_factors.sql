-- The grid emission factor for every data year of every series in use: the series chosen in
-- ref.settings (grid_factor_series) for the units on the deployment's grid (grid_region), and the
-- own series of each other grid a unit of ref.units draws from. A year a series has not published
-- takes the latest earlier year (or, before the series starts, its first year) and is flagged, so
-- the dashboard can say so. A grid with no series in ref.emission_factors has no rows here.
with settings as (
    select
        max(value) filter (where setting_id = 'grid_factor_series') as series,
        max(value) filter (where setting_id = 'grid_region') as region
    from ref.settings
),

series_in_use as (
    select series from settings
    union
    select units.grid_region as series
    from ref.units as units
    cross join settings
    where nullif(trim(units.grid_region), '') is not null
      and units.grid_region is distinct from settings.region
),

published as (
    select emission_factors.series, emission_factors.year, emission_factors.value, emission_factors.unit,
           emission_factors.source, emission_factors.source_zh, emission_factors.factor_id
    from ref.emission_factors as emission_factors
    join series_in_use using (series)
    where emission_factors.applies_to = 'electricity' and emission_factors.scope = 2
      and emission_factors.year is not null
),

data_years as (
    select distinct year(day) as data_year from int_calendar_days
),

matched as (
    select
        published.series,
        data_years.data_year,
        coalesce(
            max(published.year) filter (where published.year <= data_years.data_year),
            min(published.year)
        ) as factor_year
    from data_years
    cross join published
    group by published.series, data_years.data_year
),

final as (
    select
        matched.data_year,
        published.series as factor_series,
        matched.factor_year,
        published.value as kgco2_per_kwh,
        published.factor_id,
        published.source as factor_source,
        published.source_zh as factor_source_zh,
        matched.factor_year <> matched.data_year as factor_is_fallback
    from matched
    join published on published.series = matched.series and published.year = matched.factor_year
)

select * from final

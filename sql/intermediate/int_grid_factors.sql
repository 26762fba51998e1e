-- The grid emission factor for every data year, from the series chosen in ref.settings
-- (grid_factor_series). A year the series has not published takes the latest earlier year
-- (or, before the series starts, its first year) and is flagged, so the dashboard can say so.
with settings as (
    select value as series from ref.settings where setting_id = 'grid_factor_series'
),

published as (
    select emission_factors.series, emission_factors.year, emission_factors.value, emission_factors.unit,
           emission_factors.source, emission_factors.source_zh, emission_factors.factor_id
    from ref.emission_factors as emission_factors
    join settings using (series)
    where emission_factors.applies_to = 'electricity' and emission_factors.scope = 2
      and emission_factors.year is not null
),

data_years as (
    select distinct year(day) as data_year from int_calendar_days
),

matched as (
    select
        data_years.data_year,
        coalesce(
            max(published.year) filter (where published.year <= data_years.data_year),
            min(published.year)
        ) as factor_year
    from data_years
    cross join published
    group by data_years.data_year
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
    join published on published.year = matched.factor_year
)

select * from final

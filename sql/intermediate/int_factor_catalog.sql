-- Every factor, conversion and threshold the models use, one row each with its value, unit (in
-- both languages), convention, source (in both languages) and year: what the KPI registry cites
-- and the definitions page lists.
with emission_factors as (
    select * from ref.emission_factors
),

conversions as (
    select * from ref.energy_conversions
),

thresholds as (
    select * from ref.thresholds
),

final as (
    select
        factor_id as id, 'emission_factor' as kind, applies_to, value, unit, coalesce(nullif(unit_zh, ''), unit) as unit_zh,
        null::varchar as convention, source, source_zh, year
    from emission_factors
    union all
    select
        conversion_id, 'energy_conversion', applies_to, value, unit, coalesce(nullif(unit_zh, ''), unit),
        nullif(convention, ''), source, source_zh, year
    from conversions
    union all
    select
        threshold_id, 'threshold', applies_to, value, unit, coalesce(nullif(unit_zh, ''), unit),
        null, source, source_zh, null
    from thresholds
)

select * from final

-- Every factor and threshold the models use, with its value, unit, source (in both languages)
-- and year.
select factor_id as id, 'emission_factor' as kind, applies_to, value, unit, null::varchar as convention, source, source_zh, year
from ref.emission_factors
union all
select conversion_id, 'energy_conversion', applies_to, value, unit, nullif(convention, ''), source, source_zh, year
from ref.energy_conversions
union all
select threshold_id, 'threshold', applies_to, value, unit, null, source, source_zh, null
from ref.thresholds
order by kind, id

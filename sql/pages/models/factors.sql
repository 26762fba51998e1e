-- Every factor and threshold the models use, with its value, unit, source (in both languages)
-- and year.
select id, kind, applies_to, value, unit, unit_zh, convention, source, source_zh, year
from int_factor_catalog
order by kind, id

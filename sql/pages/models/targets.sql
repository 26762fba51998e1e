-- The targets each KPI is judged against, with their source.
select target_id, kpi_id, unit_code, baseline_year, target_year, change, level_value, from_year, to_year,
       national_baseline_value, national_baseline_unit, is_example, source, source_zh
from ref.targets
order by kpi_id, target_id

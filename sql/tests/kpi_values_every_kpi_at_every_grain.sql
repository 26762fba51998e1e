-- severity: warn
-- Every registered KPI has values at month, quarter and year grain (a warning, not an error: a
-- deployment may not yet send every table). Returns the missing (kpi_id, grain) pairs.
with grains as (
    select unnest(['month', 'quarter', 'year']) as grain
),

present as (
    select distinct kpi_id, grain from kpi_values
)

select kpis.kpi_id, grains.grain
from kpis
cross join grains
left join present using (kpi_id, grain)
where present.kpi_id is null
  and exists (select 1 from kpi_values)

-- Every row of ref.targets belongs to a KPI whose declaration has a target rule, and carries what
-- that rule needs: a path its baseline year, target year and change; a level its value and years.
select targets.target_id, targets.kpi_id, kpis.target_rule
from ref.targets as targets
left join kpis using (kpi_id)
where kpis.kpi_id is null
   or kpis.target_rule = 'none'
   or (kpis.target_rule = 'path' and (targets.baseline_year is null or targets.target_year is null or targets.change is null))
   or (kpis.target_rule = 'level' and (targets.level_value is null or targets.from_year is null or targets.to_year is null))

-- Shares and rates that are fractions of a whole (kpis.unit_of_measure = 'share') lie in [0, 1].
select kpi_values.*
from kpi_values
join kpis using (kpi_id)
where kpis.unit_of_measure = 'share'
  and (kpi_values.value < 0 or kpi_values.value > 1)

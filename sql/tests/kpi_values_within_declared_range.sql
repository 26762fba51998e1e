-- Every value lies within the range its KPI declares (a share: 0 to 1; a savings rate: at most 1).
select kpi_values.*, kpis.range_low, kpis.range_high
from kpi_values
join kpis using (kpi_id)
where kpi_values.value < kpis.range_low
   or kpi_values.value > kpis.range_high

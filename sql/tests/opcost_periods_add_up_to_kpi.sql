-- The operating-cost composition shown under the cards adds up to the card's figure
-- (opcost_total_yuan in kpi_values) for every unit, ALL and period.
select periods.unit_code, periods.grain, periods.period,
       periods.energy_cost_yuan + periods.vehicle_cost_yuan + periods.procurement_yuan as components,
       kpi_values.value as kpi_value
from opcost_periods as periods
join kpi_values
  on kpi_values.kpi_id = 'opcost_total_yuan'
 and kpi_values.unit_code = periods.unit_code
 and kpi_values.grain = periods.grain
 and kpi_values.period = periods.period
where abs(periods.energy_cost_yuan + periods.vehicle_cost_yuan + periods.procurement_yuan - kpi_values.value) > 1e-6 * greatest(1, abs(kpi_values.value))

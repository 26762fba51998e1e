-- Operating cost by component, per unit (and ALL) and period (opcost_periods).
select unit_code, grain, period, energy_cost_yuan, vehicle_cost_yuan, procurement_yuan
from opcost_periods
order by unit_code, grain, period

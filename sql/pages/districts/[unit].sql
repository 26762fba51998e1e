-- A unit's benchmark page: every KPI's card figures for the unit, every period the dashboard offers.
select cards.*
from kpi_cards as cards
join kpis using (kpi_id)
join dashboard_periods using (grain, period)
where cards.unit_code = getvariable('unit')
order by kpis.area, kpis.sort_order, cards.kpi_id, cards.grain, cards.period

-- An area page's cards and charts at one grain: every KPI of the area (or shown on it), every
-- unit and period the dashboard offers.
select cards.*
from kpi_cards as cards
join kpis using (kpi_id)
join dashboard_periods using (grain, period)
where (kpis.area = getvariable('area') or list_contains(kpis.also_on, getvariable('area')))
  and cards.grain = getvariable('grain')
order by kpis.sort_order, cards.kpi_id, cards.unit_code, cards.grain, cards.period

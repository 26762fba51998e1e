-- The overview's headline cards at one grain: every unit (and ALL) and period the dashboard
-- offers, for the KPIs declared headline.
select cards.*
from kpi_cards as cards
join kpis using (kpi_id)
join dashboard_periods using (grain, period)
where kpis.headline is not null and cards.grain = getvariable('grain')
order by kpis.headline, cards.unit_code, cards.period

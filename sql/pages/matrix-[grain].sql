-- The all-units matrix at one grain: each unit's value, rank and quartile on every KPI, over the
-- periods the dashboard offers.
select cards.kpi_id, cards.unit_code, cards.period, cards.value, cards.rank, cards.ranked_units, cards.quartile,
       cards.too_small_to_rank, cards.rank_withheld
from kpi_cards as cards
join dashboard_periods using (grain, period)
where cards.unit_code <> 'ALL' and cards.grain = getvariable('grain')
order by cards.kpi_id, cards.unit_code, cards.period

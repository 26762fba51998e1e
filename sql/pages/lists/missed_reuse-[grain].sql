-- One grain's purchases made while the pool held idle stock of the category, largest first, per period of
-- their contract date: the rows behind the missed-reuse card. Thirty per period city-wide and
-- ten per unit, with how many there are in all.
select
    periods.period, missed.unit_code, missed.record_id, missed.agency, missed.project_name,
    missed.item_category, missed.contracted_on, missed.quantity, missed.missed_reuse_yuan,
    missed.unit_idle_stock, missed.city_idle_stock,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from pool_missed_reuse as missed
join int_month_periods as periods using (month)
join dashboard_periods using (grain, period)
where periods.grain = getvariable('grain')
window by_period as (partition by periods.grain, periods.period), by_unit as (partition by periods.grain, periods.period, missed.unit_code)
qualify row_number() over (by_period order by missed.missed_reuse_yuan desc, missed.record_id) <= 15
     or row_number() over (by_unit order by missed.missed_reuse_yuan desc, missed.record_id) <= 5
order by periods.grain, periods.period, missed.missed_reuse_yuan desc, missed.record_id

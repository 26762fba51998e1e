-- One grain's vehicles underused in each period (vehicle_periods.is_underused), least used first: the rows
-- behind the underused-vehicles card. Fifteen per period city-wide and five per unit, with how
-- many there are in all.
select
    period, unit_code, vehicle_id, vehicle_class, energy, day_utilisation, used_working_days,
    in_service_working_days, km, trips,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from vehicle_periods
join dashboard_periods using (grain, period)
where is_underused and grain = getvariable('grain')
window by_period as (partition by grain, period), by_unit as (partition by grain, period, unit_code)
qualify row_number() over (by_period order by day_utilisation, vehicle_id) <= 15
     or row_number() over (by_unit order by day_utilisation, vehicle_id) <= 5
order by grain, period, day_utilisation, vehicle_id

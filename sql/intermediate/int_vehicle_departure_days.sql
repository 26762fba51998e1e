-- One row per vehicle, exporting unit and departure day: that day's trips summed, and the latest
-- return of the trips that left that day. The vehicle models read these rows (about one for every
-- fourteen trips) instead of every trip, so the trips are read once per run, here.
-- Sums keep SQL's null rule: cost_yuan is null when no trip of the day has a cost, as a sum over
-- the trips themselves would be, so summing these rows again gives the same figures.
with trips as (
    select * from stg_vehicle_trips
),

final as (
    select
        vehicle_id,
        reporting_unit_code,
        depart_date,
        max(return_date) as last_return_date,
        count(*) as trips,
        sum(distance_km order by distance_km) as km,
        sum(cost_yuan order by cost_yuan) as cost_yuan,
        sum(distance_km order by distance_km) filter (where cost_yuan is not null) as km_with_cost,
        sum(fuel_l order by fuel_l) as fuel_l,
        sum(charge_kwh order by charge_kwh) as charge_kwh
    from trips
    group by vehicle_id, reporting_unit_code, depart_date
)

select
    *,
    -- The first day of the month, by date arithmetic as in stg_vehicle_trips.
    depart_date - cast(day(depart_date) - 1 as integer) as month
from final

-- Reported months: the months in which a unit's vehicles have at least one loaded trip (by
-- departure). Vehicle KPIs of a quarter or year use these months only.
with departures as (
    select * from int_vehicle_departure_days
),

vehicles as (
    select * from stg_vehicles
),

final as (
    select distinct vehicles.unit_code, departures.month
    from departures
    join vehicles using (vehicle_id)
)

select * from final

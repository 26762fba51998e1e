-- Reported months: the months in which a unit's vehicles have at least one loaded trip (by
-- departure). Vehicle KPIs of a quarter or year use these months only.
with trips as (
    select * from stg_vehicle_trips
),

vehicles as (
    select * from stg_vehicles
),

final as (
    select distinct vehicles.unit_code, trips.month
    from trips
    join vehicles using (vehicle_id)
)

select * from final

-- Trips and km per day, by the unit whose platform sent the export and the vehicle's platform:
-- the published platform figures (e.g. the Asian Games windows) are sums over a date range.
with trips as (
    select * from stg_vehicle_trips
),

vehicles as (
    select * from stg_vehicles
),

final as (
    select
        trips.reporting_unit_code,
        vehicles.platform,
        trips.depart_date,
        count(*) as trips,
        sum(trips.distance_km) as km
    from trips
    left join vehicles using (vehicle_id)
    group by all
)

select * from final

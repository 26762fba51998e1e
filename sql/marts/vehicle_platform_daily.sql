-- Trips and km per day, by the unit whose platform sent the export and the vehicle's platform:
-- the published platform figures (e.g. the Asian Games windows) are sums over a date range.
with departures as (
    select * from int_vehicle_departure_days
),

vehicles as (
    select * from stg_vehicles
),

final as (
    select
        departures.reporting_unit_code,
        vehicles.platform,
        departures.depart_date,
        cast(sum(departures.trips) as bigint) as trips,
        sum(departures.km order by departures.km) as km
    from departures
    left join vehicles using (vehicle_id)
    group by all
)

select * from final

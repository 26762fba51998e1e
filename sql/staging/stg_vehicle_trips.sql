-- Vehicle trips, one row per trip. distance_km is the recorded distance, else the odometer
-- difference (the loader quarantines trips with neither, negative or over vehicle_max_trip_km).
-- unit_code is the unit whose platform sent the export, kept as reporting_unit_code; vehicle
-- KPIs belong to the vehicle's unit instead.
with source as (
    select * from raw.vehicle_trips
),

final as (
    select
        trip_id,
        unit_code as reporting_unit_code,
        vehicle_id,
        driver_id,
        agency,
        depart_at,
        return_at,
        cast(depart_at as date) as depart_date,
        cast(return_at as date) as return_date,
        -- The first day of the month, as date_trunc('month', depart_at)::date gives it, by date
        -- arithmetic: three times cheaper, and every vehicle model groups 10 million trips by it.
        cast(depart_at as date) - cast(day(depart_at) - 1 as integer) as month,
        coalesce(distance_km, odometer_end - odometer_start) as distance_km,
        fuel_l,
        charge_kwh,
        cast(cost_yuan as double) as cost_yuan,
        purpose,
        passengers
    from source
)

select * from final

-- One row per vehicle and month it was in service or driven: in-service days and working days,
-- working days with a trip (only while in service, so utilisation stays within [0, 1]),
-- weekend and holiday days with a trip (counted apart), and the month's trips by departure.
-- is_reported_month says whether the vehicle's unit reported trips that month.
with vehicles as (
    select * from stg_vehicles
),

departures as (
    select * from int_vehicle_departure_days
),

service_days as (
    select * from int_vehicle_service_days
),

trip_days as (
    select * from int_vehicle_trip_days
),

calendar as (
    select * from int_calendar_days
),

reported as (
    select * from int_vehicle_reported_months
),

service as (
    select
        vehicle_id,
        month,
        count(*) as in_service_days,
        count(*) filter (where is_working_day) as in_service_working_days
    from service_days
    group by all
),

usage as (
    select
        trip_days.vehicle_id,
        calendar.month,
        count(*) filter (where calendar.is_working_day and service_days.day is not null) as used_working_days,
        count(*) filter (where not calendar.is_working_day) as used_off_days
    from trip_days
    join calendar using (day)
    left join service_days using (vehicle_id, day)
    group by all
),

driving as (
    select
        vehicle_id,
        month,
        cast(sum(trips) as bigint) as trips,
        sum(km order by km) as km,
        sum(cost_yuan order by cost_yuan) as cost_yuan,
        sum(km_with_cost order by km_with_cost) as km_with_cost,
        coalesce(sum(fuel_l order by fuel_l), 0) as fuel_l,
        coalesce(sum(charge_kwh order by charge_kwh), 0) as charge_kwh
    from departures
    group by all
),

vehicle_month_keys as (
    select vehicle_id, month from service
    union
    select vehicle_id, month from usage
    union
    select vehicle_id, month from driving
),

final as (
    select
        vehicle_month_keys.vehicle_id,
        vehicles.unit_code,
        vehicles.platform,
        vehicles.vehicle_class,
        vehicles.energy,
        vehicles.fuel_type,
        vehicles.is_electric,
        vehicle_month_keys.month,
        reported.month is not null as is_reported_month,
        coalesce(service.in_service_days, 0) as in_service_days,
        coalesce(service.in_service_working_days, 0) as in_service_working_days,
        coalesce(usage.used_working_days, 0) as used_working_days,
        coalesce(usage.used_off_days, 0) as used_off_days,
        coalesce(driving.trips, 0) as trips,
        coalesce(driving.km, 0) as km,
        driving.cost_yuan,
        coalesce(driving.km_with_cost, 0) as km_with_cost,
        coalesce(driving.fuel_l, 0) as fuel_l,
        coalesce(driving.charge_kwh, 0) as charge_kwh
    from vehicle_month_keys
    join vehicles using (vehicle_id)
    left join service using (vehicle_id, month)
    left join usage using (vehicle_id, month)
    left join driving using (vehicle_id, month)
    left join reported on reported.unit_code = vehicles.unit_code and reported.month = vehicle_month_keys.month
)

select * from final

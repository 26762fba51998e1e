-- Days a vehicle was out: a trip marks every day from its depart date to its return date.
-- One row per vehicle and day, however many trips touched it.
-- Trips of one vehicle that left the same day cover, together, that day up to the latest of their
-- returns, so the departure days (int_vehicle_departure_days) are enough: most trips return the
-- day they leave, and only departure days with an overnight trip are spread over their days.
with departures as (
    select * from int_vehicle_departure_days
),

depart_days as (
    select vehicle_id, depart_date as day
    from departures
),

later_days as (
    select
        vehicle_id,
        cast(unnest(generate_series(depart_date + 1, last_return_date, interval 1 day)) as date) as day
    from departures
    where last_return_date > depart_date
),

final as (
    select vehicle_id, day from depart_days
    union
    select vehicle_id, day from later_days
)

select * from final

-- Days a vehicle was out: a trip marks every day from its depart date to its return date.
-- One row per vehicle and day, however many trips touched it.
-- Most trips return the day they leave: their day is the depart date, and only the few trips
-- that stay out overnight are spread over their days.
with trips as (
    select * from stg_vehicle_trips
),

depart_days as (
    select vehicle_id, depart_date as day
    from trips
),

later_days as (
    select
        vehicle_id,
        cast(unnest(generate_series(depart_date + 1, return_date, interval 1 day)) as date) as day
    from trips
    where return_date > depart_date
),

final as (
    select vehicle_id, day from depart_days
    union
    select vehicle_id, day from later_days
)

select * from final

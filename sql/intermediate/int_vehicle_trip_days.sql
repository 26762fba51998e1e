-- Days a vehicle was out: a trip marks every day from its depart date to its return date.
-- One row per vehicle and day, however many trips touched it.
with trips as (
    select * from stg_vehicle_trips
),

final as (
    select distinct
        vehicle_id,
        cast(unnest(generate_series(depart_date, return_date, interval 1 day)) as date) as day
    from trips
)

select * from final

-- Vehicle-days in service: every day from acquired_on to retired_on, both inclusive (no
-- acquired_on: from the start of the calendar; no retired_on: to its end), with the working-day
-- flag. A range join on the calendar, one row per vehicle and day.
with vehicles as (
    select * from stg_vehicles
),

calendar as (
    select * from int_calendar_days
),

final as (
    select
        vehicles.vehicle_id,
        vehicles.unit_code,
        calendar.day,
        calendar.month,
        calendar.is_working_day
    from vehicles
    join calendar
      on calendar.day >= coalesce(vehicles.acquired_on, date '1900-01-01')
     and calendar.day <= coalesce(vehicles.retired_on, date '9999-12-31')
)

select * from final

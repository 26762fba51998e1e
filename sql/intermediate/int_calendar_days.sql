-- One row per day over the whole years the data touches, with the working-day rule:
-- Monday–Friday minus State Council holidays plus make-up workdays (调休), from ref.holidays.
with trips as (
    select min(depart_date) as first_day, max(return_date) as last_day from stg_vehicle_trips
),

pool as (
    select min(txn_date) as first_day, max(txn_date) as last_day from stg_pool_transactions
),

readings as (
    select min(period_start)::date as first_day, max(period_end)::date as last_day from stg_energy_readings
),

procurement as (
    select min(contracted_on) as first_day, max(contracted_on) as last_day from stg_procurement
),

meetings as (
    select min(held_on) as first_day, max(held_on) as last_day from stg_meetings
),

holidays as (
    select * from ref.holidays
),

bounds as (
    select
        make_date(year(coalesce(least(trips.first_day, pool.first_day, readings.first_day, procurement.first_day, meetings.first_day), current_date)), 1, 1) as first_day,
        make_date(year(coalesce(greatest(trips.last_day, pool.last_day, readings.last_day, procurement.last_day, meetings.last_day), current_date)), 12, 31) as last_day
    from trips, pool, readings, procurement, meetings
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as day
    from bounds
),

final as (
    select
        days.day,
        date_trunc('month', days.day)::date as month,
        isodow(days.day) >= 6 as is_weekend,
        holidays.is_off_day as holiday_is_off_day,
        holidays.name as holiday_name,
        case
            when holidays.is_off_day is not null then not holidays.is_off_day
            else isodow(days.day) <= 5
        end as is_working_day
    from days
    left join holidays on holidays.date = days.day
)

select * from final

-- How current each unit's monthly exports are: per export table and unit, the latest month its
-- rows reach, and how many days that month ended before the run's as-of date, judged against
-- ref.thresholds (freshness_warn_days, freshness_error_days). Energy readings count for the last
-- moment they cover (a quarterly bill for October–December is December's data) and belong to
-- their building's unit. Meetings are reported when they happen, not monthly: shown, not judged.
with run_context as (
    select max(as_of) as as_of from meta.run_context
),

thresholds as (
    select
        max(value) filter (where threshold_id = 'freshness_warn_days') as warn_days,
        max(value) filter (where threshold_id = 'freshness_error_days') as error_days
    from ref.thresholds
),

buildings as (
    select building_id, unit_code from stg_buildings
),

latest as (
    select 'pool_transactions' as table_name, unit_code, max(txn_date) as latest_day from stg_pool_transactions group by all
    union all
    select 'vehicle_trips', reporting_unit_code, max(depart_at)::date from stg_vehicle_trips group by all
    union all
    select 'energy_readings', buildings.unit_code, max(readings.period_end - interval 1 second)::date
    from stg_energy_readings as readings
    join buildings using (building_id)
    group by all
    union all
    select 'procurement', unit_code, max(contracted_on) from stg_procurement group by all
    union all
    select 'meetings', unit_code, max(held_on) from stg_meetings group by all
),

final as (
    select
        latest.table_name,
        latest.unit_code,
        date_trunc('month', latest.latest_day)::date as latest_month,
        date_diff('day', last_day(latest.latest_day), run_context.as_of) as age_days,
        latest.table_name <> 'meetings' as is_monthly,
        case
            when latest.table_name = 'meetings' then null
            when date_diff('day', last_day(latest.latest_day), run_context.as_of) > thresholds.error_days then 'error'
            when date_diff('day', last_day(latest.latest_day), run_context.as_of) > thresholds.warn_days then 'warn'
            else 'ok'
        end as level
    from latest
    cross join run_context
    cross join thresholds
    where latest.unit_code is not null and latest.latest_day is not null
)

select * from final

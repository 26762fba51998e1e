-- Readings summed to building, carrier and month, in one unit per carrier (kWh, m3, and kg for
-- diesel: litres × density, tonnes × 1,000). A bill spanning several months is spread over them
-- in proportion to time; an interval (smart-meter) reading belongs to the month it starts in,
-- and its hours are kept to measure the month's coverage.
with readings as (
    select * from stg_energy_readings
),

factors as (
    select * from int_factors
),

normalised as (
    select
        readings.*,
        case
            when readings.carrier = 'diesel' and readings.quantity_unit = 't' then readings.quantity * 1000
            when readings.carrier = 'diesel' then readings.quantity * factors.density_kg_per_l_diesel
            else readings.quantity
        end as amount,
        case
            when readings.carrier in ('electricity', 'pv_generation') then 'kWh'
            when readings.carrier = 'diesel' then 'kg'
            else 'm3'
        end as amount_unit,
        epoch(readings.period_end) - epoch(readings.period_start) as seconds
    from readings
    cross join factors
),

bills as (
    select
        normalised.*,
        cast(unnest(generate_series(
            date_trunc('month', period_start),
            date_trunc('month', greatest(period_start, period_end - interval 1 second)),
            interval 1 month)) as date) as month
    from normalised
    where not is_interval
),

bill_shares as (
    select
        building_id, carrier, amount_unit, month,
        amount * share as amount,
        cost_yuan * share as cost_yuan
    from (
        select
            bills.*,
            case
                when seconds <= 0 then 1.0
                else (epoch(least(period_end, month + interval 1 month)) - epoch(greatest(period_start, month))) / seconds
            end as share
        from bills
    )
),

intervals as (
    select
        building_id, carrier, amount_unit,
        date_trunc('month', period_start)::date as month,
        sum(amount order by amount) as amount,
        sum(cost_yuan order by cost_yuan) as cost_yuan,
        sum(seconds) / 3600.0 as interval_hours
    from normalised
    where is_interval
    group by all
),

combined as (
    select building_id, carrier, amount_unit, month, amount, cost_yuan, null::double as interval_hours from bill_shares
    union all
    select building_id, carrier, amount_unit, month, amount, cost_yuan, interval_hours from intervals
),

final as (
    select
        building_id,
        carrier,
        month,
        any_value(amount_unit) as amount_unit,
        sum(amount order by amount) as amount,
        sum(cost_yuan order by cost_yuan) as cost_yuan,
        sum(interval_hours order by interval_hours) as interval_hours
    from combined
    group by building_id, carrier, month
)

select * from final

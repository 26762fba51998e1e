-- The periods each unit's pool runs in, each with the day its open loans are judged on: the
-- period's last day, or the pool's as-of date when that comes first. From the unit's first pool
-- transaction up to the as-of date.
with periods as (
    select distinct grain, period, period_start, period_end from int_month_periods
),

pool_transactions as (
    select * from stg_pool_transactions
),

as_of as (
    select * from int_pool_as_of
),

pool_first as (
    select unit_code, min(txn_date) as first_txn_date from pool_transactions group by unit_code
),

final as (
    select
        pool_first.unit_code,
        periods.grain,
        periods.period,
        least((periods.period_end - interval 1 day)::date, as_of.as_of_date) as judged_on
    from pool_first
    cross join as_of
    join periods
      on periods.period_end > pool_first.first_txn_date
     and periods.period_start <= as_of.as_of_date
)

select * from final

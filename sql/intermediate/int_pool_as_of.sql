-- The pool's as-of date: the run's as-of date (meta.run_context; by default the last day of the
-- latest month in the raw data). Stock is counted up to it and overdue loans are judged at it
-- (or at a period's end, if earlier).
with run_context as (
    select * from meta.run_context
),

transactions as (
    select * from stg_pool_transactions
),

final as (
    select coalesce(
        (select max(as_of) from run_context),
        (date_trunc('month', max(txn_date)) + interval 1 month - interval 1 day)::date
    ) as as_of_date
    from transactions
)

select * from final

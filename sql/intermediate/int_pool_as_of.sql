-- The pool's as-of date: the last day of the latest month with a pool transaction. Stock is
-- known up to it, and overdue loans are judged at it (or at a period's end, if earlier).
with transactions as (
    select * from stg_pool_transactions
),

final as (
    select (date_trunc('month', max(txn_date)) + interval 1 month - interval 1 day)::date as as_of_date
    from transactions
)

select * from final

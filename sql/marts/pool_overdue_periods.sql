-- Overdue loans per unit (and ALL) and period: loans open and past due at the period's end, or
-- at the pool's as-of date when that comes first. A loan counts for its own unit; untracked loans
-- (no asset_id, so no return can be matched) are listed in pool_loans but never counted.
with periods as (
    select * from int_month_periods
),

loans as (
    select * from int_pool_loans
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

period_bounds as (
    select distinct grain, period, period_start, period_end from periods
),

judged_periods as (
    select
        pool_first.unit_code,
        period_bounds.grain,
        period_bounds.period,
        least((period_bounds.period_end - interval 1 day)::date, as_of.as_of_date) as judged_on
    from pool_first
    cross join as_of
    join period_bounds
      on period_bounds.period_end > pool_first.first_txn_date
     and period_bounds.period_start <= as_of.as_of_date
),

unit_periods as (
    select
        judged_periods.unit_code,
        judged_periods.grain,
        judged_periods.period,
        judged_periods.judged_on,
        count(loans.txn_id) as overdue_loans
    from judged_periods
    left join loans
      on loans.unit_code = judged_periods.unit_code
     and loans.is_tracked
     and loans.loan_date <= judged_periods.judged_on
     and loans.due_date < judged_periods.judged_on
     and (loans.returned_on is null or loans.returned_on > judged_periods.judged_on)
    group by all
),

final as (
    select * from unit_periods
    union all
    select 'ALL', grain, period, max(judged_on), sum(overdue_loans)
    from unit_periods
    group by all
)

select * from final

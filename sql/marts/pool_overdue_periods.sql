-- Overdue loans per unit (and ALL) and period: loans open and past due at the period's end, or
-- at the pool's as-of date when that comes first. A loan counts for its own unit; untracked loans
-- (no asset_id, so no return can be matched) are listed in pool_loans but never counted.
with judged_periods as (
    -- Every period a unit's pool runs in has a count, zero included.
    select * from int_pool_judged_periods
),

overdue as (
    select * from pool_overdue_loan_periods
),

unit_periods as (
    select
        judged_periods.unit_code,
        judged_periods.grain,
        judged_periods.period,
        judged_periods.judged_on,
        count(overdue.txn_id) as overdue_loans
    from judged_periods
    left join overdue using (unit_code, grain, period)
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

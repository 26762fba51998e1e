-- Each loan overdue at a period's judging day, per period (month, quarter, year): the list behind
-- the overdue-loans card. A period is judged on its last day, or on the pool's as-of date when
-- that comes first; a loan is overdue then when it was lent by that day, was due before it and
-- had not come back by it. Untracked loans (no asset_id) are never counted.
with judged_periods as (
    select * from int_pool_judged_periods
),

loans as (
    select * from int_pool_loans
),

final as (
    select
        judged_periods.unit_code,
        judged_periods.grain,
        judged_periods.period,
        judged_periods.judged_on,
        loans.txn_id,
        loans.warehouse_id,
        loans.asset_id,
        loans.asset_category,
        loans.asset_name,
        loans.quantity,
        loans.to_agency,
        loans.loan_date,
        loans.due_date,
        judged_periods.judged_on - loans.due_date as days_overdue
    from judged_periods
    join loans
      on loans.unit_code = judged_periods.unit_code
     and loans.is_tracked
     and loans.loan_date <= judged_periods.judged_on
     and loans.due_date < judged_periods.judged_on
     and (loans.returned_on is null or loans.returned_on > judged_periods.judged_on)
)

select * from final

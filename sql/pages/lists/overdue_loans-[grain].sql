-- One grain's loans overdue at each period's judging day, most overdue first: the rows behind the
-- overdue-loans card (pool_overdue_loan_periods). Fifteen per period city-wide and five per unit,
-- with how many there are in all.
select
    period, unit_code, warehouse_id, txn_id, asset_id, asset_category, asset_name, quantity, to_agency,
    loan_date, due_date, days_overdue,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from pool_overdue_loan_periods
join dashboard_periods using (grain, period)
where grain = getvariable('grain')
window by_period as (partition by grain, period), by_unit as (partition by grain, period, unit_code)
qualify row_number() over (by_period order by days_overdue desc, txn_id) <= 15
     or row_number() over (by_unit order by days_overdue desc, txn_id) <= 5
order by grain, period, days_overdue desc, txn_id

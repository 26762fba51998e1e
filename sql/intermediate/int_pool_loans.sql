-- Each loan (借用) with the date its asset came back: the first return (归还) of the same
-- asset_id on or after the loan date and no later than the asset's next loan. A loan without an
-- asset_id cannot be matched to a return and is marked untracked (shown, never counted overdue).
with transactions as (
    select * from stg_pool_transactions
),

loans as (
    select
        txn_id,
        unit_code,
        warehouse_id,
        txn_date as loan_date,
        asset_id,
        asset_category,
        asset_name,
        quantity,
        to_agency,
        due_date,
        lead(txn_date) over (partition by asset_id order by txn_date, txn_id) as next_loan_date
    from transactions
    where txn_type = 'loan'
),

returns as (
    select asset_id, txn_date as return_date
    from transactions
    where txn_type = 'return' and asset_id is not null
),

matched as (
    select
        loans.txn_id,
        min(returns.return_date) as returned_on
    from loans
    join returns
      on returns.asset_id = loans.asset_id
     and returns.return_date >= loans.loan_date
     and (loans.next_loan_date is null or returns.return_date <= loans.next_loan_date)
    group by loans.txn_id
),

final as (
    select
        loans.* exclude (next_loan_date),
        matched.returned_on,
        loans.asset_id is not null as is_tracked
    from loans
    left join matched using (txn_id)
)

select * from final

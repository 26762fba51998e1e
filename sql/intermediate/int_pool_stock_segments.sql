-- Stock on hand per warehouse and asset category as segments of constant quantity:
-- stock holds from valid_from (inclusive) to valid_to (exclusive; null while it still holds).
-- Stock = Σ deposits + returns − fulfilments − donations − disposals, counted from the first
-- transaction of the warehouse and category (no opening balance is assumed).
with transactions as (
    select * from stg_pool_transactions
),

daily_changes as (
    select unit_code, warehouse_id, asset_category, txn_date, sum(stock_delta) as delta
    from transactions
    group by all
),

running as (
    select
        unit_code,
        warehouse_id,
        asset_category,
        txn_date as valid_from,
        lead(txn_date) over (partition by unit_code, warehouse_id, asset_category order by txn_date) as valid_to,
        sum(delta) over (partition by unit_code, warehouse_id, asset_category order by txn_date
                         rows between unbounded preceding and current row) as stock
    from daily_changes
),

final as (
    select * from running
)

select * from final

-- Pool activity per unit and month: fulfilments and the purchase cost they avoided (with how
-- many were valued at original cost), donations, and the stock-days behind turnover.
with transactions as (
    select * from stg_pool_transactions
),

stock as (
    select * from pool_stock_daily
),

activity as (
    select
        unit_code,
        month,
        count(*) filter (where is_fulfilment) as fulfilments,
        coalesce(sum(quantity) filter (where is_fulfilment), 0) as fulfilled_qty,
        coalesce(sum(quantity * value_per_item) filter (where is_fulfilment), 0) as cost_avoided_yuan,
        count(*) filter (where is_fulfilment and valued_at = 'original_value') as valued_at_original_cost,
        count(*) filter (where is_fulfilment and valued_at is null) as fulfilments_without_value,
        count(*) filter (where is_donation) as donations,
        coalesce(sum(quantity * value_per_item) filter (where is_donation), 0) as donated_value_yuan,
        count(*) as transactions
    from transactions
    group by all
),

unit_daily_stock as (
    select unit_code, month, day, sum(stock) as stock
    from stock
    group by all
),

stock_months as (
    select unit_code, month, sum(stock) as stock_days, count(*) as days_with_stock
    from unit_daily_stock
    group by all
),

final as (
    select
        unit_code,
        month,
        coalesce(activity.transactions, 0) as transactions,
        coalesce(activity.fulfilments, 0) as fulfilments,
        coalesce(activity.fulfilled_qty, 0) as fulfilled_qty,
        coalesce(activity.cost_avoided_yuan, 0) as cost_avoided_yuan,
        coalesce(activity.valued_at_original_cost, 0) as valued_at_original_cost,
        coalesce(activity.fulfilments_without_value, 0) as fulfilments_without_value,
        coalesce(activity.donations, 0) as donations,
        coalesce(activity.donated_value_yuan, 0) as donated_value_yuan,
        coalesce(stock_months.stock_days, 0) as stock_days,
        coalesce(stock_months.days_with_stock, 0) as days_with_stock,
        stock_months.stock_days / nullif(stock_months.days_with_stock, 0) as average_stock
    from activity
    full outer join stock_months using (unit_code, month)
)

select * from final

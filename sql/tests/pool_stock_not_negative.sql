-- severity: warn
-- Stock on hand below zero means the ledger lacks deposits (an opening balance) for the
-- warehouse and category: a data gap to fix at the source, not a KPI error.
select unit_code, warehouse_id, asset_category, min(day) as first_day, min(stock) as lowest_stock
from pool_stock_daily
where stock < 0
group by all

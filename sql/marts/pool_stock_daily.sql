-- Stock on hand per warehouse, asset category and day, from each series' first transaction up
-- to the pool's as-of date. Negative stock means the ledger lacks an opening balance.
with segments as (
    select * from int_pool_stock_segments
),

calendar as (
    select * from int_calendar_days
),

as_of as (
    select * from int_pool_as_of
),

final as (
    select
        segments.unit_code,
        segments.warehouse_id,
        segments.asset_category,
        calendar.day,
        calendar.month,
        segments.stock
    from segments
    cross join as_of
    join calendar
      on calendar.day >= segments.valid_from
     and calendar.day < coalesce(segments.valid_to, as_of.as_of_date + 1)
)

select * from final

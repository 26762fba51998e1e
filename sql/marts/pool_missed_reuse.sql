-- Missed reuse: an awarded goods procurement of a category the pool handles, contracted on a
-- day when the unit's own warehouses, or the city-level warehouses, held idle stock of that
-- category. Stock is taken at the end of the day before the contract was signed.
with procurement as (
    select * from stg_procurement
),

segments as (
    select * from int_pool_stock_segments
),

units as (
    select * from ref.units
),

pool_categories as (
    select distinct asset_category from segments
),

candidates as (
    select procurement.*, procurement.contracted_on - 1 as stock_day
    from procurement
    join pool_categories on pool_categories.asset_category = procurement.item_category
    where procurement.is_awarded and procurement.category = 'goods'
),

-- Idle stock per unit and category as a running total over the days it changes: a segment adds
-- its stock on valid_from and takes it away on valid_to.
stock_changes as (
    select unit_code, asset_category, valid_from as day, stock as delta from segments
    union all
    select unit_code, asset_category, valid_to as day, -stock as delta from segments where valid_to is not null
),

unit_stock as (
    select
        unit_code,
        asset_category,
        day,
        sum(sum(delta)) over (partition by unit_code, asset_category order by day) as stock
    from stock_changes
    group by unit_code, asset_category, day
),

city_stock as (
    select
        stock_changes.asset_category,
        stock_changes.day,
        sum(sum(stock_changes.delta)) over (partition by stock_changes.asset_category order by stock_changes.day) as stock
    from stock_changes
    join units as city on city.unit_code = stock_changes.unit_code and city.kind = 'city'
    group by stock_changes.asset_category, stock_changes.day
),

-- The stock on the day before each contract: the running totals as of that day, found by as-of
-- joins (matching every contract against every segment of its category took seconds).
stock_that_day as (
    select
        candidates.record_id,
        unit_stock.stock as unit_idle_stock,
        city_stock.stock as city_idle_stock
    from candidates
    asof left join unit_stock
      on unit_stock.unit_code = candidates.unit_code
     and unit_stock.asset_category = candidates.item_category
     and unit_stock.day <= candidates.stock_day
    asof left join city_stock
      on city_stock.asset_category = candidates.item_category
     and city_stock.day <= candidates.stock_day
),

final as (
    select
        candidates.record_id,
        candidates.unit_code,
        candidates.agency,
        candidates.project_name,
        candidates.item_category,
        candidates.contracted_on,
        candidates.month,
        candidates.quantity,
        candidates.contract_yuan as missed_reuse_yuan,
        coalesce(stock_that_day.unit_idle_stock, 0) as unit_idle_stock,
        coalesce(stock_that_day.city_idle_stock, 0) as city_idle_stock
    from candidates
    join stock_that_day using (record_id)
    where coalesce(stock_that_day.unit_idle_stock, 0) > 0 or coalesce(stock_that_day.city_idle_stock, 0) > 0
)

select * from final

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

stock_that_day as (
    select
        candidates.record_id,
        sum(segments.stock) filter (where segments.unit_code = candidates.unit_code) as unit_idle_stock,
        sum(segments.stock) filter (where city.unit_code is not null) as city_idle_stock
    from candidates
    join segments
      on segments.asset_category = candidates.item_category
     and segments.valid_from <= candidates.stock_day
     and (segments.valid_to is null or segments.valid_to > candidates.stock_day)
    left join units as city on city.unit_code = segments.unit_code and city.kind = 'city'
    group by candidates.record_id
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

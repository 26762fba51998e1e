-- Reuse-first rate (先调剂后购置率) inputs per unit, month and asset category: quantity the pool
-- fulfilled and quantity procured of the same category (awarded goods records dated by
-- contracted_on; a record without a quantity counts as one item, the least it can have bought).
with transactions as (
    select * from stg_pool_transactions
),

procurement as (
    select * from stg_procurement
),

pool_categories as (
    select distinct asset_category from transactions
),

pool_quantities as (
    select unit_code, month, asset_category, sum(quantity) as pool_fulfilled_qty
    from transactions
    where is_fulfilment
    group by all
),

procured_quantities as (
    select
        procurement.unit_code,
        procurement.month,
        procurement.item_category as asset_category,
        sum(coalesce(procurement.quantity, 1)) as procured_qty,
        count(*) as procurement_records
    from procurement
    join pool_categories on pool_categories.asset_category = procurement.item_category
    where procurement.is_awarded and procurement.category = 'goods'
    group by all
),

final as (
    select
        unit_code,
        month,
        asset_category,
        coalesce(pool_quantities.pool_fulfilled_qty, 0) as pool_fulfilled_qty,
        coalesce(procured_quantities.procured_qty, 0) as procured_qty,
        coalesce(procured_quantities.procurement_records, 0) as procurement_records,
        coalesce(pool_quantities.pool_fulfilled_qty, 0)
            / nullif(coalesce(pool_quantities.pool_fulfilled_qty, 0) + coalesce(procured_quantities.procured_qty, 0), 0)
            as reuse_first_rate
    from pool_quantities
    full outer join procured_quantities using (unit_code, month, asset_category)
)

select * from final

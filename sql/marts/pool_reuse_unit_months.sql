-- Reuse first, buy second (先调剂后购置) per unit and month, over the asset categories the pool
-- handles: quantity the pool fulfilled, quantity procured, and the contract value of purchases
-- made while the pool held idle stock of the category (missed reuse).
with reuse as (
    select * from pool_reuse_first
),

missed as (
    select * from pool_missed_reuse
),

reuse_months as (
    select
        unit_code,
        month,
        sum(pool_fulfilled_qty) as pool_fulfilled_qty,
        sum(procured_qty) as procured_qty,
        sum(procurement_records) as procurement_records
    from reuse
    group by all
),

missed_months as (
    select unit_code, month, count(*) as missed_records, sum(missed_reuse_yuan order by record_id) as missed_reuse_yuan
    from missed
    group by all
),

final as (
    select
        reuse_months.unit_code,
        reuse_months.month,
        reuse_months.pool_fulfilled_qty,
        reuse_months.procured_qty,
        reuse_months.procurement_records,
        coalesce(missed_months.missed_records, 0) as missed_records,
        coalesce(missed_months.missed_reuse_yuan, 0) as missed_reuse_yuan
    from reuse_months
    left join missed_months using (unit_code, month)
)

select * from final

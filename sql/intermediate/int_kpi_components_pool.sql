-- Monthly sums behind the pool KPIs, in the shape every KPI rolls up from: numerator,
-- denominator and how the denominator aggregates ('none': the KPI is the numerator's sum;
-- 'flow': Σ numerator ÷ Σ denominator; 'stock': Σ numerator ÷ the period's day-weighted average
-- of the denominator, summed over units).
with pool_months as (
    select * from pool_unit_months
),

reuse as (
    select unit_code, month, sum(pool_fulfilled_qty) as pool_qty, sum(procured_qty) as procured_qty,
           sum(procurement_records) as procurement_records
    from pool_reuse_first
    group by all
),

missed as (
    select unit_code, month, sum(missed_reuse_yuan) as missed_reuse_yuan
    from pool_missed_reuse
    group by all
),

final as (
    select 'pool_fulfilments' as kpi_id, unit_code, month, fulfilments::double as numerator,
           null::double as denominator, 'none' as denominator_kind, null::double as weight
    from pool_months where transactions > 0
    union all
    select 'pool_cost_avoided_yuan', unit_code, month, cost_avoided_yuan, null, 'none', null
    from pool_months where transactions > 0
    union all
    select 'pool_donated_value_yuan', unit_code, month, donated_value_yuan, null, 'none', null
    from pool_months where transactions > 0
    union all
    select 'pool_turnover', unit_code, month, fulfilled_qty, average_stock, 'stock', days_with_stock
    from pool_months where days_with_stock > 0
    union all
    select 'pool_reuse_first_rate', unit_code, month, pool_qty, pool_qty + procured_qty, 'flow', null
    from reuse
    union all
    select 'pool_missed_reuse_yuan', reuse.unit_code, reuse.month, coalesce(missed.missed_reuse_yuan, 0), null, 'none', null
    from reuse
    left join missed using (unit_code, month)
    where reuse.procurement_records > 0
)

select * from final

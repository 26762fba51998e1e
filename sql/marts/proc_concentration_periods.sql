-- Supplier concentration (HHI) per unit (and ALL) and period: Σ (supplier's share of awarded
-- value)² × 10,000, suppliers identified by trimmed name. For the city a supplier's value is
-- summed across units first, so a supplier serving every unit counts as one.
with supplier_months as (
    select * from proc_supplier_months
),

periods as (
    select * from int_month_periods
),

supplier_periods as (
    select supplier_months.unit_code, supplier_months.supplier, periods.grain, periods.period,
           sum(supplier_months.contract_yuan) as contract_yuan
    from supplier_months
    join periods using (month)
    group by all
),

supplier_periods_all as (
    select * from supplier_periods
    union all
    select 'ALL', supplier, grain, period, sum(contract_yuan)
    from supplier_periods
    group by all
),

totals as (
    select *, sum(contract_yuan) over (partition by unit_code, grain, period) as period_total
    from supplier_periods_all
),

shares as (
    select *, contract_yuan / period_total as share
    from totals
    where period_total > 0
),

final as (
    select
        unit_code,
        grain,
        period,
        count(*) as suppliers,
        any_value(period_total) as contract_yuan,
        -- Summed in supplier order: the last digit must not depend on thread order.
        10000 * sum(power(share, 2) order by supplier) as hhi
    from shares
    group by all
)

select * from final

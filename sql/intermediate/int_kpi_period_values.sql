-- KPIs that are not sums of months, computed directly for each period:
--   pool_overdue_loans: loans open and past due at the period's end (or the pool's as-of date
--     if earlier), per the loan's unit; untracked loans (no asset_id) are not counted.
--   vehicle_underused_count: vehicles whose day utilisation over the period's reported months
--     is below the threshold (ref.thresholds vehicle_underused_day_utilisation).
--   proc_hhi: Σ (supplier's share of awarded value)² × 10,000 over the period; for the city,
--     a supplier's value is summed across units.
with periods as (
    select * from int_month_periods
),

loans as (
    select * from int_pool_loans
),

pool_transactions as (
    select * from stg_pool_transactions
),

as_of as (
    select * from int_pool_as_of
),

fleet_months as (
    select * from vehicle_months
),

supplier_months as (
    select * from proc_supplier_months
),

factors as (
    select * from int_factors
),

pool_first as (
    select unit_code, min(txn_date) as first_txn_date from pool_transactions group by unit_code
),

period_bounds as (
    select distinct grain, period, period_start, period_end from periods
),

overdue_periods as (
    select
        pool_first.unit_code,
        period_bounds.grain,
        period_bounds.period,
        least((period_bounds.period_end - interval 1 day)::date, as_of.as_of_date) as judged_on
    from pool_first
    cross join as_of
    join period_bounds
      on period_bounds.period_end > pool_first.first_txn_date
     and period_bounds.period_start <= as_of.as_of_date
),

overdue_units as (
    select
        'pool_overdue_loans' as kpi_id,
        overdue_periods.unit_code,
        overdue_periods.grain,
        overdue_periods.period,
        count(loans.txn_id)::double as value
    from overdue_periods
    left join loans
      on loans.unit_code = overdue_periods.unit_code
     and loans.is_tracked
     and loans.loan_date <= overdue_periods.judged_on
     and loans.due_date < overdue_periods.judged_on
     and (loans.returned_on is null or loans.returned_on > overdue_periods.judged_on)
    group by all
),

vehicle_periods as (
    select
        fleet_months.unit_code,
        fleet_months.vehicle_id,
        periods.grain,
        periods.period,
        sum(fleet_months.used_working_days) as used_working_days,
        sum(fleet_months.in_service_working_days) as in_service_working_days
    from fleet_months
    join periods using (month)
    where fleet_months.is_reported_month
    group by all
),

underused_units as (
    select
        'vehicle_underused_count' as kpi_id,
        vehicle_periods.unit_code,
        vehicle_periods.grain,
        vehicle_periods.period,
        count(*) filter (
            where vehicle_periods.in_service_working_days > 0
              and vehicle_periods.used_working_days / vehicle_periods.in_service_working_days < factors.vehicle_underused_day_utilisation
        )::double as value
    from vehicle_periods
    cross join factors
    group by all
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

hhi as (
    select
        'proc_hhi' as kpi_id,
        unit_code,
        grain,
        period,
        10000 * sum(power(contract_yuan / period_total, 2)) as value
    from (
        select *, sum(contract_yuan) over (partition by unit_code, grain, period) as period_total
        from supplier_periods_all
    )
    where period_total > 0
    group by all
),

with_city as (
    select * from overdue_units
    union all
    select 'pool_overdue_loans', 'ALL', grain, period, sum(value) from overdue_units group by all
    union all
    select * from underused_units
    union all
    select 'vehicle_underused_count', 'ALL', grain, period, sum(value) from underused_units group by all
    union all
    select * from hhi
),

reported_periods as (
    select distinct fleet_months.unit_code, fleet_months.month, periods.grain, periods.period
    from fleet_months
    join periods using (month)
    where fleet_months.is_reported_month
),

months_counted as (
    select 'vehicle_underused_count' as kpi_id, unit_code, grain, period, count(distinct month) as months_counted
    from reported_periods
    group by all
    union all
    select 'vehicle_underused_count', 'ALL', grain, period, count(distinct month)
    from reported_periods
    group by all
),

final as (
    select
        with_city.kpi_id,
        with_city.unit_code,
        with_city.grain,
        with_city.period,
        with_city.value,
        null::double as numerator,
        null::double as denominator,
        months_counted.months_counted
    from with_city
    left join months_counted using (kpi_id, unit_code, grain, period)
)

select * from final

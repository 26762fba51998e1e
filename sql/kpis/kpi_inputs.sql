-- The inputs behind each kpi_values row: numerator and denominator of ratios (denominator of a
-- per-m² or per-person KPI is the period's average area or headcount) and the number of months
-- counted (for vehicle KPIs, the reported months).
with results as (
    select * from kpi_results
),

final as (
    select kpi_id, unit_code, grain, period, numerator, denominator, months_counted
    from results
)

select * from final

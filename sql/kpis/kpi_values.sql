-- The long KPI table every page and check reads: one value per KPI, unit (or ALL), grain and
-- period ('2024-03', '2024-Q1', '2024'). Definitions are in the kpis registry.
with results as (
    select * from kpi_results
),

final as (
    select kpi_id, unit_code, grain, period, value
    from results
)

select * from final

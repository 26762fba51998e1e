-- carbon_total_t = carbon_scope1_t + carbon_scope2_t for every unit, grain and period.
with pivoted as (
    select
        unit_code, grain, period,
        max(value) filter (where kpi_id = 'carbon_scope1_t') as scope1,
        max(value) filter (where kpi_id = 'carbon_scope2_t') as scope2,
        max(value) filter (where kpi_id = 'carbon_total_t') as total
    from kpi_values
    where kpi_id in ('carbon_scope1_t', 'carbon_scope2_t', 'carbon_total_t')
    group by all
)

select * from pivoted
where abs(coalesce(scope1, 0) + coalesce(scope2, 0) - coalesce(total, 0)) > 1e-9 * greatest(1, abs(total))

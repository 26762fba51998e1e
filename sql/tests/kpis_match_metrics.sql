-- The registry holds exactly the kpi_ids of METRICS.md (ids are stable: a renamed KPI keeps its
-- id). Returns ids missing from the registry and ids the registry has that METRICS.md lacks.
with expected as (
    select unnest([
        'pool_fulfilments', 'pool_cost_avoided_yuan', 'pool_donated_value_yuan', 'pool_overdue_loans',
        'pool_turnover', 'pool_reuse_first_rate', 'pool_missed_reuse_yuan',
        'vehicle_trips', 'vehicle_km', 'vehicle_day_utilisation', 'vehicle_km_per_vehicle_year',
        'vehicle_cost_per_km', 'vehicle_electric_share', 'vehicle_underused_count',
        'energy_kgce', 'energy_kgce_per_m2', 'energy_kgce_per_person', 'water_m3_per_person', 'electricity_kwh_per_m2',
        'carbon_scope1_t', 'carbon_scope2_t', 'carbon_total_t', 'carbon_t_per_staff', 'carbon_kg_per_m2',
        'meeting_net_tco2e', 'meeting_zero_carbon_share',
        'proc_savings_rate', 'proc_competitive_share', 'proc_single_source_share', 'proc_sme_share', 'proc_hhi', 'proc_split_flags',
        'opcost_total_yuan', 'opcost_per_staff_yuan'
    ]) as kpi_id
)

select coalesce(expected.kpi_id, kpis.kpi_id) as kpi_id,
       case when kpis.kpi_id is null then 'missing from kpis' else 'not in METRICS.md' end as problem
from expected
full outer join kpis using (kpi_id)
where expected.kpi_id is null or kpis.kpi_id is null

-- Every KPI's monthly sums in one long table (see int_kpi_components_pool for the shape).
with pool as (
    select * from int_kpi_components_pool
),

vehicles as (
    select * from int_kpi_components_vehicles
),

energy as (
    select * from int_kpi_components_energy
),

procurement as (
    select * from int_kpi_components_procurement
),

final as (
    select * from pool
    union all
    select * from vehicles
    union all
    select * from energy
    union all
    select * from procurement
)

select * from final

-- Operating cost (机关运行成本) per unit and month: energy cost (every reading's cost, water
-- included, spread like its quantity) + vehicle cost (trips' cost_yuan, by the vehicle's unit
-- and departure month) + contract value of goods and services procured (by contracted_on).
-- The pool's avoided cost is shown beside it, never netted.
with energy as (
    select unit_code, month, energy_cost_yuan from energy_unit_months
),

fleet as (
    select unit_code, month, sum(cost_yuan order by cost_yuan) as vehicle_cost_yuan from vehicle_months where trips > 0 group by all
),

procured as (
    select unit_code, month, goods_services_yuan from proc_unit_months
),

pool as (
    select unit_code, month, cost_avoided_yuan from pool_unit_months
),

units as (
    select * from ref.units
),

costs as (
    select
        unit_code,
        month,
        coalesce(energy.energy_cost_yuan, 0) as energy_cost_yuan,
        coalesce(fleet.vehicle_cost_yuan, 0) as vehicle_cost_yuan,
        coalesce(procured.goods_services_yuan, 0) as procurement_yuan
    from energy
    full outer join fleet using (unit_code, month)
    full outer join procured using (unit_code, month)
),

final as (
    select
        costs.unit_code,
        costs.month,
        costs.energy_cost_yuan,
        costs.vehicle_cost_yuan,
        costs.procurement_yuan,
        costs.energy_cost_yuan + costs.vehicle_cost_yuan + costs.procurement_yuan as total_yuan,
        units.staff,
        coalesce(pool.cost_avoided_yuan, 0) as pool_cost_avoided_yuan
    from costs
    left join units using (unit_code)
    left join pool using (unit_code, month)
)

select * from final

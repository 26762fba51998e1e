-- Emissions per unit and month (tCO2e). Scope 1: vehicle gasoline and diesel, building natural
-- gas and diesel. Scope 2: grid electricity (the 电 carrier, already net of on-site PV, which
-- never passed the meter) × the grid factor of the data year from the series of the unit's grid;
-- the grid, series, factor year and whether it is a fallback year are stored on every row. A unit
-- on a grid with no known series has no scope 2 and no total, and grid_factor_note says why.
with energy as (
    select * from energy_unit_months
),

grid_factors as (
    select * from int_unit_grid_factors
),

factors as (
    select * from int_factors
),

units as (
    select * from ref.units
),

emissions as (
    select
        energy.unit_code,
        energy.month,
        energy.vehicle_gasoline_kg * factors.tco2_per_t_vehicle_gasoline / 1000 as vehicle_gasoline_t,
        energy.vehicle_diesel_kg * factors.tco2_per_t_vehicle_diesel / 1000 as vehicle_diesel_t,
        energy.natural_gas_m3 * factors.kgco2_per_m3_natural_gas / 1000 as natural_gas_t,
        energy.building_diesel_kg * factors.tco2_per_t_building_diesel / 1000 as building_diesel_t,
        (energy.vehicle_gasoline_kg * factors.tco2_per_t_vehicle_gasoline
            + energy.vehicle_diesel_kg * factors.tco2_per_t_vehicle_diesel
            + energy.natural_gas_m3 * factors.kgco2_per_m3_natural_gas
            + energy.building_diesel_kg * factors.tco2_per_t_building_diesel) / 1000 as scope1_t,
        energy.grid_kwh,
        energy.pv_kwh as renewable_kwh,
        grid_factors.grid_region,
        grid_factors.factor_series,
        grid_factors.factor_year,
        grid_factors.kgco2_per_kwh as grid_kgco2_per_kwh,
        grid_factors.factor_is_fallback,
        energy.grid_kwh * grid_factors.kgco2_per_kwh / 1000 as scope2_t,
        grid_factors.grid_factor_note,
        energy.floor_area_m2,
        energy.buildings,
        units.staff
    from energy
    cross join factors
    left join grid_factors on grid_factors.unit_code = energy.unit_code and grid_factors.data_year = year(energy.month)
    left join units on units.unit_code = energy.unit_code
),

final as (
    select *, scope1_t + scope2_t as total_t from emissions
)

select * from final

-- A unit's energy per month in kgce by carrier: grid electricity, natural gas and building
-- diesel from its buildings, plus its vehicles' fuel (gasoline for 汽油 and both hybrids, diesel
-- for 柴油). Water and PV generation are shown but are not energy. Floor area and occupants
-- are the unit's buildings (every building counts in every period).
with building_months as (
    select * from energy_building_months
),

fleet_months as (
    select * from vehicle_months
),

buildings as (
    select * from stg_buildings
),

factors as (
    select * from int_factors
),

building_totals as (
    select
        unit_code,
        month,
        coalesce(sum(amount order by amount) filter (where carrier = 'electricity'), 0) as grid_kwh,
        coalesce(sum(amount order by amount) filter (where carrier = 'pv_generation'), 0) as pv_kwh,
        coalesce(sum(amount order by amount) filter (where carrier = 'natural_gas'), 0) as natural_gas_m3,
        coalesce(sum(amount order by amount) filter (where carrier = 'water'), 0) as water_m3,
        coalesce(sum(amount order by amount) filter (where carrier = 'diesel'), 0) as building_diesel_kg,
        coalesce(sum(cost_yuan order by cost_yuan), 0) as energy_cost_yuan,
        bool_or(has_gaps) as has_interval_gaps,
        bool_or(carrier = 'electricity') as has_electricity_readings,
        bool_or(carrier = 'water') as has_water_readings
    from building_months
    group by all
),

vehicle_fuel as (
    select
        unit_code,
        month,
        sum(fuel_l order by fuel_l) filter (where fuel_type = 'gasoline') as vehicle_gasoline_l,
        sum(fuel_l order by fuel_l) filter (where fuel_type = 'diesel') as vehicle_diesel_l
    from fleet_months
    group by all
    having sum(fuel_l order by fuel_l) > 0
),

unit_buildings as (
    select unit_code, count(*) as buildings, sum(floor_area_m2 order by floor_area_m2) as floor_area_m2, sum(occupants) as occupants
    from buildings
    group by all
),

joined as (
    select
        unit_code,
        month,
        coalesce(building_totals.grid_kwh, 0) as grid_kwh,
        coalesce(building_totals.pv_kwh, 0) as pv_kwh,
        coalesce(building_totals.natural_gas_m3, 0) as natural_gas_m3,
        coalesce(building_totals.water_m3, 0) as water_m3,
        coalesce(building_totals.building_diesel_kg, 0) as building_diesel_kg,
        coalesce(vehicle_fuel.vehicle_gasoline_l, 0) * factors.density_kg_per_l_gasoline as vehicle_gasoline_kg,
        coalesce(vehicle_fuel.vehicle_diesel_l, 0) * factors.density_kg_per_l_diesel as vehicle_diesel_kg,
        coalesce(building_totals.energy_cost_yuan, 0) as energy_cost_yuan,
        coalesce(building_totals.has_interval_gaps, false) as has_interval_gaps,
        building_totals.unit_code is not null as has_building_readings,
        coalesce(building_totals.has_electricity_readings, false) as has_electricity_readings,
        coalesce(building_totals.has_water_readings, false) as has_water_readings,
        factors.*
    from building_totals
    full outer join vehicle_fuel using (unit_code, month)
    cross join factors
),

final as (
    select
        joined.unit_code,
        joined.month,
        joined.has_building_readings,
        joined.has_electricity_readings,
        joined.has_water_readings,
        joined.has_interval_gaps,
        joined.grid_kwh,
        joined.pv_kwh,
        joined.natural_gas_m3,
        joined.water_m3,
        joined.building_diesel_kg,
        joined.vehicle_gasoline_kg,
        joined.vehicle_diesel_kg,
        joined.grid_kwh * joined.kgce_per_kwh_electricity as electricity_kgce,
        joined.natural_gas_m3 * joined.kgce_per_m3_natural_gas as natural_gas_kgce,
        joined.building_diesel_kg * joined.kgce_per_kg_diesel as building_diesel_kgce,
        joined.vehicle_gasoline_kg * joined.kgce_per_kg_gasoline as vehicle_gasoline_kgce,
        joined.vehicle_diesel_kg * joined.kgce_per_kg_diesel as vehicle_diesel_kgce,
        joined.grid_kwh * joined.kgce_per_kwh_electricity
            + joined.natural_gas_m3 * joined.kgce_per_m3_natural_gas
            + joined.building_diesel_kg * joined.kgce_per_kg_diesel
            + joined.vehicle_gasoline_kg * joined.kgce_per_kg_gasoline
            + joined.vehicle_diesel_kg * joined.kgce_per_kg_diesel as total_kgce,
        joined.energy_cost_yuan,
        coalesce(unit_buildings.buildings, 0) as buildings,
        unit_buildings.floor_area_m2,
        unit_buildings.occupants,
        joined.kgce_convention
    from joined
    left join unit_buildings using (unit_code)
)

select * from final

-- The constant conversion and emission factors as one row, read from the reference tables so a
-- model never writes a factor as a literal. Emission factors published per tonne are turned into
-- per-kilogram values here (t/t = kg/kg): every downstream quantity is in kg, kWh or m3.
with conversions as (
    select * from ref.energy_conversions
),

emission_factors as (
    select * from ref.emission_factors
),

thresholds as (
    select * from ref.thresholds
),

conversion_values as (
    select
        max(value) filter (where conversion_id = 'kgce_per_kwh_electricity') as kgce_per_kwh_electricity,
        max(value) filter (where conversion_id = 'kgce_per_m3_natural_gas') as kgce_per_m3_natural_gas,
        max(value) filter (where conversion_id = 'kgce_per_kg_gasoline') as kgce_per_kg_gasoline,
        max(value) filter (where conversion_id = 'kgce_per_kg_diesel') as kgce_per_kg_diesel,
        max(value) filter (where conversion_id = 'density_kg_per_l_gasoline') as density_kg_per_l_gasoline,
        max(value) filter (where conversion_id = 'density_kg_per_l_diesel') as density_kg_per_l_diesel,
        max(value) filter (where conversion_id = 'meeting_venue_kwh_per_attendee_hour') as meeting_venue_kwh_per_attendee_hour,
        max(convention) filter (where conversion_id = 'kgce_per_kwh_electricity') as kgce_convention
    from conversions
),

emission_values as (
    select
        max(value) filter (where factor_id = 'vehicle_gasoline') as tco2_per_t_vehicle_gasoline,
        max(value) filter (where factor_id = 'vehicle_diesel') as tco2_per_t_vehicle_diesel,
        max(value) filter (where factor_id = 'building_natural_gas') as kgco2_per_m3_natural_gas,
        max(value) filter (where factor_id = 'building_diesel') as tco2_per_t_building_diesel,
        max(value) filter (where factor_id = 'travel_car') as kgco2e_per_pkm_car,
        max(value) filter (where factor_id = 'travel_transit') as kgco2e_per_pkm_transit,
        max(value) filter (where factor_id = 'travel_rail') as kgco2e_per_pkm_rail,
        max(value) filter (where factor_id = 'travel_air') as kgco2e_per_pkm_air,
        max(value) filter (where factor_id = 'printed_page') as kgco2e_per_page,
        max(value) filter (where factor_id = 'meal') as kgco2e_per_meal
    from emission_factors
),

threshold_values as (
    select
        max(value) filter (where threshold_id = 'vehicle_underused_day_utilisation') as vehicle_underused_day_utilisation,
        max(value) filter (where threshold_id = 'proc_split_window_days') as proc_split_window_days,
        max(value) filter (where threshold_id = 'proc_hhi_high') as proc_hhi_high,
        max(value) filter (where threshold_id = 'energy_anomaly_high') as energy_anomaly_high,
        max(value) filter (where threshold_id = 'energy_anomaly_low') as energy_anomaly_low,
        max(value) filter (where threshold_id = 'rank_min_buildings') as rank_min_buildings,
        max(value) filter (where threshold_id = 'rank_min_vehicles') as rank_min_vehicles,
        max(value) filter (where threshold_id = 'rank_min_records') as rank_min_records
    from thresholds
),

final as (
    select
        conversion_values.*,
        emission_values.*,
        threshold_values.*
    from conversion_values, emission_values, threshold_values
)

select * from final

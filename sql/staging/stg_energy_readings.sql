-- Energy and water readings as loaded: period_end is exclusive, quantity is in quantity_unit
-- (kWh for electricity and PV, m3 for gas and water, L or t for diesel). The reading's unit is
-- resolved from its building downstream (the export's unit column is optional here).
with source as (
    select * from raw.energy_readings
),

final as (
    select
        building_id,
        unit_code as reported_unit_code,
        carrier,
        period_start,
        period_end,
        coalesce(is_interval, false) as is_interval,
        quantity,
        quantity_unit,
        cast(cost_yuan as double) as cost_yuan
    from source
)

select * from final

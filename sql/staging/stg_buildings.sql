-- Office buildings, one row per building.
with source as (
    select * from raw.buildings
),

final as (
    select
        building_id,
        unit_code,
        name as building_name,
        floor_area_m2,
        occupants,
        coalesce(nullif(trim(building_type), ''), '办公') as building_type
    from source
)

select * from final

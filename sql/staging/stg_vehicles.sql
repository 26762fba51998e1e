-- Official vehicles, one row per vehicle. fuel_type says which fuel the vehicle burns for energy
-- and carbon: gasoline for 汽油 and both hybrids, diesel for 柴油, none for 纯电.
with source as (
    select * from raw.vehicles
),

final as (
    select
        vehicle_id,
        unit_code,
        nullif(trim(platform), '') as platform,
        vehicle_class,
        energy,
        case
            when energy = 'diesel' then 'diesel'
            when energy in ('gasoline', 'phev', 'hev') then 'gasoline'
        end as fuel_type,
        energy = 'bev' as is_electric,
        seats,
        acquired_on,
        retired_on
    from source
)

select * from final

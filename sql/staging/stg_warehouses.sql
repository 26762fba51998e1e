-- Asset-pool warehouses, one row per warehouse as exported.
with source as (
    select * from raw.warehouses
),

final as (
    select
        warehouse_id,
        unit_code,
        name as warehouse_name,
        area_m2,
        kind as warehouse_kind,
        opened_on
    from source
)

select * from final

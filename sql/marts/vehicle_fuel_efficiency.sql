-- Fuel per 100 km by unit, month, vehicle class and energy type, for vehicles that burn fuel.
-- Litres refuelled on trips are taken as litres burned (they agree over a month).
with months as (
    select * from vehicle_months
),

final as (
    select
        unit_code,
        month,
        vehicle_class,
        energy,
        count(distinct vehicle_id) as vehicles,
        sum(km order by km) as km,
        sum(fuel_l order by fuel_l) as fuel_l,
        100 * sum(fuel_l order by fuel_l) / nullif(sum(km order by km), 0) as fuel_l_per_100km
    from months
    where fuel_type is not null and trips > 0
    group by all
)

select * from final

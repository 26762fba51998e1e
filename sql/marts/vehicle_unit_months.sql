-- Vehicle figures per unit and reported month (the vehicle's unit): the sums every vehicle KPI
-- is recomputed from at each grain.
with months as (
    select * from vehicle_months
),

final as (
    select
        unit_code,
        month,
        count(distinct vehicle_id) filter (where in_service_days > 0) as vehicles_in_service,
        sum(trips) as trips,
        sum(km order by km) as km,
        coalesce(sum(km order by km) filter (where is_electric), 0) as electric_km,
        sum(cost_yuan order by cost_yuan) as cost_yuan,
        sum(km_with_cost order by km_with_cost) as km_with_cost,
        sum(fuel_l order by fuel_l) as fuel_l,
        sum(used_working_days) as used_working_vehicle_days,
        sum(in_service_working_days) as in_service_working_vehicle_days,
        sum(used_off_days) as weekend_vehicle_days,
        sum(in_service_days) as in_service_vehicle_days,
        sum(used_working_days) / nullif(sum(in_service_working_days), 0) as day_utilisation
    from months
    where is_reported_month
    group by all
)

select * from final

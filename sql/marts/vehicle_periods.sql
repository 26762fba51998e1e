-- One row per vehicle and period (month, quarter, year) over its unit's reported months: working
-- days used and in service, day utilisation, and whether it is underused (below the threshold of
-- ref.thresholds). A vehicle with no in-service working day in the period is not judged.
with fleet_months as (
    select * from vehicle_months
),

periods as (
    select * from int_month_periods
),

factors as (
    select * from int_factors
),

vehicle_periods as (
    select
        fleet_months.unit_code,
        fleet_months.vehicle_id,
        fleet_months.vehicle_class,
        fleet_months.energy,
        periods.grain,
        periods.period,
        count(distinct fleet_months.month) as reported_months,
        sum(fleet_months.used_working_days) as used_working_days,
        sum(fleet_months.in_service_working_days) as in_service_working_days,
        sum(fleet_months.km order by fleet_months.month) as km,
        sum(fleet_months.trips) as trips
    from fleet_months
    join periods using (month)
    where fleet_months.is_reported_month
    group by all
),

final as (
    select
        vehicle_periods.*,
        vehicle_periods.used_working_days / nullif(vehicle_periods.in_service_working_days, 0) as day_utilisation,
        vehicle_periods.in_service_working_days > 0 as is_judged,
        coalesce(
            vehicle_periods.in_service_working_days > 0
            and vehicle_periods.used_working_days / vehicle_periods.in_service_working_days < factors.vehicle_underused_day_utilisation,
            false
        ) as is_underused
    from vehicle_periods
    cross join factors
)

select * from final

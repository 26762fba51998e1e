-- Underused vehicles per unit (and ALL) and period: vehicles whose day utilisation over the
-- period's reported months is below the threshold, with the number of reported months behind it.
with vehicles as (
    select * from vehicle_periods
),

fleet_months as (
    select * from vehicle_months
),

periods as (
    select * from int_month_periods
),

reported_periods as (
    select distinct fleet_months.unit_code, fleet_months.month, periods.grain, periods.period
    from fleet_months
    join periods using (month)
    where fleet_months.is_reported_month
),

reported_months as (
    select unit_code, grain, period, count(distinct month) as months_counted
    from reported_periods
    group by all
    union all
    select 'ALL', grain, period, count(distinct month)
    from reported_periods
    group by all
),

unit_periods as (
    select unit_code, grain, period, count(*) filter (where is_underused) as underused_vehicles, count(*) filter (where is_judged) as judged_vehicles
    from vehicles
    group by all
),

with_city as (
    select * from unit_periods
    union all
    select 'ALL', grain, period, sum(underused_vehicles), sum(judged_vehicles)
    from unit_periods
    group by all
),

final as (
    select with_city.*, reported_months.months_counted
    from with_city
    left join reported_months using (unit_code, grain, period)
)

select * from final

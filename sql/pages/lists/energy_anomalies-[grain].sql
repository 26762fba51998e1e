-- One grain's building-months far above or below the same month a year earlier, per period they fall in (of those the dashboard offers),
-- furthest from a year earlier first. Fifteen per period city-wide and five per unit, with how
-- many there are in all.
select
    periods.period, anomalies.unit_code, anomalies.building_id, anomalies.carrier, anomalies.month,
    anomalies.amount, anomalies.amount_unit, anomalies.prior_year_amount, anomalies.ratio_to_prior_year, anomalies.anomaly,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from energy_anomalies as anomalies
join int_month_periods as periods using (month)
join dashboard_periods using (grain, period)
where periods.grain = getvariable('grain')
window by_period as (partition by periods.grain, periods.period), by_unit as (partition by periods.grain, periods.period, anomalies.unit_code)
qualify row_number() over (by_period order by abs(ln(anomalies.ratio_to_prior_year)) desc, anomalies.building_id, anomalies.carrier) <= 15
     or row_number() over (by_unit order by abs(ln(anomalies.ratio_to_prior_year)) desc, anomalies.building_id, anomalies.carrier) <= 5
order by periods.grain, periods.period, abs(ln(anomalies.ratio_to_prior_year)) desc, anomalies.building_id, anomalies.carrier

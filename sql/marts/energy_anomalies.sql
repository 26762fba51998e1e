-- Building-months (per carrier) more than the high ratio above the same month a year earlier,
-- or below the low ratio of it (ref.thresholds energy_anomaly_high / energy_anomaly_low).
with building_months as (
    select * from energy_building_months
),

factors as (
    select * from int_factors
),

compared as (
    select
        current_month.building_id,
        current_month.unit_code,
        current_month.carrier,
        current_month.month,
        current_month.amount,
        current_month.amount_unit,
        prior_month.amount as prior_year_amount,
        current_month.amount / nullif(prior_month.amount, 0) as ratio_to_prior_year
    from building_months as current_month
    join building_months as prior_month
      on prior_month.building_id = current_month.building_id
     and prior_month.carrier = current_month.carrier
     and prior_month.month = (current_month.month - interval 1 year)::date
),

final as (
    select
        compared.*,
        case
            when compared.ratio_to_prior_year > factors.energy_anomaly_high then 'high'
            when compared.ratio_to_prior_year < factors.energy_anomaly_low then 'low'
        end as anomaly
    from compared
    cross join factors
    where compared.ratio_to_prior_year > factors.energy_anomaly_high
       or compared.ratio_to_prior_year < factors.energy_anomaly_low
)

select * from final

-- A ratio KPI's value is its numerator ÷ denominator at every grain (recomputed from sums, never
-- averaged), and the city's counts, money and quantities equal the sum of its units'.
with inputs as (
    select kpi_values.kpi_id, kpi_values.unit_code, kpi_values.grain, kpi_values.period, kpi_values.value,
           kpi_inputs.numerator, kpi_inputs.denominator
    from kpi_values
    join kpi_inputs using (kpi_id, unit_code, grain, period)
),

ratio_mismatch as (
    select *, 'value <> numerator / denominator' as problem
    from inputs
    where denominator is not null
      and abs(value - numerator / denominator) > 1e-9 * greatest(1, abs(value))
),

additive_mismatch as (
    select city.kpi_id, city.unit_code, city.grain, city.period, city.value,
           sum(units.value) as numerator, null::double as denominator, 'ALL <> Σ units' as problem
    from inputs as city
    join kpis using (kpi_id)
    join inputs as units
      on units.kpi_id = city.kpi_id and units.grain = city.grain and units.period = city.period and units.unit_code <> 'ALL'
    where city.unit_code = 'ALL'
      and city.denominator is null
      and kpis.kind in ('count', 'money', 'quantity')
    group by all
    having abs(city.value - sum(units.value)) > 1e-6 * greatest(1, abs(city.value))
)

select * from ratio_mismatch
union all by name
select * from additive_mismatch

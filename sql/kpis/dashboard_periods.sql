-- The periods the dashboard offers: every year and quarter with KPI values, and the latest 24
-- months (two years, so every month shown has its month a year earlier beside it). Older months
-- stay in the warehouse, in kpi_values, and in the quarterly and yearly views.
with periods as (
    select distinct grain, period from kpi_values
),

ranked as (
    select *, row_number() over (partition by grain order by period desc) as recency
    from periods
),

final as (
    select grain, period, recency, recency = 1 as is_latest
    from ranked
    where grain <> 'month' or recency <= 24
)

select * from final

-- What the pages are as of: the run's as-of date (the last day of the latest month in the data,
-- unless the run was given another), and the newest month with KPI values.
select
    strftime((select max(as_of) from meta.run_context), '%Y-%m-%d') as as_of_date,
    (select max(period) from kpi_values where grain = 'month') as latest_month

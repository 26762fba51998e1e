-- What the pages are as of: the warehouse's current period from the load ledger (data_as_of: the
-- latest month the loaded files are mainly about, so one mistyped date moves nothing), how many
-- units have sent it, and the run's as-of date.
select
    strftime((select max(as_of) from meta.run_context), '%Y-%m-%d') as as_of_date,
    current_period as latest_month,
    units_in_period
from data_as_of
where table_name = 'all'

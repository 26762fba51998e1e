-- Whether each unit's exports can be trusted for a period the dashboard offers, per export table:
-- late  — the unit's latest month of a monthly table ends before the period does (the same test
--         as the statements the overview leads with);
-- heavily quarantined — of the rows read from the unit's files covering the period, at least the
--         share ref.thresholds sets (quality_quarantine_share) went to quarantine. A file counts
--         for every period its months touch, with its own share (a yearly ledger's rows are not
--         dated one by one in the load ledger).
-- One ALL row per table and period adds the units up: how many are late or heavily quarantined,
-- and the share of all the rows read.
with freshness as (
    select * from export_freshness
),

periods as (
    select * from dashboard_periods
),

bounds as (
    select distinct grain, period, period_start, period_end from int_month_periods
),

month_periods as (
    select month, grain, period from int_month_periods
),

thresholds as (
    select max(value) filter (where threshold_id = 'quality_quarantine_share') as heavy_share
    from ref.thresholds
),

ledger as (
    select * from meta.load_ledger
    where status = 'loaded' and table_name is not null
),

file_unit_months as (
    select distinct
        ledger.file_id,
        ledger.table_name,
        unit.unit_code,
        strptime(month.month, '%Y-%m')::date as month,
        ledger.rows_read,
        ledger.rows_quarantined
    from ledger
    cross join unnest(ledger.unit_codes) as unit(unit_code)
    cross join unnest(ledger.months) as month(month)
    where unit.unit_code is not null
),

file_periods as (
    select distinct
        file_unit_months.file_id,
        file_unit_months.table_name,
        file_unit_months.unit_code,
        month_periods.grain,
        month_periods.period,
        file_unit_months.rows_read,
        file_unit_months.rows_quarantined
    from file_unit_months
    join month_periods using (month)
),

loads as (
    select
        file_periods.grain,
        file_periods.period,
        file_periods.unit_code,
        file_periods.table_name,
        count(*) as files,
        sum(file_periods.rows_read) as rows_read,
        sum(file_periods.rows_quarantined) as rows_quarantined
    from file_periods
    join periods using (grain, period)
    group by all
),

lateness as (
    select
        periods.grain,
        periods.period,
        freshness.unit_code,
        freshness.table_name,
        freshness.latest_month,
        last_day(freshness.latest_month) < (bounds.period_end - interval 1 day)::date as is_late
    from freshness
    cross join periods
    join bounds using (grain, period)
    where freshness.is_monthly
),

units as (
    select
        coalesce(lateness.grain, loads.grain) as grain,
        coalesce(lateness.period, loads.period) as period,
        coalesce(lateness.unit_code, loads.unit_code) as unit_code,
        coalesce(lateness.table_name, loads.table_name) as table_name,
        lateness.latest_month,
        coalesce(lateness.is_late, false) as is_late,
        coalesce(loads.files, 0) as files,
        coalesce(loads.rows_read, 0) as rows_read,
        coalesce(loads.rows_quarantined, 0) as rows_quarantined,
        loads.rows_quarantined / nullif(loads.rows_read, 0) as quarantine_share
    from lateness
    full join loads using (grain, period, unit_code, table_name)
),

judged as (
    select
        units.*,
        coalesce(units.quarantine_share >= thresholds.heavy_share, false) as is_heavily_quarantined
    from units
    cross join thresholds
),

-- A file naming several units counts once for the city.
city_loads as (
    select
        grain,
        period,
        table_name,
        count(*) as files,
        sum(rows_read) as rows_read,
        sum(rows_quarantined) as rows_quarantined
    from (select distinct file_id, table_name, grain, period, rows_read, rows_quarantined from file_periods)
    join periods using (grain, period)
    group by all
),

city_units as (
    select
        grain,
        period,
        table_name,
        count(*) filter (where is_late) as units_late,
        count(*) filter (where is_heavily_quarantined) as units_heavily_quarantined
    from judged
    group by all
),

city as (
    select
        grain,
        period,
        'ALL' as unit_code,
        table_name,
        null::date as latest_month,
        city_units.units_late > 0 as is_late,
        coalesce(city_loads.files, 0) as files,
        coalesce(city_loads.rows_read, 0) as rows_read,
        coalesce(city_loads.rows_quarantined, 0) as rows_quarantined,
        city_loads.rows_quarantined / nullif(city_loads.rows_read, 0) as quarantine_share,
        city_units.units_heavily_quarantined > 0 as is_heavily_quarantined,
        city_units.units_late,
        city_units.units_heavily_quarantined
    from city_units
    left join city_loads using (grain, period, table_name)
),

final as (
    select
        *,
        is_late::integer as units_late,
        is_heavily_quarantined::integer as units_heavily_quarantined
    from judged
    union all by name
    select * from city
)

select
    grain, period, unit_code, table_name, latest_month, is_late, files, rows_read, rows_quarantined,
    quarantine_share, is_heavily_quarantined, units_late, units_heavily_quarantined
from final

-- The warehouse's current period, read from the load ledger rather than from the largest date
-- in a table: per fact table and for the warehouse as a whole ('all'), the latest main period
-- (the month most of a file's rows fall in) among the files that still have rows in raw. One
-- mistyped date in one row (2099-01-05 for 2024-01-05) moves no file's main period, so it
-- moves nothing here; a file whose rows were all replaced no longer counts.
with ledger as (
    select * from meta.load_ledger
),

current_files as (
    select file_id, table_name, main_period, months, unit_codes
    from ledger
    where status = 'loaded'
      and main_period is not null
      and rows_loaded > rows_superseded
),

latest as (
    select table_name, max(main_period) as current_period
    from current_files
    group by table_name
    union all
    select 'all', max(main_period)
    from current_files
    having count(*) > 0
),

file_units as (
    select file_id, unnest(unit_codes) as unit_code
    from current_files
),

-- Who has rows in the current period, whatever their files' main periods (a yearly file covers
-- it too): a page can say "2024-12 (13 of 14 units)".
reporting as (
    select
        latest.table_name,
        count(distinct current_files.file_id) as files_in_period,
        count(distinct file_units.unit_code) as units_in_period
    from latest
    join current_files
        on list_contains(current_files.months, latest.current_period)
        and (latest.table_name = 'all' or current_files.table_name = latest.table_name)
    left join file_units using (file_id)
    group by latest.table_name
),

final as (
    select
        latest.table_name,
        latest.current_period,
        strptime(latest.current_period, '%Y-%m')::DATE as period_start,
        last_day(strptime(latest.current_period, '%Y-%m')::DATE) as period_end,
        reporting.files_in_period,
        reporting.units_in_period
    from latest
    join reporting using (table_name)
)

select * from final

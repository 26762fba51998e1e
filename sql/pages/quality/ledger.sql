-- The latest 200 loads: the file's name (never the folder it was loaded from), its table, units,
-- months and row counts, and what happened to it; the time in the deployment's time zone (the
-- ledger keeps UTC).
select
    file_id,
    regexp_extract(path, '[^/\\]+$') as file,
    table_name,
    unit_codes,
    months,
    rows_read,
    rows_loaded,
    rows_quarantined,
    status,
    strftime(timezone((select value from ref.settings where setting_id = 'time_zone'), loaded_at at time zone 'UTC'), '%Y-%m-%d %H:%M') as loaded_at
from meta.load_ledger
order by meta.load_ledger.loaded_at desc, file_id desc
limit 200

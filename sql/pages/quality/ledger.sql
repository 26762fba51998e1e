-- The latest 200 loads: the file's name (never the folder it was loaded from), its table, units,
-- months and row counts, and what happened to it.
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
    strftime(loaded_at, '%Y-%m-%d %H:%M') as loaded_at
from meta.load_ledger
order by loaded_at desc, file_id desc
limit 200

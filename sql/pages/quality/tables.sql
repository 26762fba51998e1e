-- Loads per export table: files, rows read, loaded and quarantined, and the last load, with the
-- table's names in both languages; the time in the deployment's time zone (the ledger keeps UTC).
select
    ledger.table_name, tables.name_zh, tables.name_en,
    count(*)::integer as files,
    sum(ledger.rows_read)::bigint as rows_read,
    sum(ledger.rows_loaded)::bigint as rows_loaded,
    sum(ledger.rows_quarantined)::bigint as rows_quarantined,
    strftime(timezone((select value from ref.settings where setting_id = 'time_zone'), max(ledger.loaded_at) at time zone 'UTC'), '%Y-%m-%d %H:%M') as last_loaded_at
from meta.load_ledger as ledger
left join ref.contract_tables as tables using (table_name)
group by all
order by ledger.table_name

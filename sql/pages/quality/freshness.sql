-- How current each unit's exports are, per export table (export_freshness), with the table's
-- names in both languages.
select
    freshness.table_name, tables.name_zh, tables.name_en, freshness.unit_code,
    strftime(freshness.latest_month, '%Y-%m') as latest_month, freshness.age_days, freshness.is_monthly, freshness.level
from export_freshness as freshness
left join ref.contract_tables as tables using (table_name)
order by freshness.table_name, freshness.unit_code

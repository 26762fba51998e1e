-- Quarantined rows by table, column, rule and unit, most frequent first: every quarantined row
-- counts once, under the rule that sent it there, so the counts add up to the ledger's.
select
    quarantine.table_name,
    quarantine."column",
    columns.name_zh as column_zh,
    columns.name_en as column_en,
    coalesce(quarantine.rule, 'other') as rule,
    quarantine.unit_code,
    count(*)::integer as rows
from meta.quarantine as quarantine
left join ref.contract_columns as columns
  on columns.table_name = quarantine.table_name and columns.column_name = quarantine."column"
group by all
order by rows desc, quarantine.table_name, quarantine."column", rule, quarantine.unit_code nulls last

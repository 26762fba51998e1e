-- Rows that did not load, by table, rule and column (quality_quarantine_reasons: the groups add
-- up to the ledger), with the column's names in both languages, one example row's file and row,
-- and the units the rows came from, most first.
with reasons as (
    select * from quality_quarantine_reasons
),

by_unit as (
    select table_name, coalesce(rule, 'unknown') as rule, coalesce("column", '') as "column", unit_code, count(*)::integer as n
    from meta.quarantine
    where unit_code is not null
    group by all
),

units as (
    select table_name, rule, "column", list({'unit_code': unit_code, 'rows': n} order by n desc, unit_code) as units
    from by_unit
    group by all
)

select
    reasons.table_name,
    reasons.outcome,
    reasons."column",
    columns.name_zh as column_zh,
    columns.name_en as column_en,
    reasons.rule,
    reasons."rows",
    reasons.files,
    regexp_extract(reasons.example_path, '[^/\\]+$') as example_file,
    reasons.example_row,
    coalesce(units.units, []) as units
from reasons
left join ref.contract_columns as columns
  on columns.table_name = reasons.table_name and columns.column_name = reasons."column"
left join units
  on units.table_name = reasons.table_name and units.rule = reasons.rule and units."column" = reasons."column"
order by reasons."rows" desc, reasons.table_name, reasons."column", reasons.rule

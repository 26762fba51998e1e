-- One quarantined row for each table, column and rule, so a rare fault is not hidden behind a
-- frequent one: the file's name, the row, the unit and — only for a column the contract marks
-- publishable (ids, codes, numbers, dates; never free text or a person) — the cell as written.
select table_name, "column", column_zh, column_en, rule, unit_code, file, "row", case when publishable then cell end as cell
from (
    select
        quarantine.table_name,
        quarantine."column",
        columns.name_zh as column_zh,
        columns.name_en as column_en,
        coalesce(quarantine.rule, 'unknown') as rule,
        quarantine.unit_code,
        regexp_extract(quarantine.path, '[^/\\]+$') as file,
        quarantine."row",
        json_extract_string(quarantine.record, '$."' || quarantine."column" || '"') as cell,
        coalesce(columns.publishable = 'true', false) as publishable,
        row_number() over (partition by quarantine.table_name, quarantine."column", coalesce(quarantine.rule, 'unknown') order by quarantine.file_id, quarantine."row") as k
    from meta.quarantine as quarantine
    left join ref.contract_columns as columns
      on columns.table_name = quarantine.table_name and columns.column_name = quarantine."column"
)
where k = 1
order by table_name, "column", rule

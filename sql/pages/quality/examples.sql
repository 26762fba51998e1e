-- One quarantined row for each table, column and rule, so a rare fault is not hidden behind a
-- frequent one: the file's name, the row, the unit and the cell that broke the rule, as written.
select table_name, "column", rule, unit_code, file, "row", cell
from (
    select
        table_name,
        "column",
        coalesce(rule, 'other') as rule,
        unit_code,
        regexp_extract(path, '[^/\\]+$') as file,
        "row",
        json_extract_string(record, '$."' || "column" || '"') as cell,
        row_number() over (partition by table_name, "column", coalesce(rule, 'other') order by file_id, "row") as k
    from meta.quarantine
)
where k = 1
order by table_name, "column", rule

-- Rows that did not load, grouped by why: one row per table, outcome (quarantined or skipped by
-- a mapping's rule), rule and column. The messages quote values and row numbers; the rule and
-- column do not, so every duplicate key of a table is one group, and the groups of a table add
-- up to the ledger's quarantined and skipped rows. `steward status` and the quality page read it.
with quarantined as (
    select table_name, 'quarantined' as outcome, rule, "column", file_id, path, "row", reason
    from meta.quarantine
),

skipped as (
    select table_name, 'skipped' as outcome, rule, "column", file_id, path, "row", reason
    from meta.skipped
),

both_outcomes as (
    select * from quarantined
    union all
    select * from skipped
),

final as (
    select
        table_name,
        outcome,
        coalesce(rule, 'unknown') as rule,
        coalesce("column", '') as "column",
        count(*) as "rows",
        count(distinct file_id) as files,
        -- The example is one row's own reason, file and row number, never mixed from two rows.
        arg_min(reason, (file_id, "row")) as example_reason,
        arg_min(path, (file_id, "row")) as example_path,
        arg_min("row", (file_id, "row")) as example_row
    from both_outcomes
    group by all
)

select * from final
order by table_name, outcome, "rows" desc, rule, "column"

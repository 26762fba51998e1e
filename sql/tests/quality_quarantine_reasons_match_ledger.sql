-- The reason groups of every table add up to the ledger: quarantined rows to rows_quarantined,
-- skipped rows to rows_skipped. Returns the tables where they do not.
with groups as (
    select table_name,
           sum("rows") filter (where outcome = 'quarantined') as quarantined,
           sum("rows") filter (where outcome = 'skipped') as skipped
    from quality_quarantine_reasons
    group by table_name
),

ledger as (
    select table_name, sum(rows_quarantined) as quarantined, sum(coalesce(rows_skipped, 0)) as skipped
    from meta.load_ledger
    group by table_name
)

select ledger.table_name, ledger.quarantined, groups.quarantined as grouped_quarantined, ledger.skipped, groups.skipped as grouped_skipped
from ledger
left join groups using (table_name)
where coalesce(groups.quarantined, 0) <> ledger.quarantined
   or coalesce(groups.skipped, 0) <> ledger.skipped

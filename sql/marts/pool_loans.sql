-- Every loan with its return and its status at the pool's as-of date: returned, open, overdue
-- (due before the as-of date and not returned by it) or untracked (no asset_id to match).
with loans as (
    select * from int_pool_loans
),

as_of as (
    select * from int_pool_as_of
),

final as (
    select
        loans.*,
        as_of.as_of_date,
        case
            when not loans.is_tracked then 'untracked'
            when loans.returned_on is not null and loans.returned_on <= as_of.as_of_date then 'returned'
            when loans.due_date < as_of.as_of_date then 'overdue'
            else 'open'
        end as status,
        case
            when loans.is_tracked and loans.due_date < as_of.as_of_date
                 and (loans.returned_on is null or loans.returned_on > as_of.as_of_date)
            then as_of.as_of_date - loans.due_date
        end as days_overdue
    from loans
    cross join as_of
)

select * from final

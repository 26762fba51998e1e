-- The records behind each possible split-purchase group, for the flagged groups' drill-down.
with grouped as (
    select * from int_proc_split_groups
),

awarded as (
    select * from int_proc_awarded
),

split_groups as (
    select * from proc_split_groups
),

final as (
    select
        grouped.group_id,
        grouped.seq as position_in_order,
        awarded.record_id,
        awarded.unit_code,
        awarded.agency,
        awarded.item_category,
        awarded.project_name,
        awarded.method,
        awarded.contracted_on,
        awarded.budget_yuan,
        awarded.contract_yuan,
        awarded.supplier,
        split_groups.is_flagged
    from grouped
    join awarded using (record_id)
    join split_groups using (group_id)
)

select * from final

-- Procurement records, one row per record. Suppliers are identified by their trimmed name;
-- is_awarded marks records with a contract amount, the only ones procurement KPIs count.
with source as (
    select * from raw.procurement
),

final as (
    select
        record_id,
        unit_code,
        trim(agency) as agency,
        project_name,
        category,
        nullif(trim(item_category), '') as item_category,
        method,
        cast(budget_yuan as double) as budget_yuan,
        cast(contract_yuan as double) as contract_yuan,
        nullif(trim(supplier), '') as supplier,
        supplier_sme,
        quantity,
        announced_on,
        contracted_on,
        date_trunc('month', contracted_on)::date as month,
        contract_yuan is not null and contracted_on is not null as is_awarded
    from source
)

select * from final

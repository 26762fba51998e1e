-- Asset-pool ledger, one row per transaction, with the flags and the per-item value every pool
-- KPI uses: the new-purchase price, else the original value (GAO values reuse at original cost).
with source as (
    select * from raw.pool_transactions
),

renamed as (
    select
        txn_id,
        unit_code,
        warehouse_id,
        txn_date,
        txn_type,
        nullif(trim(asset_id), '') as asset_id,
        trim(asset_category) as asset_category,
        asset_name,
        quantity,
        cast(unit_price_new as double) as unit_price_new,
        cast(original_value as double) as original_value,
        from_agency,
        to_agency,
        due_date,
        purpose
    from source
),

final as (
    select
        *,
        txn_type in ('loan', 'transfer', 'allocation') as is_fulfilment,
        txn_type = 'donation' as is_donation,
        coalesce(unit_price_new, original_value) as value_per_item,
        case
            when unit_price_new is not null then 'new_price'
            when original_value is not null then 'original_value'
        end as valued_at,
        -- Stock moves: deposits and returns come in; fulfilments, donations, disposals go out.
        case
            when txn_type in ('deposit', 'return') then quantity
            else -quantity
        end as stock_delta,
        date_trunc('month', txn_date)::date as month
    from renamed
)

select * from final

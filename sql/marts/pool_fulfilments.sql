-- One row per pool fulfilment (借用, 调剂, 划拨) with the purchase cost it avoided and running
-- totals per unit and for the whole city, ordered by date: the published cumulative figures
-- ("N 笔", "节约购置经费") are read off these at any date.
with transactions as (
    select * from stg_pool_transactions
),

fulfilments as (
    select
        txn_id,
        unit_code,
        warehouse_id,
        txn_date,
        month,
        txn_type,
        asset_id,
        asset_category,
        quantity,
        value_per_item,
        valued_at,
        coalesce(quantity * value_per_item, 0) as cost_avoided_yuan,
        valued_at = 'original_value' as valued_at_original_cost,
        to_agency,
        purpose
    from transactions
    where is_fulfilment
),

final as (
    select
        *,
        count(*) over unit_running as unit_fulfilments_to_date,
        sum(cost_avoided_yuan) over unit_running as unit_cost_avoided_to_date,
        count(*) over city_running as all_fulfilments_to_date,
        sum(cost_avoided_yuan) over city_running as all_cost_avoided_to_date
    from fulfilments
    window
        unit_running as (partition by unit_code order by txn_date, txn_id rows between unbounded preceding and current row),
        city_running as (order by txn_date, txn_id rows between unbounded preceding and current row)
)

select * from final

-- Awarded procurement records (with a contract amount and date), the only ones procurement KPIs
-- count, with the method groups the shares use.
with procurement as (
    select * from stg_procurement
),

final as (
    select
        *,
        method in ('open_tender', 'invited_tender', 'competitive_negotiation', 'competitive_consultation', 'inquiry') as is_competitive,
        method = 'single_source' as is_single_source
    from procurement
    where is_awarded
)

select * from final

-- Awarded procurement per unit and month (by contracted_on): the sums behind the savings rate
-- and the method and SME shares.
with awarded as (
    select * from int_proc_awarded
),

final as (
    select
        unit_code,
        month,
        count(*) as records,
        sum(budget_yuan) as budget_yuan,
        sum(contract_yuan) as contract_yuan,
        sum(contract_yuan) filter (where is_competitive) as competitive_yuan,
        sum(contract_yuan) filter (where is_single_source) as single_source_yuan,
        sum(contract_yuan) filter (where method = 'open_tender') as open_tender_yuan,
        sum(contract_yuan) filter (where supplier_sme) as sme_yuan,
        sum(contract_yuan) filter (where supplier_sme is not null) as sme_known_yuan,
        sum(contract_yuan) filter (where category in ('goods', 'services')) as goods_services_yuan
    from awarded
    group by all
)

select * from final

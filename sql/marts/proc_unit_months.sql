-- Awarded procurement per unit and month (by contracted_on): the sums behind the savings rate
-- and the method and SME shares, and the possible split purchases that start in the month.
with awarded as (
    select * from int_proc_awarded
),

split_groups as (
    select * from proc_split_groups
),

flagged as (
    select unit_code, month, count(*) filter (where is_flagged) as flagged_split_groups
    from split_groups
    group by all
),

sums as (
    select
        unit_code,
        month,
        count(*) as records,
        sum(budget_yuan order by budget_yuan) as budget_yuan,
        sum(contract_yuan order by contract_yuan) as contract_yuan,
        sum(contract_yuan order by contract_yuan) filter (where is_competitive) as competitive_yuan,
        sum(contract_yuan order by contract_yuan) filter (where is_single_source) as single_source_yuan,
        sum(contract_yuan order by contract_yuan) filter (where method = 'open_tender') as open_tender_yuan,
        sum(contract_yuan order by contract_yuan) filter (where supplier_sme) as sme_yuan,
        sum(contract_yuan order by contract_yuan) filter (where supplier_sme is not null) as sme_known_yuan,
        sum(contract_yuan order by contract_yuan) filter (where category in ('goods', 'services')) as goods_services_yuan
    from awarded
    group by all
),

final as (
    select sums.*, coalesce(flagged.flagged_split_groups, 0) as flagged_split_groups
    from sums
    left join flagged using (unit_code, month)
)

select * from final

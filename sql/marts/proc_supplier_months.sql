-- Awarded contract value per unit, month and supplier (trimmed name): the input of supplier
-- concentration (HHI). Records without a supplier name cannot be attributed and are left out.
with awarded as (
    select * from int_proc_awarded
),

final as (
    select unit_code, month, supplier, count(*) as records, sum(contract_yuan order by contract_yuan) as contract_yuan
    from awarded
    where supplier is not null
    group by all
)

select * from final

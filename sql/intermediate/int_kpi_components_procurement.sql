-- Monthly sums behind the procurement and operating-cost KPIs (awarded records, by
-- contracted_on). Split-purchase groups count in the month of their first record.
with proc_months as (
    select * from proc_unit_months
),

split_groups as (
    select unit_code, month, count(*) filter (where is_flagged) as flagged_groups
    from proc_split_groups
    group by all
),

opcost as (
    select * from opcost_unit_months
),

month_days as (
    select month, count(*)::double as days from int_calendar_days group by month
),

final as (
    select 'proc_savings_rate' as kpi_id, unit_code, month, budget_yuan - contract_yuan as numerator,
           budget_yuan as denominator, 'flow' as denominator_kind, null::double as weight
    from proc_months
    union all
    select 'proc_competitive_share', unit_code, month, coalesce(competitive_yuan, 0), contract_yuan, 'flow', null
    from proc_months
    union all
    select 'proc_single_source_share', unit_code, month, coalesce(single_source_yuan, 0), contract_yuan, 'flow', null
    from proc_months
    union all
    select 'proc_sme_share', unit_code, month, coalesce(sme_yuan, 0), sme_known_yuan, 'flow', null
    from proc_months where sme_known_yuan > 0
    union all
    select 'proc_split_flags', proc_months.unit_code, proc_months.month, coalesce(split_groups.flagged_groups, 0), null, 'none', null
    from proc_months
    left join split_groups using (unit_code, month)
    union all
    select 'opcost_total_yuan', unit_code, month, total_yuan, null, 'none', null from opcost
    union all
    select 'opcost_per_staff_yuan', opcost.unit_code, opcost.month, opcost.total_yuan, opcost.staff, 'stock', month_days.days
    from opcost
    join month_days using (month)
)

select * from final

-- Each calendar month mapped to the three periods it belongs to (month, quarter, year), so every
-- KPI rolls its monthly sums up the same way.
with months as (
    select distinct month from int_calendar_days
),

final as (
    select month, 'month' as grain, strftime(month, '%Y-%m') as period,
           month as period_start, (month + interval 1 month)::date as period_end
    from months
    union all
    select month, 'quarter', year(month) || '-Q' || quarter(month),
           date_trunc('quarter', month)::date, (date_trunc('quarter', month) + interval 3 month)::date
    from months
    union all
    select month, 'year', cast(year(month) as varchar),
           date_trunc('year', month)::date, (date_trunc('year', month) + interval 1 year)::date
    from months
)

select * from final

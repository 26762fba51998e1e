-- One grain's possible split purchases flagged, per period of the group's first record, largest first: the
-- rows behind the split-purchases card. Fifteen per period city-wide and five per unit, with how
-- many there are in all.
select
    periods.period, groups.unit_code, groups.group_id, groups.agency, groups.item_category,
    groups.first_contracted_on, groups.last_contracted_on, groups.records, groups.total_contract_yuan,
    groups.largest_contract_yuan, groups.lowest_threshold_crossed_yuan,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from proc_split_groups as groups
join int_month_periods as periods using (month)
join dashboard_periods using (grain, period)
where groups.is_flagged and periods.grain = getvariable('grain')
window by_period as (partition by periods.grain, periods.period), by_unit as (partition by periods.grain, periods.period, groups.unit_code)
qualify row_number() over (by_period order by groups.total_contract_yuan desc, groups.group_id) <= 15
     or row_number() over (by_unit order by groups.total_contract_yuan desc, groups.group_id) <= 5
order by periods.grain, periods.period, groups.total_contract_yuan desc, groups.group_id

-- Possible split purchases, one row per group (see int_proc_split_groups). A group of two or
-- more is flagged when every record is below a threshold T and together they reach T, for any T
-- of ref.thresholds applying to proc_split_flags in yuan: the pre-approval limit and the
-- open-tender threshold for every unit, the city-level decentralised limit for the city level,
-- the district limit for districts and counties. A group counts once, whichever it crosses.
with grouped as (
    select * from int_proc_split_groups
),

awarded as (
    select * from int_proc_awarded
),

thresholds as (
    select * from ref.thresholds
),

units as (
    select * from ref.units
),

groups as (
    select
        grouped.group_id,
        grouped.unit_code,
        grouped.agency,
        grouped.item_category,
        min(grouped.contracted_on) as first_contracted_on,
        max(grouped.contracted_on) as last_contracted_on,
        count(*) as records,
        sum(awarded.contract_yuan order by awarded.contract_yuan) as total_contract_yuan,
        max(awarded.contract_yuan) as largest_contract_yuan,
        list(grouped.record_id order by grouped.seq) as record_ids
    from grouped
    join awarded using (record_id)
    group by all
),

applicable as (
    select groups.group_id, thresholds.threshold_id, thresholds.value
    from groups
    join units using (unit_code)
    join thresholds
      on thresholds.applies_to = 'proc_split_flags' and thresholds.unit = 'yuan'
    where case thresholds.threshold_id
              when 'proc_split_city_decentralised' then units.kind = 'city'
              when 'proc_split_district_decentralised' then units.kind <> 'city'
              else true
          end
),

crossed as (
    select
        groups.group_id,
        list(applicable.threshold_id order by applicable.value) as thresholds_crossed,
        min(applicable.value) as lowest_threshold_crossed_yuan
    from groups
    join applicable using (group_id)
    where groups.records >= 2
      and groups.largest_contract_yuan < applicable.value
      and groups.total_contract_yuan >= applicable.value
    group by groups.group_id
),

final as (
    select
        groups.*,
        date_trunc('month', groups.first_contracted_on)::date as month,
        crossed.group_id is not null as is_flagged,
        crossed.thresholds_crossed,
        crossed.lowest_threshold_crossed_yuan
    from groups
    left join crossed using (group_id)
)

select * from final

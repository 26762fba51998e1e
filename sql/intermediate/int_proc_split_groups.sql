-- Possible split purchases, step 1: group records. Per unit, agency and item category, records
-- in contracted_on order (then record_id) form groups: a group starts at a record and takes every
-- later record within the window (ref.thresholds proc_split_window_days, day 30 included); the
-- next record after the window starts the next group. Records without an item category are not
-- grouped (nothing says they bought the same thing).
with awarded as (
    select * from int_proc_awarded
),

factors as (
    select * from int_factors
),

ordered as (
    select
        awarded.record_id,
        awarded.unit_code,
        awarded.agency,
        awarded.item_category,
        awarded.contracted_on,
        row_number() over (partition by awarded.unit_code, awarded.agency, awarded.item_category
                           order by awarded.contracted_on, awarded.record_id) as seq
    from awarded
    where awarded.item_category is not null
),

-- For each record, the first record after its window: where the next group would start if this
-- record started one.
next_start as (
    select
        ordered.unit_code, ordered.agency, ordered.item_category, ordered.seq,
        min(later.seq) as next_seq
    from ordered
    cross join factors
    left join ordered as later
      on later.unit_code = ordered.unit_code
     and later.agency = ordered.agency
     and later.item_category = ordered.item_category
     and later.contracted_on > ordered.contracted_on + cast(factors.proc_split_window_days as integer)
    group by all
),

group_starts as (
    with recursive starts(unit_code, agency, item_category, seq, next_seq) as (
        select unit_code, agency, item_category, seq, next_seq
        from next_start
        where seq = 1
        union all
        select next_start.unit_code, next_start.agency, next_start.item_category, next_start.seq, next_start.next_seq
        from starts
        join next_start
          on next_start.unit_code = starts.unit_code
         and next_start.agency = starts.agency
         and next_start.item_category = starts.item_category
         and next_start.seq = starts.next_seq
    )
    select * from starts
),

final as (
    select
        ordered.record_id,
        ordered.unit_code,
        ordered.agency,
        ordered.item_category,
        ordered.contracted_on,
        ordered.seq,
        first_record.record_id as group_id
    from ordered
    join group_starts
      on group_starts.unit_code = ordered.unit_code
     and group_starts.agency = ordered.agency
     and group_starts.item_category = ordered.item_category
     and ordered.seq >= group_starts.seq
     and (group_starts.next_seq is null or ordered.seq < group_starts.next_seq)
    join ordered as first_record
      on first_record.unit_code = group_starts.unit_code
     and first_record.agency = group_starts.agency
     and first_record.item_category = group_starts.item_category
     and first_record.seq = group_starts.seq
)

select * from final

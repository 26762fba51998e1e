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

-- The first record of each day: where a group that starts after a given day begins.
day_firsts as (
    select unit_code, agency, item_category, contracted_on, min(seq) as first_seq
    from ordered
    group by all
),

-- Each record's window: the last day a group it starts would take in.
windows as (
    select ordered.*, ordered.contracted_on + cast(factors.proc_split_window_days as integer) as window_end
    from ordered
    cross join factors
),

-- For each record, the first record after its window (the first day past window_end): where the
-- next group would start if this record started one. An as-of join finds it in one pass, where
-- joining every record to every later one grew with the square of a category's records.
next_start as (
    select windows.unit_code, windows.agency, windows.item_category, windows.seq, day_firsts.first_seq as next_seq
    from windows
    asof left join day_firsts
      on day_firsts.unit_code = windows.unit_code
     and day_firsts.agency = windows.agency
     and day_firsts.item_category = windows.item_category
     and day_firsts.contracted_on > windows.window_end
),

-- Those pointers as one list per unit, agency and category, indexed by seq.
next_by_seq as (
    select unit_code, agency, item_category, list(next_seq order by seq) as next_seqs
    from next_start
    group by all
),

-- The group starts: record 1, the record its pointer names, and so on. Each step of the walk looks
-- pointers up in the few thousand lists rather than joining all records again.
group_starts as (
    with recursive starts(unit_code, agency, item_category, seq, next_seq) as (
        select unit_code, agency, item_category, 1::BIGINT as seq, next_seqs[1] as next_seq
        from next_by_seq
        union all
        select starts.unit_code, starts.agency, starts.item_category, starts.next_seq, chains.next_seqs[starts.next_seq]
        from starts
        join next_by_seq as chains
          on chains.unit_code = starts.unit_code
         and chains.agency = starts.agency
         and chains.item_category = starts.item_category
        where starts.next_seq is not null
    )
    select * from starts
),

-- A record belongs to the last group starting at or before it.
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
    asof join group_starts
      on group_starts.unit_code = ordered.unit_code
     and group_starts.agency = ordered.agency
     and group_starts.item_category = ordered.item_category
     and ordered.seq >= group_starts.seq
    join ordered as first_record
      on first_record.unit_code = group_starts.unit_code
     and first_record.agency = group_starts.agency
     and first_record.item_category = group_starts.item_category
     and first_record.seq = group_starts.seq
)

select * from final

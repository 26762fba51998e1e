-- Events drawn on every time axis and mentioned in the statements of a period they overlap: the
-- Games, policies coming into force (ref.events, data/reference/events.csv, each with its source).
-- ends_on is the last day, inclusive: a one-day event (a policy's start) has ends_on = starts_on.
with events as (
    select * from ref.events
),

final as (
    select
        event_id,
        starts_on,
        ends_on,
        kind,
        name_zh,
        name_en,
        coalesce(nullif(short_zh, ''), name_zh) as short_zh,
        coalesce(nullif(short_en, ''), name_en) as short_en,
        source,
        source_zh
    from events
)

select * from final

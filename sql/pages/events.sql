-- Events drawn on every time axis (events): dates, names and chart labels in both languages, kind
-- and source, oldest first.
select
    event_id, strftime(starts_on, '%Y-%m-%d') as starts_on, strftime(ends_on, '%Y-%m-%d') as ends_on, kind,
    name_zh, name_en, short_zh, short_en, source, source_zh
from events
order by starts_on, event_id

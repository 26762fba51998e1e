-- One grain's meetings held in each period that were not zero-carbon, highest net emissions first.
-- Fifteen per period city-wide and five per unit, with how many there are in all.
select
    periods.period, meetings.unit_code, meetings.meeting_id, meetings.meeting_name, meetings.held_on,
    meetings.attendees, meetings.gross_t, meetings.offset_t, meetings.net_t,
    count(*) over by_period as period_total,
    count(*) over by_unit as unit_total
from meeting_emissions as meetings
join int_month_periods as periods using (month)
join dashboard_periods using (grain, period)
where not meetings.is_zero_carbon and periods.grain = getvariable('grain')
window by_period as (partition by periods.grain, periods.period), by_unit as (partition by periods.grain, periods.period, meetings.unit_code)
qualify row_number() over (by_period order by meetings.net_t desc, meetings.meeting_id) <= 15
     or row_number() over (by_unit order by meetings.net_t desc, meetings.meeting_id) <= 5
order by periods.grain, periods.period, meetings.net_t desc, meetings.meeting_id

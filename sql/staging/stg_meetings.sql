-- Meetings for zero-carbon accounting, one row per meeting.
with source as (
    select * from raw.meetings
),

final as (
    select
        meeting_id,
        unit_code,
        name as meeting_name,
        held_on,
        date_trunc('month', held_on)::date as month,
        venue_building_id,
        attendees,
        duration_h,
        venue_kwh,
        travel_km_car,
        travel_km_transit,
        travel_km_rail,
        travel_km_air,
        printed_pages,
        meals,
        offset_tco2e
    from source
)

select * from final

-- One row per meeting: venue electricity (estimated per attendee-hour when not metered) × the
-- grid factor of the meeting's year on its unit's grid (none known: venue, gross and net withheld), attendee travel, printing and meals (scope 3 defaults from
-- ref.emission_factors); missing travel, pages, meals or offsets count as 0. Net = gross −
-- offsets, kept negative when over-offset; zero-carbon when net ≤ 0.
with meetings as (
    select * from stg_meetings
),

grid_factors as (
    select * from int_unit_grid_factors
),

factors as (
    select * from int_factors
),

valued as (
    select
        meetings.*,
        meetings.venue_kwh is null as venue_kwh_estimated,
        coalesce(meetings.venue_kwh,
                 meetings.attendees * meetings.duration_h * factors.meeting_venue_kwh_per_attendee_hour) as venue_kwh_used,
        grid_factors.grid_region,
        grid_factors.factor_series,
        grid_factors.factor_year,
        grid_factors.kgco2_per_kwh as grid_kgco2_per_kwh,
        grid_factors.factor_is_fallback,
        grid_factors.grid_factor_note,
        (coalesce(meetings.travel_km_car, 0) * factors.kgco2e_per_pkm_car
            + coalesce(meetings.travel_km_transit, 0) * factors.kgco2e_per_pkm_transit
            + coalesce(meetings.travel_km_rail, 0) * factors.kgco2e_per_pkm_rail
            + coalesce(meetings.travel_km_air, 0) * factors.kgco2e_per_pkm_air) / 1000 as travel_t,
        coalesce(meetings.printed_pages, 0) * factors.kgco2e_per_page / 1000 as printing_t,
        coalesce(meetings.meals, 0) * factors.kgco2e_per_meal / 1000 as meals_t,
        coalesce(meetings.offset_tco2e, 0) as offset_t
    from meetings
    cross join factors
    left join grid_factors on grid_factors.unit_code = meetings.unit_code and grid_factors.data_year = year(meetings.held_on)
),

final as (
    select
        valued.* exclude (offset_t),
        venue_kwh_used * grid_kgco2_per_kwh / 1000 as venue_t,
        venue_kwh_used * grid_kgco2_per_kwh / 1000 + travel_t + printing_t + meals_t as gross_t,
        offset_t,
        venue_kwh_used * grid_kgco2_per_kwh / 1000 + travel_t + printing_t + meals_t - offset_t as net_t,
        venue_kwh_used * grid_kgco2_per_kwh / 1000 + travel_t + printing_t + meals_t - offset_t <= 0 as is_zero_carbon
    from valued
)

select * from final

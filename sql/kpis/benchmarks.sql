-- District benchmarking (区县对标): for every KPI, unit and period, the unit's rank among the
-- units with a value (direction-aware: 1 is best), quartile (1 = best quarter), the peer median
-- and the best unit, the gaps to both, and the change against the same period a year earlier.
-- Only a KPI that does not grow with a unit's size is ranked (kpis.rankable): for a total, the
-- peer median and the gap to it are context, and rank, quartile, best unit and shortfall are null.
-- A unit with fewer buildings, vehicles, procurement records or meetings than ref.thresholds
-- asks (rank_min_*) is shown but not ranked, and does not count in the median or the best. When
-- every ranked unit has the same value (all zero, say) nobody is ranked: a "first" would mean
-- nothing. behind_median is the unit's relative shortfall against the median, direction-aware
-- (positive = behind), for lists of who lags.
with kpi_values as (
    select * from main.kpi_values
),

registry as (
    select * from kpis
),

periods as (
    select distinct grain, period, period_start, period_end from int_month_periods
),

factors as (
    select * from int_factors
),

buildings as (
    select unit_code, count(*) as n from stg_buildings group by unit_code
),

fleet as (
    select fleet_months.unit_code, periods.grain, periods.period, count(distinct fleet_months.vehicle_id) as n
    from vehicle_months as fleet_months
    join int_month_periods as periods using (month)
    where fleet_months.in_service_days > 0
    group by all
),

proc_records as (
    select proc_months.unit_code, periods.grain, periods.period, sum(proc_months.records) as n
    from proc_unit_months as proc_months
    join int_month_periods as periods using (month)
    group by all
),

meeting_counts as (
    select meetings.unit_code, periods.grain, periods.period, count(*) as n
    from meeting_emissions as meetings
    join int_month_periods as periods using (month)
    group by all
),

unit_values as (
    select
        kpi_values.kpi_id,
        kpi_values.unit_code,
        kpi_values.grain,
        kpi_values.period,
        kpi_values.value,
        registry.direction,
        registry.rankable,
        registry.size_basis,
        case registry.size_basis
            when 'buildings' then coalesce(buildings.n, 0)
            when 'vehicles' then coalesce(fleet.n, 0)
            when 'records' then coalesce(proc_records.n, 0)
            when 'meetings' then coalesce(meeting_counts.n, 0)
        end as size,
        case registry.size_basis
            when 'buildings' then factors.rank_min_buildings
            when 'vehicles' then factors.rank_min_vehicles
            when 'records' then factors.rank_min_records
            when 'meetings' then factors.rank_min_records
        end as min_size
    from kpi_values
    join registry using (kpi_id)
    cross join factors
    left join buildings on buildings.unit_code = kpi_values.unit_code
    left join fleet on fleet.unit_code = kpi_values.unit_code and fleet.grain = kpi_values.grain and fleet.period = kpi_values.period
    left join proc_records on proc_records.unit_code = kpi_values.unit_code and proc_records.grain = kpi_values.grain and proc_records.period = kpi_values.period
    left join meeting_counts on meeting_counts.unit_code = kpi_values.unit_code and meeting_counts.grain = kpi_values.grain and meeting_counts.period = kpi_values.period
    where kpi_values.unit_code <> 'ALL'
),

flagged as (
    select
        *,
        rankable and coalesce(size < min_size, false) as too_small_to_rank,
        -- Lower-is-better KPIs rank ascending, the others descending.
        case when direction = 'lower' then value else -value end as rank_key
    from unit_values
),

spread as (
    select
        kpi_id, grain, period,
        count(distinct value) filter (where not too_small_to_rank) as distinct_values,
        count(distinct value) as distinct_values_all_units
    from flagged
    group by all
),

ranked as (
    select
        flagged.*,
        rankable and spread.distinct_values < 2 as all_equal,
        -- Every unit, ranked or not, total or rate, at one value (no donations anywhere, say).
        spread.distinct_values_all_units < 2 as units_all_equal,
        case when rankable and not too_small_to_rank and spread.distinct_values >= 2 then
            rank() over (partition by kpi_id, grain, period, too_small_to_rank order by rank_key)
        end as rank,
        case when rankable then count(*) filter (where not too_small_to_rank) over (partition by kpi_id, grain, period) end as ranked_units
    from flagged
    join spread using (kpi_id, grain, period)
),

peers as (
    select
        kpi_id,
        grain,
        period,
        median(value) as peer_median,
        -- Units tied for first are all named.
        string_agg(unit_code, ',' order by unit_code) filter (where rank = 1) as best_unit,
        min(value) filter (where rank = 1) as best_value
    from ranked
    where not too_small_to_rank
    group by all
),

final as (
    select
        ranked.kpi_id,
        ranked.unit_code,
        ranked.grain,
        ranked.period,
        ranked.value,
        ranked.direction,
        ranked.rankable,
        ranked.rank,
        ranked.ranked_units,
        case when ranked.rank is not null then 1 + floor(4 * (ranked.rank - 1) / ranked.ranked_units)::integer end as quartile,
        peers.peer_median,
        peers.best_unit,
        peers.best_value,
        ranked.value - peers.peer_median as gap_to_median,
        ranked.value - peers.best_value as gap_to_best,
        prior.value as prior_year_value,
        ranked.value - prior.value as change_vs_prior_year,
        case when prior.value <> 0 and ranked.value * prior.value >= 0 then (ranked.value - prior.value) / abs(prior.value) end as change_vs_prior_year_pct,
        ranked.too_small_to_rank,
        ranked.all_equal as rank_withheld,
        ranked.units_all_equal,
        case
            when not ranked.rankable or ranked.too_small_to_rank or peers.peer_median is null or peers.peer_median = 0 then null
            when ranked.direction = 'lower' then (ranked.value - peers.peer_median) / abs(peers.peer_median)
            else (peers.peer_median - ranked.value) / abs(peers.peer_median)
        end as behind_median,
        ranked.size_basis,
        ranked.size
    from ranked
    left join peers using (kpi_id, grain, period)
    left join kpi_values as prior
      on prior.kpi_id = ranked.kpi_id
     and prior.unit_code = ranked.unit_code
     and prior.grain = ranked.grain
     and prior.period = cast(cast(left(ranked.period, 4) as integer) - 1 as varchar) || substr(ranked.period, 5)
)

select * from final

-- Who lags on each KPI compared across units (kpis.peer_comparable), in one grain and period: the
-- three units furthest behind the peer median (benchmarks.behind_median, direction-aware), and the
-- briefing's own unit wherever it stands. position is the order behind the median (1 = furthest),
-- null for a unit not behind it.
with bench as (
    select * from benchmarks
    where grain = getvariable('grain') and period = getvariable('period')
),

behind as (
    select kpi_id, unit_code, row_number() over (partition by kpi_id order by behind_median desc, unit_code) as position
    from bench
    where behind_median > 0
)

select kpis.area, bench.kpi_id, bench.unit_code, bench.value, bench.peer_median, bench.behind_median,
       bench.rank, bench.ranked_units, bench.too_small_to_rank, behind.position
from bench
join kpis using (kpi_id)
left join behind using (kpi_id, unit_code)
where kpis.peer_comparable and (behind.position <= 3 or bench.unit_code = getvariable('unit'))
order by kpis.area, kpis.sort_order, behind.position nulls last, bench.unit_code

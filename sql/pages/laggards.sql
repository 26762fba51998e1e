-- Who lags, per period the dashboard offers: the units furthest behind the peer median on the KPIs declared
-- comparable across units (rates and intensities), twelve per period, furthest first.
select grain, period, kpi_id, unit_code, value, peer_median, behind_median
from (
    select
        bench.*,
        row_number() over (partition by bench.grain, bench.period order by bench.behind_median desc, bench.kpi_id, bench.unit_code) as position
    from benchmarks as bench
    join kpis using (kpi_id)
    join dashboard_periods using (grain, period)
    where kpis.peer_comparable and bench.behind_median > 0
)
where position <= 12
order by grain, period, position

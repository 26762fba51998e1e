-- Whether the exports behind one period can be trusted (export_quality_periods): the city's row
-- per export table, then for the city briefing every unit late or heavily quarantined, for a
-- unit's briefing that unit's own rows.
select
    quality.unit_code, quality.table_name, strftime(quality.latest_month, '%Y-%m') as latest_month,
    quality.is_late, quality.files, quality.rows_read, quality.rows_quarantined, quality.quarantine_share,
    quality.is_heavily_quarantined, quality.units_late, quality.units_heavily_quarantined
from export_quality_periods as quality
left join (select table_name, rowid as table_order from ref.contract_tables) as tables using (table_name)
left join (select unit_code, rowid as unit_order from ref.units) as units using (unit_code)
where quality.grain = getvariable('grain')
  and quality.period = getvariable('period')
  and (
      quality.unit_code in ('ALL', getvariable('unit'))
      or (getvariable('unit') = 'ALL' and (quality.is_late or quality.is_heavily_quarantined))
  )
order by quality.unit_code <> 'ALL', units.unit_order, tables.table_order

-- What the overview leads with at one grain: kpi_highlights for the city and every unit, per
-- period the dashboard offers, in reading order.
select period, unit_code, position, kind, kpi_id, other_unit, value, basis, reference_value, change, change_unit, is_good, target_is_example, table_name, units_count,
       event_id, name_zh, name_en, strftime(starts_on, '%Y-%m-%d') as starts_on, strftime(ends_on, '%Y-%m-%d') as ends_on
from kpi_highlights
where grain = getvariable('grain')
order by period, unit_code, position

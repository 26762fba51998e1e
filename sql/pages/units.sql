-- The units, in the reference table's order: code, names, kind, population and staff.
select unit_code, name_zh, name_en, kind, population, staff
from ref.units
order by rowid

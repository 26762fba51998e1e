-- The export tables a district can send, with the blank template of each (data/templates/).
select table_name, name_zh, name_en
from ref.contract_tables
order by rowid

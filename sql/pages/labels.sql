-- Names of coded values in both languages, for the tables that show them: the export contract's
-- coded columns (carrier, vehicle class, energy type, procurement method, …).
select table_name, column_name, code, name_zh, name_en
from ref.contract_values
order by table_name, column_name, code

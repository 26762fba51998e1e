-- Names of coded values in both languages, for the tables that show them: the export contract's
-- coded columns (carrier, vehicle class, energy type, procurement method, …), and the asset and
-- item categories the exports write in Chinese (ref.categories; a category not listed there is
-- shown as written).
select table_name, column_name, code, name_zh, name_en
from ref.contract_values
union all
select columns.table_name, columns.column_name, categories.name_zh, categories.name_zh, categories.name_en
from ref.categories
cross join (values ('pool_transactions', 'asset_category'), ('procurement', 'item_category')) as columns(table_name, column_name)
order by table_name, column_name, code

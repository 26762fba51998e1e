-- Every model of the catalog `steward docs` wrote: its layer, description, rows, columns, the
-- kinds of its tests with their last results, and what it reads. Layers in the order data flows.
with catalog as (
    select unnest(models) as m
    from read_json(getvariable('catalog'), maximum_object_size = 67108864)
)

select
    m.name,
    m.layer,
    m.description,
    m.row_count,
    list_transform(m.columns, c -> c.name) as columns,
    len(m.tests) as tests,
    len(list_filter(m.tests, t -> t.status = 'pass')) as tests_passed,
    len(list_filter(m.tests, t -> t.status in ('fail', 'error'))) as tests_failed,
    m.depends_on.models as depends_on,
    m.depends_on.sources as sources,
    coalesce(m.yaml_file, m.file) as file
from catalog
order by list_position(['staging', 'intermediate', 'marts', 'kpis'], m.layer), m.name

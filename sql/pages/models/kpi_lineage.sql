-- Where each KPI comes from, from the catalog `steward docs` wrote: the model that computes it,
-- every model upstream of it, and the export tables (raw.*) and reference tables (ref.*) those
-- models read. The calendar (int_calendar_days) spans every export's dates but feeds no figure
-- with values, so the walk stops there: what it reads is not listed as a KPI's input.
with recursive catalog as (
    select unnest(models) as m
    from read_json(getvariable('catalog'), maximum_object_size = 67108864)
),

edges as (
    select m.name as model, unnest(m.depends_on.models) as upstream from catalog
),

model_sources as (
    select m.name as model, unnest(m.depends_on.sources) as source from catalog
),

walk(kpi_id, model) as (
    select kpi_id, model from kpis
    union
    select walk.kpi_id, edges.upstream
    from walk
    join edges using (model)
    where walk.model <> 'int_calendar_days'
),

final as (
    select
        walk.kpi_id,
        list(distinct walk.model order by walk.model) as models,
        coalesce(list(distinct model_sources.source order by model_sources.source) filter (where model_sources.source like 'raw.%'), []) as exports,
        coalesce(list(distinct model_sources.source order by model_sources.source) filter (where model_sources.source like 'ref.%'), []) as references
    from walk
    left join model_sources on model_sources.model = walk.model and walk.model <> 'int_calendar_days'
    group by walk.kpi_id
)

select final.kpi_id, kpis.model, final.models, final.exports, final.references
from final
join kpis using (kpi_id)
order by final.kpi_id

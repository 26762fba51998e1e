-- The KPI registry: one row per KPI as declared beside its model (kpi_declarations), with the
-- factors and thresholds it uses rendered from the reference tables — value, unit, source and
-- year — so an edited factor shows up here too, and the grid-factor series for KPIs that use it.
with declarations as (
    select * from kpi_declarations
),

-- The deployment's own series (a unit on another grid has its own, named on its carbon rows).
grid as (
    select * from int_grid_factors
    where factor_series = (select value from ref.settings where setting_id = 'grid_factor_series')
),

factor_rows as (
    select * from int_factor_catalog
),

factor_lists as (
    select
        declarations.kpi_id,
        list({'id': factor_rows.id, 'value': factor_rows.value, 'unit': factor_rows.unit, 'unit_zh': factor_rows.unit_zh, 'convention': factor_rows.convention,
              'source_en': factor_rows.source, 'source_zh': factor_rows.source_zh, 'year': factor_rows.year} order by factor_rows.id) as factors,
        string_agg(
            factor_rows.id || ' = ' || factor_rows.value || ' ' || factor_rows.unit || coalesce(' ' || factor_rows.convention, '')
                || ' (' || factor_rows.source || coalesce(', ' || factor_rows.year, '') || ')',
            '; ' order by factor_rows.id
        ) as factor_text
    from declarations
    cross join unnest(declarations.factor_ids) as f(factor_id)
    join factor_rows on factor_rows.id = f.factor_id
    group by declarations.kpi_id
),

grid_series as (
    select
        any_value(factor_series) as series,
        list(distinct {'year': factor_year, 'value': kgco2_per_kwh, 'source_en': factor_source, 'source_zh': factor_source_zh} order by {'year': factor_year, 'value': kgco2_per_kwh, 'source_en': factor_source, 'source_zh': factor_source_zh}) as published,
        list(data_year order by data_year) filter (where factor_is_fallback) as fallback_years,
        'grid factor series ' || any_value(factor_series) || ': '
            || string_agg(distinct factor_year || ' ' || kgco2_per_kwh || ' kgCO2/kWh (' || factor_source || ')', '; ' order by factor_year || ' ' || kgco2_per_kwh || ' kgCO2/kWh (' || factor_source || ')')
            || coalesce('; fallback used for ' || string_agg(data_year::varchar, ', ' order by data_year) filter (where factor_is_fallback), '')
            as text
    from grid
),

final as (
    select
        declarations.kpi_id,
        declarations.area,
        declarations.also_on,
        declarations.sort_order,
        declarations.is_lead,
        declarations.headline,
        declarations.peer_comparable,
        -- Units are ranked on a KPI only when its value does not grow with the unit's size: a rate,
        -- share, ratio or intensity (a measure with a denominator). A total (emissions, trips, cost)
        -- ranks the largest unit last whatever it does.
        declarations.kind in ('share', 'ratio', 'intensity') or declarations.measure_type = 'ratio' as rankable,
        declarations.name_zh,
        declarations.name_en,
        declarations.definition_zh,
        declarations.definition_en,
        declarations.formula_zh,
        declarations.formula_en,
        declarations.kind,
        declarations.unit_zh,
        declarations.unit_en,
        declarations.display_zh,
        declarations.display_en,
        declarations.decimals,
        -- The unit kpi_values holds the value in: yuan for money, a fraction for shares.
        case declarations.kind
            when 'money' then replace(declarations.unit_en, ' per ', '/')
            when 'share' then 'share'
            else coalesce(nullif(declarations.unit_en, ''), 'number')
        end as unit_of_measure,
        declarations.direction,
        declarations.grains,
        declarations.defined_grain,
        declarations.range_low,
        declarations.range_high,
        declarations.measure_type,
        declarations.numerator,
        declarations.denominator,
        declarations.denominator_kind,
        declarations.row_filter,
        declarations.target_rule,
        declarations.rank_basis as size_basis,
        declarations.model,
        declarations.declared_in,
        declarations.definition_en as formula,
        coalesce(factor_lists.factors, []) as factors,
        -- A factor drawn as a labelled line on the KPI's trend (the US FPMR distance, the HHI line).
        declarations.reference_factor,
        (select value from factor_rows where factor_rows.id = declarations.reference_factor) as reference_value,
        declarations.reference_label_zh,
        declarations.reference_label_en,
        case when declarations.uses_grid_factor then grid_series.series end as grid_series,
        case when declarations.uses_grid_factor then grid_series.published end as grid_factors,
        case when declarations.uses_grid_factor then grid_series.fallback_years end as grid_fallback_years,
        'model: ' || declarations.model
            || coalesce('; factors: ' || factor_lists.factor_text, '')
            || case when declarations.uses_grid_factor then coalesce('; ' || grid_series.text, '; grid factor: none published for the selected series') else '' end
            as source
    from declarations
    cross join grid_series
    left join factor_lists using (kpi_id)
)

select * from final

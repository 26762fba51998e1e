-- Every KPI as declared, with the factors it uses (value, unit, source, year), its target rule
-- and the model that computes it: the cards, tables and definitions of every page read this.
select
    kpi_id, area, also_on, sort_order, is_lead, headline, peer_comparable, rankable,
    name_zh, name_en, definition_zh, definition_en, formula_zh, formula_en,
    kind, unit_zh, unit_en, display_zh, display_en, decimals, direction,
    grains, defined_grain, measure_type, target_rule, size_basis, model, declared_in,
    factors, reference_factor, reference_value, reference_label_zh, reference_label_en, grid_series, grid_factors, grid_fallback_years
from kpis
order by area, sort_order, kpi_id

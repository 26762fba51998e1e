/**
 * The KPI layer's generated models, written from the KPI declarations (engine/kpis.ts) so that
 * declaring a KPI beside its model is all it takes to put it in kpi_values:
 *   kpi_declarations       one row per KPI: every declared field, for the registry and the site;
 *   kpi_components         each summed KPI's numerator, denominator and weight per unit and month;
 *   kpi_period_components  each per-period KPI's value per unit (and ALL), grain and period.
 * They are plain SQL like every other model (`steward kpis --sql` prints them); the rest of the KPI
 * layer (rollup, kpi_values, benchmarks, targets, cards) is written by hand in sql/kpis/.
 */
import { sqlString } from '../warehouse/db.ts';
import { sortKpis, type KpiDeclaration } from './kpis.ts';
import { bareSelect, sha256, type GeneratedPart, type Model } from './model.ts';

export const GENERATED_FROM = '(generated from the KPI declarations)';

const lit = (v: string | null | undefined) => (v === null || v === undefined ? 'null::VARCHAR' : `${sqlString(v)}::VARCHAR`);
const num = (v: number | null | undefined, type = 'DOUBLE') => (v === null || v === undefined ? `null::${type}` : `${v}::${type}`);
const bool = (v: boolean) => (v ? 'true' : 'false');
const list = (xs: string[]) => (xs.length ? `[${xs.map(sqlString).join(', ')}]::VARCHAR[]` : '[]::VARCHAR[]');

function measureType(k: KpiDeclaration): 'sum' | 'ratio' | 'period' {
  return k.measure.value ? 'period' : k.measure.denominator ? 'ratio' : 'sum';
}

function declarationRow(k: KpiDeclaration): string {
  const m = k.measure;
  const cols: [string, string][] = [
    ['kpi_id', lit(k.id)],
    ['area', lit(k.area)],
    ['also_on', list(k.alsoOn)],
    ['sort_order', num(k.order, 'INTEGER')],
    ['is_lead', bool(k.lead)],
    ['headline', num(k.headline, 'INTEGER')],
    ['peer_comparable', bool(k.peerComparable)],
    ['name_zh', lit(k.name.zh)],
    ['name_en', lit(k.name.en)],
    ['definition_zh', lit(k.definition.zh)],
    ['definition_en', lit(k.definition.en)],
    ['formula_zh', lit(k.formula.zh)],
    ['formula_en', lit(k.formula.en)],
    ['kind', lit(k.kind)],
    ['unit_zh', lit(k.unit.zh)],
    ['unit_en', lit(k.unit.en)],
    ['display_zh', lit(k.display?.zh)],
    ['display_en', lit(k.display?.en)],
    ['decimals', num(k.decimals, 'INTEGER')],
    ['direction', lit(k.direction)],
    ['grains', list(k.grains)],
    ['defined_grain', lit(k.definedGrain)],
    ['range_low', num(k.range[0])],
    ['range_high', num(k.range[1])],
    ['measure_type', lit(measureType(k))],
    ['numerator', lit(m.numerator ?? m.value)],
    ['denominator', lit(m.denominator)],
    ['denominator_kind', lit(m.denominatorKind ?? (m.denominator ? 'flow' : m.value ? null : 'none'))],
    ['row_filter', lit(m.where)],
    ['factor_ids', list(k.factors)],
    ['reference_factor', lit(k.referenceLine?.factor)],
    ['reference_label_zh', lit(k.referenceLine?.label.zh)],
    ['reference_label_en', lit(k.referenceLine?.label.en)],
    ['uses_grid_factor', bool(k.gridFactor)],
    ['target_rule', lit(k.target)],
    ['rank_basis', lit(k.rankBasis)],
    ['model', lit(k.model)],
    ['declared_in', lit(`${k.file}${k.line ? `:${k.line}` : ''}`)],
  ];
  return `select ${cols.map(([c, v]) => `${v} as ${c}`).join(', ')}`;
}

/** Orders a multi-row sum by the model's grain, so a sum of doubles never depends on thread order. */
function summed(expr: string, order: string): string {
  return `sum((${expr})${order})::DOUBLE`;
}

function componentPart(k: KpiDeclaration, grain: string[] | undefined): string {
  const m = k.measure;
  const extra = (grain ?? []).filter((c) => c !== 'unit_code' && c !== 'month');
  const order = extra.length ? ` order by ${extra.join(', ')}` : '';
  const kind = m.denominator ? m.denominatorKind ?? 'flow' : 'none';
  const weight = kind === 'stock' ? (m.weight ? summed(m.weight, order) : 'dayofmonth(last_day(month))::DOUBLE') : 'null::DOUBLE';
  return [
    `select ${sqlString(k.id)} as kpi_id, unit_code, month,`,
    `       ${summed(m.numerator!, order)} as numerator,`,
    `       ${m.denominator ? summed(m.denominator, order) : 'null::DOUBLE'} as denominator,`,
    `       '${kind}' as denominator_kind,`,
    `       ${weight} as weight`,
    `from ${k.model}`,
    ...(m.where ? [`where ${m.where}`] : []),
    'group by unit_code, month',
  ].join('\n');
}

function periodPart(k: KpiDeclaration): string {
  const m = k.measure;
  return [
    `select ${sqlString(k.id)} as kpi_id, unit_code, grain, period,`,
    `       (${m.value})::DOUBLE as value,`,
    `       ${m.monthsCounted ? `(${m.monthsCounted})::BIGINT` : 'null::BIGINT'} as months_counted`,
    `from ${k.model}`,
  ].join('\n');
}

/** Joins parts with `union all`, remembering the lines each part occupies (for error messages). */
function unionOf(header: string, parts: { k: KpiDeclaration; sql: string }[], empty: string): { sql: string; parts: GeneratedPart[] } {
  let sql = header;
  const out: GeneratedPart[] = [];
  if (!parts.length) return { sql: sql + empty, parts: out };
  parts.forEach(({ k, sql: text }, i) => {
    if (i) sql += '\nunion all\n';
    const firstLine = sql.split('\n').length;
    sql += text;
    out.push({ label: `KPI ${k.id}`, file: k.file, line: k.line, sql: text, firstLine, lastLine: sql.split('\n').length });
  });
  return { sql, parts: out };
}

function generated(name: string, sql: string, files: string[], description: string, parts: GeneratedPart[] = []): Model {
  const text = bareSelect(sql);
  return {
    name,
    layer: 'kpis',
    file: GENERATED_FROM,
    sql: text,
    spec: { description, columns: [], tests: [] },
    sqlHash: sha256(text),
    yamlHash: sha256(''),
    generatedFrom: files,
    parts,
  };
}

/** The generated models of a project whose models declare these KPIs (none when no KPI is declared). */
export function kpiModels(kpis: KpiDeclaration[], models: Model[]): Model[] {
  if (!kpis.length) return [];
  const sorted = sortKpis(kpis);
  const files = [...new Set(sorted.map((k) => k.file))].sort();
  const grainOf = new Map(models.map((m) => [m.name, m.spec.grain]));
  const note = (what: string) => `-- Generated from the KPI declarations (\`kpis:\` in ${files.join(', ')}):\n-- ${what}\n-- Edit the declarations, not this text; \`steward kpis --sql\` prints it.\n`;

  const declarations = generated(
    'kpi_declarations',
    note('one row per KPI with every declared field.') + sorted.map(declarationRow).join('\nunion all\n'),
    files,
    'Every KPI as declared: names, definitions and formulas in both languages, kind, unit, direction, grains, measure, factors, target rule, rank basis, and the model that computes it.',
  );
  const summedKpis = sorted.filter((k) => !k.measure.value);
  const components = unionOf(
    note('each summed KPI\'s numerator, denominator and weight per unit and month.'),
    summedKpis.map((k) => ({ k, sql: componentPart(k, grainOf.get(k.model)) })),
    "select null::VARCHAR as kpi_id, null::VARCHAR as unit_code, null::DATE as month, null::DOUBLE as numerator, null::DOUBLE as denominator, null::VARCHAR as denominator_kind, null::DOUBLE as weight where false",
  );
  const periodKpis = sorted.filter((k) => k.measure.value);
  const period = unionOf(
    note('each per-period KPI\'s value per unit (and ALL), grain and period.'),
    periodKpis.map((k) => ({ k, sql: periodPart(k) })),
    "select null::VARCHAR as kpi_id, null::VARCHAR as unit_code, null::VARCHAR as grain, null::VARCHAR as period, null::DOUBLE as value, null::BIGINT as months_counted where false",
  );
  return [
    declarations,
    generated('kpi_components', components.sql, files, 'Monthly sums behind every summed KPI: numerator, denominator (none, flow or stock) and the days weighting a stock denominator, per unit and month.', components.parts),
    generated('kpi_period_components', period.sql, files, 'Every KPI computed per period rather than summed from months, per unit (and ALL), grain and period.', period.parts),
  ];
}

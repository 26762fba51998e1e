/**
 * KPI declarations: every KPI is declared once, under `kpis:` in the YAML of the model that
 * computes it (the way dbt declares a metric beside its mart). The declaration says what the KPI
 * means (names, definitions and formulas in Chinese and English), how it is shown (kind, unit,
 * direction), how it is measured from its model's rows (numerator, denominator, filter) and how it
 * is judged (factors, target rule, rank basis, headline). Everything else reads it: the KPI layer's
 * generated models (`kpi_declarations`, `kpi_components`, `kpi_period_components`), the `kpis`
 * registry, the site, the docs and the tests.
 *
 * A declaration's measure comes in two shapes:
 *   - numerator [+ denominator]: SQL expressions over one row of the model, summed over the rows of
 *     each unit and month (`where` filters the rows). With a denominator the KPI is a ratio,
 *     recomputed from the sums at every grain; `denominator_kind: stock` averages the denominator
 *     over a period's months weighted by days (`weight`, default the days of the month).
 *   - value: the model already has one row per unit (and ALL), grain and period with this value
 *     column, for KPIs that are not sums of months (loans open at a period's end, a concentration).
 */
import { LineCounter, parseDocument, type Document } from 'yaml';

/** A quantity is a measured amount in its unit (km, kgce, tCO₂e); a count, whole things (trips, loans). */
export const KPI_KINDS = ['count', 'money', 'share', 'ratio', 'intensity', 'quantity'] as const;
export const KPI_DIRECTIONS = ['higher', 'lower'] as const;
export const KPI_GRAINS = ['month', 'quarter', 'year'] as const;
/** `path`: a straight line from the unit's baseline year to the target year; `level`: a value to reach each year. */
export const TARGET_RULES = ['none', 'path', 'level'] as const;
/** What makes a unit too small to rank (fewer than the rank_min_* threshold of these). */
export const RANK_BASES = ['buildings', 'vehicles', 'records', 'meetings'] as const;

export type KpiKind = (typeof KPI_KINDS)[number];
export type Bilingual = { zh: string; en: string };

export interface KpiMeasure {
  /** SQL expression over one model row, summed per unit and month. */
  numerator?: string;
  denominator?: string;
  denominatorKind?: 'flow' | 'stock';
  /** Days weighting a stock denominator (SQL over one row, summed); default the month's days. */
  weight?: string;
  where?: string;
  /** Column of a period model holding the KPI's value (unit, grain, period rows). */
  value?: string;
  /** Column of a period model counting the months behind the value. */
  monthsCounted?: string;
}

export interface KpiDeclaration {
  id: string;
  area: string;
  /** Other area pages that show the KPI too. */
  alsoOn: string[];
  order: number;
  /** The area's lead KPI: its trend opens the area page. */
  lead: boolean;
  /** Position among the overview's headline cards. */
  headline?: number;
  /** Compared across units on the overview (a rate or an intensity, not a total that measures size). */
  peerComparable: boolean;
  name: Bilingual;
  definition: Bilingual;
  formula: Bilingual;
  kind: KpiKind;
  unit: Bilingual;
  /** How a value reads in a sentence, `{value}` standing for the formatted number. */
  display?: Bilingual;
  decimals?: number;
  direction: 'higher' | 'lower';
  grains: string[];
  /** The grain the KPI is defined at, where other grains are shown for charts only. */
  definedGrain?: string;
  /** Inclusive bounds every value must keep (a share: 0 to 1). */
  range: [number | null, number | null];
  measure: KpiMeasure;
  factors: string[];
  /** One of the KPI's factors drawn as a labelled line on its trend (a reference, not a target). */
  referenceLine?: { factor: string; label: Bilingual };
  gridFactor: boolean;
  target: (typeof TARGET_RULES)[number];
  rankBasis?: (typeof RANK_BASES)[number];
  /** The model whose YAML declares the KPI, and where. */
  model: string;
  file: string;
  line?: number;
}

export class KpiDeclarationError extends Error {}

const ID = /^[a-z][a-z0-9_]*$/;
const KEYS = [
  'id', 'area', 'also_on', 'order', 'lead', 'headline', 'peer_comparable', 'name', 'definition', 'formula', 'kind', 'unit', 'display',
  'decimals', 'direction', 'grains', 'defined_grain', 'range', 'numerator', 'denominator', 'denominator_kind', 'weight', 'where', 'value',
  'months_counted', 'factors', 'reference_line', 'grid_factor', 'target', 'rank_basis',
];

/** Line of a YAML path (1-based), for messages. */
function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

/**
 * The KPIs a model's YAML declares. `text` is the YAML file's text (for line numbers), `raw` the
 * parsed `kpis:` value.
 */
export function parseKpiDeclarations(raw: unknown, text: string, file: string, model: string): KpiDeclaration[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (!Array.isArray(raw)) throw new KpiDeclarationError(`${file}:${lineOf(doc, counter, ['kpis']) ?? ''}: kpis must be a list of KPI declarations (id, area, name, …)`);
  return raw.map((entry, i) => {
    const at = (key?: string) => {
      const line = lineOf(doc, counter, key ? ['kpis', i, key] : ['kpis', i]);
      const id = entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>).id === 'string' ? ` (${(entry as Record<string, unknown>).id})` : '';
      return `${file}${line ? `:${line}` : ''}: kpis[${i}]${id}${key ? `.${key}` : ''}`;
    };
    const fail = (key: string | undefined, msg: string) => new KpiDeclarationError(`${at(key)}: ${msg}`);
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw fail(undefined, 'a KPI declaration is a mapping (id, area, name, definition, …)');
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!KEYS.includes(k)) throw fail(k, `unknown key "${k}" (expected one of ${KEYS.join(', ')})`);
    const str = (key: string, required = true): string | undefined => {
      const v = e[key];
      if (v === undefined || v === null || v === '') {
        if (required) throw fail(key, 'is missing');
        return undefined;
      }
      if (typeof v !== 'string' && typeof v !== 'number') throw fail(key, `must be text, got ${JSON.stringify(v)}`);
      return String(v).trim();
    };
    const bilingual = (key: string, required = true): Bilingual | undefined => {
      const v = e[key];
      if (v === undefined || v === null) {
        if (required) throw fail(key, 'is missing: give it in both languages, {zh: …, en: …}');
        return undefined;
      }
      if (typeof v !== 'object' || Array.isArray(v)) throw fail(key, 'must be {zh: …, en: …}');
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) if (k !== 'zh' && k !== 'en') throw fail(key, `unknown language "${k}" (zh and en)`);
      const zh = o.zh === undefined || o.zh === null ? undefined : String(o.zh).trim();
      const en = o.en === undefined || o.en === null ? undefined : String(o.en).trim();
      if (zh === undefined || en === undefined) throw fail(key, 'needs both zh and en (an empty string "" where a language shows nothing)');
      if (/[\u4e00-\u9fff]/.test(en)) throw fail(key, `its English text contains Chinese characters: "${en}"`);
      return { zh, en };
    };
    const oneOf = <T extends string>(key: string, values: readonly T[], fallback?: T): T => {
      const v = e[key] ?? fallback;
      if (v === undefined) throw fail(key, `is missing (one of ${values.join(', ')})`);
      if (!values.includes(v as T)) throw fail(key, `must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
      return v as T;
    };
    const bool = (key: string): boolean => {
      const v = e[key];
      if (v === undefined || v === null) return false;
      if (typeof v !== 'boolean') throw fail(key, `must be true or false, got ${JSON.stringify(v)}`);
      return v;
    };
    const list = (key: string): string[] => {
      const v = e[key];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw fail(key, 'must be a list of names');
      return v as string[];
    };
    const int = (key: string): number | undefined => {
      const v = e[key];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw fail(key, `must be a whole number, got ${JSON.stringify(v)}`);
      return v;
    };

    const id = str('id')!;
    if (!ID.test(id)) throw fail('id', `"${id}" is not a KPI id: lower-case letters, digits and _ (it is stable: a renamed KPI keeps its id)`);
    const area = str('area')!;
    if (!ID.test(area)) throw fail('area', `"${area}" is not an area id`);
    const kind = oneOf('kind', KPI_KINDS);
    const grains = e.grains === undefined ? [...KPI_GRAINS] : list('grains');
    for (const g of grains) if (!(KPI_GRAINS as readonly string[]).includes(g)) throw fail('grains', `unknown grain "${g}" (${KPI_GRAINS.join(', ')})`);
    const definedGrain = str('defined_grain', false);
    if (definedGrain && !grains.includes(definedGrain)) throw fail('defined_grain', `"${definedGrain}" is not one of the KPI's grains (${grains.join(', ')})`);

    let range: [number | null, number | null] = kind === 'share' ? [0, 1] : [null, null];
    if (e.range !== undefined) {
      const r = e.range;
      if (!Array.isArray(r) || r.length !== 2 || r.some((x) => x !== null && typeof x !== 'number')) throw fail('range', 'must be [low, high], either may be null');
      range = r as [number | null, number | null];
    }

    const measure: KpiMeasure = {
      numerator: str('numerator', false),
      denominator: str('denominator', false),
      weight: str('weight', false),
      where: str('where', false),
      value: str('value', false),
      monthsCounted: str('months_counted', false),
    };
    if (measure.value) {
      for (const k of ['numerator', 'denominator', 'weight', 'where', 'denominator_kind'] as const) {
        if (e[k] !== undefined) throw fail(k, 'a KPI with `value` is read per period from its model: numerator, denominator, weight, where and denominator_kind do not apply');
      }
    } else {
      if (!measure.numerator) throw fail('numerator', 'is missing: give `numerator` (summed per unit and month, with an optional `denominator`), or `value` for a model with one row per unit, grain and period');
      if (measure.monthsCounted) throw fail('months_counted', 'applies to a KPI read per period (`value`)');
      if (measure.denominator) measure.denominatorKind = oneOf('denominator_kind', ['flow', 'stock'] as const, 'flow');
      else if (e.denominator_kind !== undefined || measure.weight) throw fail(e.denominator_kind !== undefined ? 'denominator_kind' : 'weight', 'applies to a KPI with a denominator');
      if (measure.weight && measure.denominatorKind !== 'stock') throw fail('weight', 'weights a stock denominator only (denominator_kind: stock)');
    }

    const factors = list('factors');
    let referenceLine: KpiDeclaration['referenceLine'];
    if (e.reference_line !== undefined && e.reference_line !== null) {
      const r = e.reference_line;
      if (typeof r !== 'object' || Array.isArray(r)) throw fail('reference_line', 'must be {factor: <one of the KPI\'s factors>, label: {zh: …, en: …}}');
      const { factor, label, ...rest } = r as Record<string, unknown>;
      for (const k of Object.keys(rest)) throw fail('reference_line', `unknown key "${k}" (factor, label)`);
      if (typeof factor !== 'string' || !factors.includes(factor)) throw fail('reference_line', `factor must be one of the KPI's factors (${factors.join(', ') || 'none declared'}), got ${JSON.stringify(factor)}`);
      const l = label as Record<string, unknown> | undefined;
      if (!l || typeof l !== 'object' || typeof l.zh !== 'string' || typeof l.en !== 'string' || !l.zh.trim() || !l.en.trim()) throw fail('reference_line', 'label must be {zh: …, en: …}, the words beside the line');
      if (/[\u4e00-\u9fff]/.test(l.en)) throw fail('reference_line', `its English label contains Chinese characters: "${l.en}"`);
      referenceLine = { factor, label: { zh: l.zh.trim(), en: l.en.trim() } };
    }

    const headline = int('headline');
    const rankBasis = e.rank_basis === undefined || e.rank_basis === null ? undefined : oneOf('rank_basis', RANK_BASES);
    const display = bilingual('display', false);
    if (display && (!display.zh.includes('{value}') || !display.en.includes('{value}'))) throw fail('display', 'must hold {value} in both languages, where the number goes');
    return {
      id,
      area,
      alsoOn: list('also_on'),
      order: int('order') ?? 1000,
      lead: bool('lead'),
      headline,
      peerComparable: bool('peer_comparable'),
      name: bilingual('name')!,
      definition: bilingual('definition')!,
      formula: bilingual('formula')!,
      kind,
      unit: bilingual('unit', kind !== 'money' && kind !== 'share') ?? (kind === 'money' ? { zh: '元', en: 'yuan' } : { zh: '', en: '' }),
      display,
      decimals: int('decimals'),
      direction: oneOf('direction', KPI_DIRECTIONS),
      grains,
      definedGrain,
      range,
      measure,
      factors,
      referenceLine,
      gridFactor: bool('grid_factor'),
      target: oneOf('target', TARGET_RULES, 'none'),
      rankBasis,
      model,
      file,
      line: lineOf(doc, counter, ['kpis', i]),
    };
  });
}

/** Checks that hold across declarations: unique ids, one lead per area, distinct headline places. */
export function checkKpiSet(kpis: KpiDeclaration[]): void {
  const problems: string[] = [];
  const where = (k: KpiDeclaration) => `${k.file}${k.line ? `:${k.line}` : ''}`;
  const seen = new Map<string, KpiDeclaration>();
  for (const k of kpis) {
    const other = seen.get(k.id);
    if (other) problems.push(`${where(k)}: KPI ${k.id} is already declared in ${where(other)}; a KPI is declared once`);
    seen.set(k.id, k);
  }
  const areas = new Set(kpis.map((k) => k.area));
  for (const a of areas) {
    const leads = kpis.filter((k) => k.area === a && k.lead);
    if (leads.length > 1) problems.push(`${where(leads[1])}: area ${a} has two lead KPIs (${leads.map((k) => k.id).join(', ')}); mark one \`lead: true\``);
  }
  for (const k of kpis) for (const a of k.alsoOn) if (!areas.has(a)) problems.push(`${where(k)}: ${k.id}.also_on names area "${a}", which no KPI belongs to`);
  const headlines = new Map<number, KpiDeclaration>();
  for (const k of kpis) {
    if (k.headline === undefined) continue;
    const other = headlines.get(k.headline);
    if (other) problems.push(`${where(k)}: ${k.id} and ${other.id} both take headline place ${k.headline}`);
    headlines.set(k.headline, k);
  }
  if (problems.length) throw new KpiDeclarationError(problems.join('\n'));
}

/** KPIs in reading order: by `order`, then id. */
export function sortKpis(kpis: KpiDeclaration[]): KpiDeclaration[] {
  return [...kpis].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}


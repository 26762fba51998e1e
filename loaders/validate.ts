/**
 * Parsing and validation in SQL: every cell of the staging table is parsed by a DuckDB macro,
 * and every rule of the contract becomes a CASE that adds {column, rule, reason} to the row's list
 * of problems. A row with no problem is loaded; any other row is quarantined with its first one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT, dateRule, type Column, type RowRule, type Table } from '../contract/contract.ts';
import { QUANTITY_UNITS, type HeaderMapping } from './headers.ts';
import { ident, sqlString } from '../warehouse/db.ts';

/**
 * Value parsers shared by every load (temp macros live as long as the connection). Each tries
 * DuckDB's own cast first — ISO dates and plain numbers, the bulk of every export — and only
 * falls back to the forgiving regex path (full-width digits, 2024年3月5日, 1,234元) when it fails.
 * CASE, not COALESCE: only CASE leaves the slow branch unevaluated for rows the fast one parsed.
 * Macros expand inline, so a value used many times is bound once through a one-element
 * list_transform: the expression stays small and a file's query plans in milliseconds.
 */
/** What Excel (and WPS) show in a cell whose formula failed. */
export const EXCEL_ERRORS = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#EXTERNAL!'];

export const VALUE_MACROS = String.raw`
create or replace temp macro st_blank(s) as coalesce(trim(s::VARCHAR), '') = '';
create or replace temp macro st_clean(s) as
  nullif(trim(translate(s::VARCHAR, '０１２３４５６７８９．，－：／　＋', '0123456789.,-:/ +')), '');
create or replace temp macro st_finite(x) as case when isfinite(x) then x end;
create or replace temp macro st_num_slow(s) as list_transform([regexp_replace(st_clean(s), '^[¥￥]\s*|\s*(元|rmb|RMB)$', '', 'g')], c ->
  case when regexp_full_match(c, '[+-]?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d*)(\.\d+)?') then st_finite(try_cast(replace(replace(c, ',', ''), ' ', '') as DOUBLE)) end)[1];
create or replace temp macro st_num(s) as
  case when s is null then null when not contains(s, '_') and isfinite(try_cast(s as DOUBLE)) then try_cast(s as DOUBLE) else st_num_slow(s) end;
create or replace temp macro st_int(s) as
  case when st_num(s) = round(st_num(s)) and abs(st_num(s)) < 9e15 then st_num(s)::BIGINT end;
create or replace temp macro st_dt_parts(c) as
  regexp_extract(c, '^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$', ['y','mo','d','h','mi','s']);
create or replace temp macro st_ts_slow(s) as list_transform([st_clean(s)], c -> case
    when c is null then null
    when regexp_full_match(c, '\d{8}') then try_strptime(c, '%Y%m%d')
    when regexp_full_match(c, '\d{8} ?\d{1,2}:\d{2}(:\d{2})?')
      then try_strptime(regexp_replace(regexp_replace(c, '^(\d{8}) ?', '\1 '), '^(\d{8} \d{1,2}:\d{2})$', '\1:00'), '%Y%m%d %H:%M:%S')
    when regexp_full_match(c, '\d{5}(\.\d+)?') and c::DOUBLE between 10000 and 90000
      then timestamp '1899-12-30' + to_seconds(round(c::DOUBLE * 86400)::BIGINT)
    else list_transform([st_dt_parts(c)], p -> case when p.y = '' then null else try_strptime(
      p.y || '-' || p.mo || '-' || p.d || ' ' || coalesce(nullif(p.h, ''), '0') || ':' || coalesce(nullif(p.mi, ''), '0') || ':' ||
      coalesce(nullif(p.s, ''), '0'), '%Y-%m-%d %H:%M:%S') end)[1]
  end)[1];
create or replace temp macro st_iso_ts(s) as
  case when regexp_full_match(s, '\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?') then try_cast(s as TIMESTAMP) end;
create or replace temp macro st_ts(s) as
  list_transform([st_iso_ts(s)], v -> case when v is not null then v when s is null then null else st_ts_slow(s) end)[1];
create or replace temp macro st_has_time(s) as list_transform([coalesce(st_clean(s), '')], c ->
  regexp_matches(c, '\d[:时]\d') or regexp_full_match(c, '\d{5}\.\d*[1-9]\d*'))[1];
create or replace temp macro st_date(s) as st_ts(s)::DATE;
create or replace temp macro st_bool(s) as
  case when lower(st_clean(s)) in ('是', 'y', 'yes', 'true', 't', '1', '√') then true
       when lower(st_clean(s)) in ('否', 'n', 'no', 'false', 'f', '0', '×') then false end;
create or replace temp macro st_key(s) as lower(regexp_replace(st_clean(s), '[\s''’·]', '', 'g'));
create or replace temp macro st_excel_error(s) as regexp_full_match(trim(s), '${EXCEL_ERRORS.map((e) => e.replace('?', '\\?')).join('|')}');
create or replace temp macro st_float_text(s) as regexp_full_match(trim(s), '[+-]?\d+(\.\d+)?[eE][+-]?\d+');
`;

/** Unit names as exports write them → unit code, built from ref.units each load. */
export const UNIT_ALIAS_SQL = String.raw`
create or replace temp table st_unit_alias as
with names as (
  select unit_code, unnest(list_concat([unit_code, name_zh, name_en,
    case when length(name_zh) > 2 and name_zh not like '%本级' then regexp_replace(name_zh, '(区|县|市)$', '') end],
    string_split(coalesce(aliases, ''), '|'))) as alias
  from ref.units
)
select distinct st_key(alias) as alias, unit_code from names where st_key(alias) is not null;
`;

const QUANTITY_UNIT_SQL = `create or replace temp table st_quantity_unit as select * from (values ${Object.entries(QUANTITY_UNITS)
  .map(([k, v]) => `(${sqlString(k)}, ${sqlString(v.unit)}, ${v.factor})`)
  .join(', ')}) t(key, unit, factor);`;

export async function installParsers(conn: DuckDBConnection): Promise<void> {
  await conn.run(VALUE_MACROS);
  await conn.run(UNIT_ALIAS_SQL);
  await conn.run(QUANTITY_UNIT_SQL);
}

const quote = (s: string) => sqlString(s);

function enumCase(c: Column, raw: string): string {
  const whens: string[] = [];
  for (const v of c.values ?? []) {
    for (const spelling of new Set([v.code, v.zh, ...(v.also ?? [])])) whens.push(`when ${quote(spelling.toLowerCase())} then ${quote(v.code)}`);
  }
  return `case lower(trim(${raw})) ${whens.join(' ')} end`;
}

function parseExpr(c: Column, raw: string, scale: number): string {
  if (c.values) return enumCase(c, raw);
  const scaled = (e: string) => (scale === 1 ? e : `(${e} * ${scale})`);
  switch (c.type) {
    case 'text': return `nullif(trim(${raw}), '')`;
    case 'int': return scale === 1 ? `st_int(${raw})` : `round(st_num(${raw}) * ${scale})::BIGINT`;
    case 'num': return scaled(`st_num(${raw})`);
    case 'money': return `try_cast(round(${scaled(`st_num(${raw})`)}, 2) as DECIMAL(18,2))`;
    case 'date': return `st_date(${raw})`;
    case 'datetime':
    case 'date_or_datetime': return `st_ts(${raw})`;
    case 'bool': return `st_bool(${raw})`;
  }
}

function typeRule(c: Column): { rule: string; expected: string } {
  if (c.values) return { rule: 'bad_value', expected: `one of ${c.values.map((v) => v.zh).join(', ')}` };
  switch (c.type) {
    case 'date': return { rule: 'bad_date', expected: 'a date such as 2024-03-05, 2024/3/5 or 2024年3月5日' };
    case 'datetime':
    case 'date_or_datetime': return { rule: 'bad_datetime', expected: 'a date and time such as 2024-03-05 08:30' };
    case 'int': return { rule: 'bad_number', expected: 'a whole number' };
    case 'num':
    case 'money': return { rule: 'bad_number', expected: 'a number' };
    case 'bool': return { rule: 'bad_value', expected: '是 or 否' };
    default: return { rule: 'bad_value', expected: 'text' };
  }
}

/**
 * A rule: an SQL condition true for a faulty row, and the problem struct it adds. `suspect` is a
 * cheaper condition true at least whenever `cond` is (null tests instead of trimming every cell):
 * every row is screened by it, and only suspect rows evaluate the exact conditions.
 */
interface Check { cond: string; problem: string; suspect?: string }
const when = (cond: string, p: string, suspect?: string): Check => ({ cond, problem: p, suspect });
const PROBLEMS_TYPE = 'STRUCT("column" VARCHAR, rule VARCHAR, reason VARCHAR)[]';

/**
 * The row's list of problems. Most rows have none, so the list is only built when one of the
 * (cheap, boolean) conditions holds.
 */
function problemList(checks: Check[]): string {
  if (!checks.length) return `[]::${PROBLEMS_TYPE}`;
  const any = [...new Set(checks.map((c) => `coalesce(${c.suspect ?? c.cond}, false)`))].join('\n      or ');
  const list = checks.map((c) => `case when ${c.cond} then ${c.problem} end`).join(',\n        ');
  return `case when ${any}\n    then list_filter([${list}], x -> x is not null)::${PROBLEMS_TYPE} else []::${PROBLEMS_TYPE} end`;
}

/** A row a mapping marked (loaders/mapping.ts): skipped as not reported, or quarantined, with its own rule and reason. */
const MARKED = `_error like '{"mark":true%'`;
const MARK_PROBLEM = `{'column': json_extract_string(_error, '$.column'), 'rule': json_extract_string(_error, '$.rule'), 'reason': json_extract_string(_error, '$.reason')}`;

/** Ids are text: the table's key, references and every `…_id` column. */
function isIdColumn(t: Table, c: Column): boolean {
  return c.type === 'text' && !c.values && (c.name.endsWith('_id') || t.key.includes(c.name) || (t.references ?? []).some((r) => r.column === c.name));
}

/** A struct literal for one problem; `reason` is an SQL expression. */
const problem = (column: string, rule: string, reason: string) => `{'column': ${quote(column)}, 'rule': ${quote(rule)}, 'reason': ${reason}}`;
const shown = (raw: string) => `'"' || left(${raw}, 60) || '"'`;

export interface ValidationPlan {
  /** Small lookup tables built from the distinct values of `src` (units, reading units). */
  prepare: string[];
  /** The SELECT over staging table `src` that planDerived names `parsed` (one statement, one bind). */
  parseSql: string;
}

/**
 * SQL that turns the staging view `src` (_file, _seq, _row, _error, c0…: the files of a batch)
 * into `parsed`: raw text as `<col>__raw` for the reasons, each column parsed, `unit_code`
 * resolved, and `problems` listing everything wrong with the row except duplicates, which need
 * the whole load (see load.ts).
 */
export function planValidation(m: HeaderMapping, opts: { fileLevelProblem?: string } = {}): ValidationPlan {
  const t = m.table;
  const byName = new Map(m.columns.map((mc) => [mc.column.name, mc]));
  const rawOf = (name: string) => {
    const mc = byName.get(name);
    return mc ? `src.c${mc.index}` : 'null::VARCHAR';
  };
  const sel: string[] = ['src._file', 'src._seq', 'src._row', 'src._error'];
  const joins: string[] = [];
  const prepare: string[] = [];
  const checks: Check[] = [];
  if (opts.fileLevelProblem) checks.push(when('true', problem('', 'file', quote(opts.fileLevelProblem))));
  checks.push(when(`_error like 'skipped by mapping%'`, problem('', 'skipped_by_mapping', '_error'), '_error is not null'));
  checks.push(when(MARKED, MARK_PROBLEM, '_error is not null'));
  checks.push(when(`_error is not null and _error not like 'skipped by mapping%' and not ${MARKED}`, problem('', 'unreadable_row', '_error'), '_error is not null'));
  for (const bu of m.badUnits) {
    checks.push(when('true', problem(bu.header, 'bad_unit', quote(`header "${bu.header}": ${bu.reason}`))));
  }

  for (const c of t.columns) {
    const src = rawOf(c.name);
    const raw = ident(c.name + '__raw');
    const mc = byName.get(c.name);
    sel.push(`${src} as ${raw}`);
    const label = `${c.zh} (${c.name})`;
    if (c.name === 'unit') {
      // A unit is named the same way on most rows: resolve each distinct spelling once.
      prepare.push(`create or replace temp table st_unit_map as select raw, (select ua.unit_code from st_unit_alias ua where ua.alias = st_key(raw)) as unit_code
        from (select distinct ${src} as raw from src where ${src} is not null)`);
      joins.push(`left join st_unit_map um on um.raw = ${src}`);
      sel.push(src === 'null::VARCHAR' ? 'null::VARCHAR as unit_code_given' : 'um.unit_code as unit_code_given');
      // A blank or unknown unit has no code: the screen is a null test.
      if (c.required) checks.push(when(`st_blank(${raw})`, problem('unit', 'missing_required', quote(`${label} is empty`)), 'unit_code_given is null'));
      checks.push(when(`not st_blank(${raw}) and unit_code_given is null`, problem('unit', 'unknown_unit', `'unknown unit ' || ${shown(raw)} || ' (use a code, name or pinyin from the units table)'`),
        `unit_code_given is null and ${raw} is not null`));
      continue;
    }
    sel.push(`${parseExpr(c, src, mc?.scale ?? 1)} as ${ident(c.name)}`);
    if (mc) {
      // A cell whose formula failed is an error, whatever the column: never a value, never blank.
      // (One regular expression, not a list of literals: the check is in every column's plan.)
      checks.push(when(`st_excel_error(${raw})`, problem(c.name, 'excel_error', `${quote(c.name + ' ')} || ${shown(raw)} || ' is an Excel error value (a formula that failed): fix the formula or clear the cell'`),
        `(${raw} >= '#' and ${raw} < '$')`));
      // An id that went through a number column: Excel keeps 15 digits and shows 1.23457E+17.
      if (isIdColumn(t, c)) {
        checks.push(when(`st_float_text(${raw})`, problem(c.name, 'bad_id', `${quote(c.name + ' ')} || ${shown(raw)} || ' is a number in exponent form, not an id: Excel rounded it; format the column as text and export again'`),
          `(contains(${raw}, 'E') or contains(${raw}, 'e'))`));
      }
    }
    // Every parser returns NULL for a blank cell, so a blank or unparsable cell has a NULL value.
    if (c.required) checks.push(when(`st_blank(${raw})`, problem(c.name, 'missing_required', quote(`${label} is empty`)), `${ident(c.name)} is null`));
    const tr = typeRule(c);
    // Text cannot fail to parse: a text cell is only ever blank.
    if (c.type !== 'text' || c.values) {
      checks.push(when(`not st_blank(${raw}) and ${ident(c.name)} is null`, problem(c.name, tr.rule, `${quote(c.name + ' ')} || ${shown(raw)} || ${quote(` is not ${tr.expected}`)}`),
        `${ident(c.name)} is null and ${raw} is not null`));
    }
    if (c.min !== undefined) {
      const op = c.minInclusive ? '<' : '<=';
      const what = c.min === 0 ? (c.minInclusive ? 'is negative' : 'must be greater than 0') : `is below ${c.min}`;
      checks.push(when(`${ident(c.name)} ${op} ${c.min}`, problem(c.name, c.min === 0 && c.minInclusive ? 'negative_value' : 'out_of_range', `${quote(c.name + ' ')} || ${ident(c.name)}::VARCHAR || ${quote(' ' + what)}`)));
    }
    if (c.max !== undefined) {
      checks.push(when(`${ident(c.name)} > ${c.max}`, problem(c.name, 'out_of_range', `${quote(c.name + ' ')} || ${ident(c.name)}::VARCHAR || ${quote(` is above ${c.max}`)}`)));
    }
  }

  if (t.name === 'energy_readings') {
    // Interval readings carry times; a date period_end is inclusive, a datetime one exclusive.
    sel.push(`st_has_time(${rawOf('period_start')}) as is_interval`);
    sel.push(`st_has_time(${rawOf('period_end')}) as end_has_time`);
    const headerUnit = byName.get('quantity')?.quantityUnit;
    joins.push(`left join st_quantity_unit qu on qu.key = lower(trim(${rawOf('quantity_unit')}))`);
    sel.push('qu.unit as row_unit', 'qu.factor as row_unit_factor');
    sel.push(`${headerUnit ? quote(headerUnit) : 'null::VARCHAR'} as header_unit`);
    joins.push(`left join (select building_id, any_value(unit_code) as unit_code from raw.buildings group by 1) bu on bu.building_id = trim(${rawOf('building_id')})`);
    sel.push('bu.unit_code as building_unit');
    checks.push(when(`not st_blank(quantity_unit__raw) and row_unit is null`, problem('quantity_unit', 'bad_unit', `'quantity_unit ' || ${shown('quantity_unit__raw')} || ' is not one of 千瓦时, 万千瓦时, 立方米, 升, 吨'`),
      'row_unit is null and quantity_unit__raw is not null'));
  }

  const problems = problemList(checks);
  const parseSql = `with p as (select ${sel.join(',\n      ')} from src ${joins.join(' ')})
    select *, ${problems} as problems from p`;

  return { prepare, parseSql };
}

/**
 * Second step, on the parsed rows: derived values (energy units and periods, the unit of a reading),
 * cross-column rules and references, producing temp table `checked`.
 */
export function planDerived(t: Table, parseSql: string, opts: { referenceSchema?: string; month?: string } = {}): string {
  const refSchema = opts.referenceSchema ?? 'raw';
  const extra: string[] = [];
  let unitExpr = 'unit_code_given';
  if (t.name === 'energy_readings') {
    unitExpr = 'coalesce(unit_code_given, building_unit)';
    extra.push(`coalesce(header_unit, row_unit, case carrier when 'electricity' then 'kWh' when 'pv_generation' then 'kWh' when 'natural_gas' then 'm3' when 'water' then 'm3' when 'diesel' then 'L' end) as q_unit_in`);
  }
  const refs = t.references ?? [];
  const checks = [...dateChecks(t), ...ruleChecks(t), ...referenceChecks(t)];
  // Known references by one hash join each; the raw text columns serve the reasons above and are
  // not kept: a quarantined row's record is read back from the staging tables when it is written.
  return `create or replace temp table checked as
    with parsed as (${parseSql}),
    d as (select *, ${unitExpr} as unit_code${extra.length ? ', ' + extra.join(', ') : ''} from parsed),
    e as (select * ${t.name === 'energy_readings' ? energyColumns() : ''} from d),
    f as (select e.*${refs.map((_, i) => `, _r${i}._key is not null as _ref${i}_known`).join('')}, _b.* exclude (unit_code) from e
      ${refs.map((r, i) => `left join (select distinct ${ident(r.targetColumn)} as _key from ${refSchema}.${r.table}) _r${i} on _r${i}._key = e.${ident(r.column)}`).join('\n      ')}
      left join st_date_bounds _b on _b.unit_code = e.unit_code),
    g as (select * replace (${checks.length ? `list_concat(problems, ${problemList(checks)})` : 'problems'} as problems),
      ${opts.month ?? 'null::VARCHAR'} as _month
    from f)
    select columns(c -> not ends_with(c, '__raw') and not regexp_full_match(c, '_ref\\d+_known') and not starts_with(c, '_b_')) from g`;
}

function energyColumns(): string {
  // Water by the tonne is m³; other units must fit the carrier.
  return `, case when q_unit_in = 't' and carrier = 'water' then 'm3' else q_unit_in end as quantity_unit_canonical,
    quantity * coalesce(case when header_unit is null then row_unit_factor end, 1) as quantity_canonical,
    case when end_has_time or (period_end is null and is_interval) then coalesce(period_end, period_start + interval 1 hour)
         when period_end is not null then period_end + interval 1 day
         else period_start + interval 1 month end as period_end_exclusive`;
}

/** A value of ref.thresholds; a missing row stops the load rather than turning its rule off. */
export function thresholdSql(id: string): string {
  return `(select coalesce(max(value), error(${quote(`ref.thresholds has no row ${id}: add it to data/reference/thresholds.csv`)})) from ref.thresholds where threshold_id = ${quote(id)})`;
}

/** Limits of ref.thresholds that contract rules name ({limit}); a load reads them once, with the date bounds. */
const RULE_THRESHOLDS = [...new Set(CONTRACT.flatMap((t) => (t.rules ?? []).flatMap((r) => (r.threshold ? [r.threshold] : []))))];
const limitColumn = (id: string) => `_b_${id}`;

/**
 * The bounds of a plausible date per unit (contract.ts, dateRule), for planDerived's checks: the
 * earliest event date (January of the unit's first export year minus the margin), the earliest
 * register date, the latest date and term after today, and the rules' limits. Built once per load.
 */
export const DATE_BOUNDS_SQL = `create or replace temp table st_date_bounds as
  with t as (select ${thresholdSql('date_past_margin_years')}::INTEGER as past_years, ${thresholdSql('date_future_margin_days')}::INTEGER as future_days,
    ${thresholdSql('date_register_earliest_year')}::INTEGER as register_year, ${thresholdSql('date_term_max_years')}::INTEGER as term_years
    ${RULE_THRESHOLDS.map((id) => `, ${thresholdSql(id)} as ${ident(limitColumn(id))}`).join('')})
  select u.unit_code, u.first_export_year as _b_first_year,
    make_date(coalesce(u.first_export_year - t.past_years, t.register_year), 1, 1)::TIMESTAMP as _b_earliest,
    make_date(t.register_year, 1, 1)::TIMESTAMP as _b_register,
    (current_date + t.future_days + 1)::TIMESTAMP as _b_latest,
    (current_date + to_years(t.term_years) + interval 1 day)::TIMESTAMP as _b_term
    ${RULE_THRESHOLDS.map((id) => `, t.${ident(limitColumn(id))}`).join('')}
  from ref.units u, t`;

/** Dates outside what the contract finds plausible for their column (contract.ts, dateRule). */
function dateChecks(t: Table): Check[] {
  const out: Check[] = [];
  const day = (e: string) => `strftime(${e}, '%Y-%m-%d')`;
  for (const c of t.columns) {
    const rule = dateRule(t, c);
    if (!rule) continue;
    const col = ident(c.name);
    const [lower, why] = rule === 'register'
      ? ['_b_register', 'date_register_earliest_year in ref.thresholds: an empty date written as 1899, 1900 or 1970?']
      : ['_b_earliest', `the unit''s first export year ' || coalesce(_b_first_year::VARCHAR, '(none)') || ' in ref.units less date_past_margin_years in ref.thresholds: a mistyped or empty date?`];
    out.push(when(`${col} < ${lower}`, problem(c.name, 'implausible_date', `${quote(c.name + ' ')} || ${day(col)} || ' is before ' || ${day(lower)} || ' (${why})'`)));
    const [upper, ahead] = rule === 'term'
      ? ['_b_term', 'more than date_term_max_years after the load date (ref.thresholds): a mistyped year?']
      : ['_b_latest', 'more than date_future_margin_days after the load date (ref.thresholds): a mistyped year?'];
    out.push(when(`${col} >= ${upper}`, problem(c.name, 'implausible_date', `${quote(c.name + ' ')} || ${day(col)} || ' is ${ahead}'`)));
  }
  return out;
}

/**
 * A contract rule's condition with its limit from ref.thresholds for {limit}: in a load, the
 * column planDerived joins in (the query plans it once); elsewhere, a subquery.
 */
export function ruleCondition(r: RowRule, inLoad = false): string {
  if (!r.threshold) return r.failsWhen;
  return r.failsWhen.replaceAll('{limit}', inLoad ? ident(limitColumn(r.threshold)) : thresholdSql(r.threshold));
}

function ruleChecks(t: Table): Check[] {
  const out = (t.rules ?? []).map((r) => {
    // A limit from ref.thresholds stands for {limit}, in the condition and in the reason.
    const reason = r.threshold ? r.reason.split('{limit}').map(quote).join(` || regexp_replace(${ident(limitColumn(r.threshold))}::VARCHAR, '\\.0$', '') || `) : quote(r.reason);
    return when(ruleCondition(r, true), problem(r.column, r.id === 'no_distance' ? 'missing_required' : r.id, reason));
  });
  if (t.name === 'energy_readings') {
    out.push(when(`carrier is not null and q_unit_in is not null and not (
        (carrier in ('electricity', 'pv_generation') and q_unit_in = 'kWh') or (carrier = 'natural_gas' and q_unit_in = 'm3') or
        (carrier = 'water' and q_unit_in in ('m3', 't')) or (carrier = 'diesel' and q_unit_in in ('L', 't')))`,
      problem('quantity_unit', 'bad_unit', `'unit ' || q_unit_in || ' does not fit carrier ' || carrier`)));
  }
  return out;
}

/** A reference not found in its table (the flag comes from planDerived's join). */
function referenceChecks(t: Table): Check[] {
  return (t.references ?? []).map((r, i) => when(
    `${ident(r.column)} is not null and not _ref${i}_known`,
    problem(r.column, 'unknown_reference', `'unknown ${r.column} ' || ${shown(ident(r.column))} || ' (not in ${r.table}; load the ${r.table} export first)'`)));
}

/** Expressions producing raw.<table>'s columns from `checked`. */
export function rawColumnExprs(t: Table): string[] {
  const cols: string[] = [];
  for (const c of t.columns) {
    if (c.name === 'unit') cols.push('unit_code');
    else if (t.name === 'energy_readings' && c.name === 'period_end') cols.push('period_end_exclusive as period_end');
    else if (t.name === 'energy_readings' && c.name === 'quantity') cols.push('quantity_canonical as quantity');
    else if (t.name === 'energy_readings' && c.name === 'quantity_unit') cols.push('quantity_unit_canonical as quantity_unit');
    else cols.push(ident(c.name));
  }
  if (t.name === 'energy_readings') cols.push('is_interval');
  return cols;
}

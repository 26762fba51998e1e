/**
 * Signs that a file which loads is still not what it claims: text decoded with the wrong
 * encoding somewhere upstream (mojibake such as `â€œ`, `Ã©`), amounts whose magnitudes fit 万元
 * under a header that says yuan or nothing, and a unit-month with far fewer rows than the unit
 * usually sends (a cut export). They do not stop the load: they are printed with the file and
 * kept in its ledger message.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from '../contract/contract.ts';
import { all, ident, sqlString } from '../warehouse/db.ts';
import { monthExpr } from '../warehouse/schema.ts';
import type { HeaderMapping } from './headers.ts';

/**
 * Windows-1252's characters for bytes 0x80–0x9F (0x81, 0x8D, 0x8F, 0x90 and 0x9D have none and
 * stay control characters): a UTF-8 continuation byte read as cp1252 becomes one of these.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
/** The byte each of those characters was. */
export const CP1252_BYTES = new Map([...CP1252_HIGH].map((ch, i) => [ch, 0x80 + i]));

/**
 * UTF-8 read as Windows-1252 or Latin-1: a lead byte (Â–ß for two bytes, à–ï for three) followed
 * by continuation bytes shown as cp1252 or Latin-1 characters (`Ã©` for é, `â€œ` for “); and the
 * marks a lost character leaves (U+FFFD, 锟斤拷).
 */
function mojibakePattern(range: (lo: number, hi: number) => string): string {
  const cont = `[${range(0x80, 0xbf)}${CP1252_HIGH}]`;
  return `[ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß]${cont}|[àáâãäåæçèéêëìíîï]${cont}{2}|\uFFFD|锟斤拷`;
}
const hex = (n: number) => n.toString(16).padStart(4, '0');
export const MOJIBAKE = new RegExp(mojibakePattern((lo, hi) => `\\u${hex(lo)}-\\u${hex(hi)}`));
/** The same pattern in RE2's syntax, for DuckDB. */
export const MOJIBAKE_SQL = mojibakePattern((lo, hi) => `\\x{${lo.toString(16)}}-\\x{${hi.toString(16)}}`);

export function looksLikeMojibake(text: string): boolean {
  return MOJIBAKE.test(text);
}

/** A unit-month with fewer than this share of the unit's usual monthly rows is called short. */
const SHORT_MONTH_SHARE = 0.25;
/** Months of history the usual count is taken from, and the fewest it needs. */
const HISTORY_MONTHS = 12;
const MIN_HISTORY = 3;
/** A usual month this small says nothing about a short one. */
const MIN_USUAL_ROWS = 20;

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Warnings for each file of a batch (by its position in the batch), from the temp table
 * `checked` of loaders/load.ts before it is written.
 */
export async function batchWarnings(conn: DuckDBConnection, t: Table, m: HeaderMapping, files: number): Promise<string[][]> {
  const out: string[][] = Array.from({ length: files }, () => []);
  const clean = 'len(problems) = 0';

  const text = m.columns.filter((mc) => mc.column.type === 'text' && !mc.column.values && mc.column.name !== 'unit');
  if (text.length) {
    const counts = text.map((mc) => `count(*) filter (where regexp_matches(${ident(mc.column.name)}, ${sqlString(MOJIBAKE_SQL)})) as ${ident(mc.column.name)}`);
    const examples = text.map((mc) => `min(${ident(mc.column.name)}) filter (where regexp_matches(${ident(mc.column.name)}, ${sqlString(MOJIBAKE_SQL)})) as ${ident(`${mc.column.name}__e`)}`);
    const rows = await all<Record<string, unknown>>(conn, `select _file, ${[...counts, ...examples].join(', ')} from checked where ${clean} group by _file`);
    for (const r of rows) {
      for (const mc of text) {
        const k = Number(r[mc.column.name] ?? 0);
        if (k) out[Number(r._file)].push(`${mc.column.name}: ${n(k)} rows carry mojibake (text decoded with the wrong encoding upstream), e.g. "${String(r[`${mc.column.name}__e`]).slice(0, 40)}"; ask for the export again in UTF-8, or repair it with a mapping's replace`);
      }
    }
  }

  // 万元 amounts under a header that says yuan (or nothing): the median gives them away.
  const money = m.columns.filter((mc) => mc.column.wanYuanBelow !== undefined && mc.scale === 1);
  if (money.length) {
    const medians = money.map((mc) => `median(${ident(mc.column.name)})::DOUBLE as ${ident(mc.column.name)}, count(${ident(mc.column.name)}) as ${ident(`${mc.column.name}__n`)}`);
    const rows = await all<Record<string, unknown>>(conn, `select _file, ${medians.join(', ')} from checked where ${clean} group by _file`);
    for (const r of rows) {
      for (const mc of money) {
        const median = r[mc.column.name] as number | null;
        if (median === null || Number(r[`${mc.column.name}__n`]) < 3 || median >= mc.column.wanYuanBelow!) continue;
        out[Number(r._file)].push(`${mc.column.name}: the median amount under header "${mc.header}" is ${median} yuan, below ${n(mc.column.wanYuanBelow!)}: amounts like these are usually 万元; if so, say 万元 in the header (${mc.column.zh.replace(/\(元\)$/, '')}(万元)) or convert them in a mapping (convert: { ${mc.column.name}: { factor: 10000, source: … } }) and load the file again`);
      }
    }
  }

  // A unit-month far below the unit's usual rows: a cut or partial export.
  const month = monthExpr(t);
  const [span] = month ? await all<{ lo: string | null; hi: string | null }>(conn, `select min(_month) as lo, max(_month) as hi from checked where ${clean}`) : [];
  if (month && span?.lo && span.hi) {
    const r = monthExpr(t, 'r.')!;
    // A literal range on the month column lets DuckDB skip the row groups of other months.
    const from = `strftime(date '${span.lo}-01' - interval ${HISTORY_MONTHS} month, '%Y-%m-%d')`;
    const [{ lo }] = await all<{ lo: string }>(conn, `select ${from} as lo`);
    const range = t.monthColumn && t.name !== 'procurement' ? ` and r.${ident(t.monthColumn)} >= '${lo}' and r.${ident(t.monthColumn)} < '${span.hi}-01'::DATE + interval 1 month` : '';
    const rows = await all<{ f: number; unit: string; month: string; rows: number; usual: number; months: number }>(conn, `
      with file_months as (
        select _file as f, unit_code as unit, _month as month, count(*) as rows from checked where ${clean} and unit_code is not null group by all),
      history as (
        select r.unit_code as unit, ${r} as month, count(*) as rows from raw.${t.name} r
        where r.unit_code in (select unit from file_months)${range} group by all),
      usual as (
        select fm.f, fm.unit, fm.month, any_value(fm.rows) as rows, median(h.rows) as usual, count(*) as months
        from file_months fm join history h on h.unit = fm.unit and h.month < fm.month
          and h.month >= strftime((fm.month || '-01')::DATE - interval ${HISTORY_MONTHS} month, '%Y-%m')
        group by all)
      select * from usual where months >= ${MIN_HISTORY} and usual >= ${MIN_USUAL_ROWS} and rows < usual * ${SHORT_MONTH_SHARE}
      order by f, unit, month`);
    for (const x of rows) {
      out[Number(x.f)].push(`${x.unit} ${x.month}: ${n(Number(x.rows))} rows, where ${x.unit} usually sends ${n(Math.round(Number(x.usual)))} a month (median of its ${x.months} months before): is the export complete?`);
    }
  }
  return out;
}

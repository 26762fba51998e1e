/**
 * Property tests for the value parsers (DuckDB macros), the unit in a header and unit aliases:
 * what a parser accepts round-trips to the value that was written, what it rejects comes back as
 * NULL (which validation reports as a quarantine reason) — never an exception, never a shifted
 * value (2023-02-29 is not silently 2023-03-01). Many generated values go into one query.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT, TABLES } from '../../contract/contract.ts';
import { all } from '../../warehouse/db.ts';
import { mapHeaders } from '../../loaders/headers.ts';
import { installParsers } from '../../loaders/validate.ts';
import { freshWarehouse } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../warehouse/db.ts';

let w: Warehouse;
let conn: DuckDBConnection;
beforeAll(async () => {
  w = await freshWarehouse();
  conn = w.conn;
  await installParsers(conn);
});
afterAll(() => w.close());

const RUNS = { numRuns: 20, seed: 20240601 };
const BATCH = 200;

/** Evaluates `expr` (using `s`) for every input in one query; results in input order. */
async function evalAll(expr: string, inputs: string[]): Promise<unknown[]> {
  const rows = await all<{ i: number; v: unknown }>(conn, `select i, (${expr})::VARCHAR as v from (
      select unnest(l) as s, generate_subscripts(l, 1) as i from (select from_json(?::VARCHAR, '["VARCHAR"]') as l)) order by i`, [JSON.stringify(inputs)]);
  return rows.map((r) => r.v);
}

const fullWidth = (s: string) => s.replace(/[0-9.,\-:/ +]/g, (c) => ({ '.': '．', ',': '，', '-': '－', ':': '：', '/': '／', ' ': '　', '+': '＋' } as Record<string, string>)[c] ?? String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('numbers (st_num, st_int)', () => {
  // Amounts in cents, so every written form has an exact decimal value.
  const cents = fc.integer({ min: -99_999_999_999, max: 99_999_999_999 });
  const spelled = fc.tuple(cents, fc.constantFrom('plain', 'grouped', 'yuan', 'yen', 'fullwidth', 'spaced'));
  const write = ([c, style]: [number, string]) => {
    const plain = (c / 100).toFixed(2);
    const grouped = (c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return { plain: plain, grouped, yuan: grouped + '元', yen: '¥' + plain, fullwidth: fullWidth(grouped), spaced: `  ${plain} ` }[style]!;
  };

  it('reads back every amount as written: plain, 1,234.56, 元, ¥, full-width digits', async () => {
    await fc.assert(fc.asyncProperty(fc.array(spelled, { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('st_num(s)', xs.map(write));
      // st_num returns DOUBLE; the cents value is compared at cent precision.
      xs.forEach(([c], i) => expect(Math.round(Number(got[i]) * 100), `${write(xs[i])}`).toBe(c));
    }), RUNS);
  });

  it('takes whole numbers only where a whole number is expected', async () => {
    const got = await evalAll('st_int(s)', ['12', '12.0', '12.5', '１２', '-3', '9e15', '1,000']);
    expect(got).toEqual(['12', '12', null, '12', '-3', null, '1000']);
  });

  it('rejects anything else as NULL, never with an error, never as infinity or NaN', async () => {
    const junk = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('NaN', 'inf', '-Infinity', '1e999', '1,2,3元元', '¥', '元', '--1', '0x1F', '1.2.3', ''));
    await fc.assert(fc.asyncProperty(fc.array(junk, { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('st_num(s)', xs);
      got.forEach((v, i) => {
        if (v === null) return;
        const n = Number(v);
        expect(Number.isFinite(n), `${JSON.stringify(xs[i])} → ${v}`).toBe(true);
        // Whatever is accepted is a number once separators, currency marks and full width are removed.
        const bare = xs[i].normalize('NFKC').replace(/[,\s¥￥]|元$|rmb$/gi, '');
        expect(Number(bare), `${JSON.stringify(xs[i])} → ${v}`).toBeCloseTo(n, 6);
      });
    }), RUNS);
  });
});

describe('dates and times (st_ts, st_date)', () => {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const moment = fc.record({ y: fc.integer({ min: 1990, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }), time: fc.constantFrom('none', 'hm', 'hms'), style: fc.constantFrom('iso', 'slash', 'zh', 'dots', 'compact', 'fullwidth') })
    .map((x) => ({ ...x, d: Math.min(x.d, daysIn(x.y, x.m)) }));
  type Moment = typeof moment extends fc.Arbitrary<infer T> ? T : never;
  const write = (x: Moment) => {
    const time = x.time === 'none' ? '' : x.time === 'hm' ? ` ${p2(x.h)}:${p2(x.mi)}` : ` ${p2(x.h)}:${p2(x.mi)}:${p2(x.s)}`;
    const date = {
      iso: `${x.y}-${p2(x.m)}-${p2(x.d)}`, slash: `${x.y}/${x.m}/${x.d}`, zh: `${x.y}年${x.m}月${x.d}日`, dots: `${x.y}.${p2(x.m)}.${p2(x.d)}`,
      compact: `${x.y}${p2(x.m)}${p2(x.d)}`, fullwidth: fullWidth(`${x.y}-${x.m}-${x.d}`),
    }[x.style]!;
    return x.style === 'fullwidth' ? date + fullWidth(time) : date + time;
  };
  const expected = (x: Moment) => `${x.y}-${p2(x.m)}-${p2(x.d)} ${x.time === 'none' ? '00:00:00' : `${p2(x.h)}:${p2(x.mi)}:${x.time === 'hms' ? p2(x.s) : '00'}`}`;

  it('reads back every date and time as written, in every accepted form', async () => {
    await fc.assert(fc.asyncProperty(fc.array(moment, { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('st_ts(s)', xs.map(write));
      xs.forEach((x, i) => expect(got[i], write(x)).toBe(expected(x)));
    }), RUNS);
  });

  it('reads Excel serial day numbers as the day they count to', async () => {
    // 2024-01-01 is day 45292 after 1899-12-30, so 2024-03-05 (day 31 + 29 + 5 of the year) is
    // 45292 + 64 = 45356; .5 of a day is noon.
    expect(await evalAll('st_ts(s)', ['45356', '45356.5', '10000'])).toEqual(['2024-03-05 00:00:00', '2024-03-05 12:00:00', '1927-05-18 00:00:00']);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 10_000, max: 90_000 }), { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('st_date(s)', xs.map(String));
      xs.forEach((n, i) => expect(got[i]).toBe(new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10)));
    }), RUNS);
  });

  it('rejects a day that does not exist instead of rolling it into the next month', async () => {
    const impossible = fc.record({ y: fc.integer({ min: 1990, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), extra: fc.integer({ min: 1, max: 3 }), style: fc.constantFrom('iso', 'slash', 'zh', 'dots', 'compact') })
      .filter((x) => daysIn(x.y, x.m) + x.extra <= 31 || x.extra === 1)
      .map((x) => ({ y: x.y, m: x.m, d: daysIn(x.y, x.m) + x.extra, style: x.style }));
    await fc.assert(fc.asyncProperty(fc.array(impossible, { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const written = xs.map((x) => ({ iso: `${x.y}-${p2(x.m)}-${p2(x.d)}`, slash: `${x.y}/${x.m}/${x.d}`, zh: `${x.y}年${x.m}月${x.d}日`, dots: `${x.y}.${p2(x.m)}.${p2(x.d)}`, compact: `${x.y}${p2(x.m)}${p2(x.d)}` })[x.style]!);
      const got = await evalAll('st_ts(s)', written);
      got.forEach((v, i) => expect(v, written[i]).toBeNull());
    }), RUNS);
    expect(await evalAll('st_ts(s)', ['2023-02-29', '2024-13-01', '2024-04-31 08:00', '2024-03-05 08:60', '2024-03-05 23:59:60'])).toEqual([null, null, null, null, null]);
    // 24:00 is the end of the day (ISO 8601), the same instant as the next day's 00:00: not a roll-over.
    expect(await evalAll('st_ts(s)', ['2024-03-05 24:00'])).toEqual(['2024-03-06 00:00:00']);
  });

  it('never throws on arbitrary text: each value is a timestamp or NULL', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 24 }), { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('st_ts(s)', xs);
      got.forEach((v) => expect(v === null || /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(String(v))).toBe(true));
    }), RUNS);
  });
});

describe('units in headers (splitUnit, mapHeaders)', () => {
  // Hand-written: the factor that turns each unit into the column's canonical one.
  const FACTORS: Record<string, Record<string, number>> = {
    money: { 元: 1, 千元: 1e3, 万元: 1e4, 百万元: 1e6, 亿元: 1e8, RMB: 1 },
    distance: { 公里: 1, km: 1, 千米: 1, 米: 0.001, 万公里: 1e4 },
    area: { 平方米: 1, m2: 1, 万平方米: 1e4 },
    energy: { 千瓦时: 1, kWh: 1, 度: 1, 万千瓦时: 1e4, MWh: 1e3 },
    fuel: { 升: 1, L: 1 },
    carbon: { 吨: 1, tCO2e: 1, 千克: 1e-3, kg: 1e-3 },
    duration: { 小时: 1, h: 1, 分钟: 1 / 60 },
    pages: { 页: 1, 张: 1 },
  };
  const measured = CONTRACT.flatMap((t) => t.columns.filter((c) => c.measure && FACTORS[c.measure]).map((c) => ({ t, c })));
  const base = (a: string) => a.replace(/[（(【\[].*$/, '').trim();
  const brackets = fc.constantFrom(['(', ')'], ['（', '）'], ['【', '】'], ['[', ']'], [' (', ')']);

  it('maps a header with any accepted unit to its column, scaled by that unit', () => {
    fc.assert(fc.property(fc.constantFrom(...measured), fc.nat(), fc.nat(), brackets, fc.boolean(), ({ t, c }, ai, ui, [open, close], upper) => {
      const aliases = [c.name, ...c.aliases].map(base).filter((a) => a && !/[a-z]_/.test(a) && !/^[a-z_0-9]+$/.test(a) || a === c.name);
      const alias = aliases[ai % aliases.length];
      const units = Object.entries(FACTORS[c.measure!]);
      const [unit, factor] = units[ui % units.length];
      const header = `${alias}${open}${upper ? unit.toUpperCase() : unit}${close}`;
      const m = mapHeaders(t, [header]);
      const col = m.columns.find((x) => x.column.name === c.name);
      expect(col, `${t.name}: ${header} → ${JSON.stringify(m)}`).toBeDefined();
      expect(col!.scale).toBeCloseTo(factor, 12);
    }), { numRuns: 400, seed: 7 });
  });

  it('reports a unit that does not fit the column, and accounts for every header exactly once', () => {
    fc.assert(fc.property(fc.constantFrom(...CONTRACT), fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('金额(公里)', '里程(万元)', '面积(小时)', '(万元)', '()', '金额()', '金额((万元))')), { maxLength: 12 }), (t, headers) => {
      const m = mapHeaders(t, headers);
      const placed = [...m.columns.map((x) => x.index), ...m.extras.map((x) => x.index), ...m.duplicates.map((x) => x.index), ...m.badUnits.map((x) => x.index)].sort((a, b) => a - b);
      const nonBlank = headers.map((h, i) => (h.trim() ? i : -1)).filter((i) => i >= 0);
      expect(placed).toEqual(nonBlank);
      // A unit in brackets that fits no unit of a measured column is never taken at face value (scale 1).
      for (const x of m.columns) if (x.scale !== 1) expect(x.header).toMatch(/[(（【\[]/);
    }), { numRuns: 300, seed: 11 });
    const t = TABLES.procurement;
    expect(mapHeaders(t, ['预算金额(公里)']).badUnits.map((b) => b.header)).toEqual(['预算金额(公里)']);
  });
});

describe('unit aliases (st_unit_alias)', () => {
  it('resolves every name of every unit, however it is spaced, cased or punctuated', async () => {
    const units = await all<{ unit_code: string; name_zh: string; name_en: string; aliases: string | null }>(conn, 'select unit_code, name_zh, name_en, aliases from ref.units');
    const names = units.flatMap((u) => [u.unit_code, u.name_zh, u.name_en, ...(u.aliases ?? '').split('|').filter(Boolean)].map((n) => ({ n, code: u.unit_code })));
    const decorate = fc.tuple(fc.constantFrom(...names), fc.constantFrom('none', 'upper', 'lower', 'spaces', 'fullwidth-space', 'middot', 'apostrophe'), fc.nat());
    await fc.assert(fc.asyncProperty(fc.array(decorate, { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const written = xs.map(([{ n }, how, at]) => {
        const i = n.length ? at % (n.length + 1) : 0;
        return { none: n, upper: n.toUpperCase(), lower: n.toLowerCase(), spaces: ` ${n.slice(0, i)} ${n.slice(i)} `, 'fullwidth-space': `${n}\u3000`, middot: n.slice(0, i) + '·' + n.slice(i), apostrophe: n.slice(0, i) + "'" + n.slice(i) }[how]!;
      });
      const got = await evalAll('(select unit_code from st_unit_alias a where a.alias = st_key(s))', written);
      xs.forEach(([{ code }], i) => expect(got[i], written[i]).toBe(code));
    }), RUNS);
  });

  it('never maps one spelling to two units', async () => {
    expect(await all(conn, 'select alias, list(unit_code) as codes from st_unit_alias group by 1 having count(distinct unit_code) > 1')).toEqual([]);
  });

  it('resolves nothing for text that names no unit, without an error', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !/[区县市]|^[a-z]{2}$/i.test(s.replace(/[\s'’·]/g, ''))), { minLength: BATCH, maxLength: BATCH }), async (xs) => {
      const got = await evalAll('(select unit_code from st_unit_alias a where a.alias = st_key(s))', xs);
      got.forEach((v, i) => expect(v, JSON.stringify(xs[i])).toBeNull());
    }), RUNS);
  });
});

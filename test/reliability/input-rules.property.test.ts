/**
 * Property tests for how a file's text is read before any value is parsed: which encoding it is
 * in, where each CSV record starts, and what a number with separators means. fast-check, fixed
 * seeds; the CSV scan is checked against DuckDB's own reader and at every chunk size.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, sqlString, type Warehouse } from '../../warehouse/db.ts';
import { lineOf, scanCsvLines } from '../../loaders/csv-lines.ts';
import { fingerprint } from '../../loaders/sources.ts';
import { installParsers } from '../../loaders/validate.ts';
import { freshWarehouse, scratch, type Scratch } from '../helpers/warehouse.ts';

let w: Warehouse;
let s: Scratch;
beforeAll(async () => {
  w = await freshWarehouse();
  await installParsers(w.conn);
  s = scratch();
});
afterAll(() => {
  w.close();
  s.dispose();
});

describe('CSV records and their lines', () => {
  // Text built from the pieces that decide where records start: quotes, delimiters, line ends, blanks.
  const piece = fc.constantFrom('a', 'b', '浙', ',', '"', '""', '\n', '\r\n', ' ', '\t', '\n\n', '  \n', '"x\ny"', ',,', ' "', '" ', ', "');
  const csvText = fc.array(piece, { minLength: 1, maxLength: 60 }).map((p) => p.join(''));
  let n = 0;

  it('counts exactly the records DuckDB reads, and finds the same ones at every read size', async () => {
    await fc.assert(fc.asyncProperty(csvText, async (text) => {
      const path = join(s.dir, `scan-${++n}.csv`);
      writeFileSync(path, text);
      const whole = await scanCsvLines(path, ',', 1 << 26);
      for (const chunk of [1, 2, 3, 7]) expect(await scanCsvLines(path, ',', 1 << 26, chunk), `read ${chunk} bytes at a time`).toEqual(whole);
      // DuckDB refuses a file with an open quote; text after a closing quote it drops, or refuses
      // when the text is not ASCII: the loader quarantines or refuses such rows by the scan.
      if (whole.openQuoteLine !== undefined || whole.textAfterQuote.length) return;
      const cols = Array.from({ length: 40 }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
      const duck = await all<{ c0: string | null; rest: number }>(w.conn, `select c0, (${Array.from({ length: 39 }, (_, i) => `(c${i + 1} is not null)::INT`).join(' + ')}) as rest
        from read_csv(${sqlString(path)}, header = false, delim = ',', quote = '"', escape = '"', auto_detect = false, null_padding = true, strict_mode = false,
          all_varchar = true, parallel = false, columns = {${cols}})`);
      expect(duck.length, JSON.stringify(text)).toBe(whole.records);
      // A blank record is one line of spaces and tabs: a single cell that is blank.
      for (const r of whole.blank) expect(duck[r].rest === 0 && /^[ \t]*$/.test(duck[r].c0 ?? ''), `${JSON.stringify(text)} record ${r}`).toBe(true);
      // Lines never go backwards, and a record starts no earlier than the records before it end.
      const lines = Array.from({ length: whole.records }, (_, r) => lineOf(whole.runs, r));
      lines.forEach((l, r) => r > 0 && expect(l).toBeGreaterThan(lines[r - 1]));
      expect(lines.at(-1) ?? 0).toBeLessThanOrEqual(text.split(/\r?\n/).length);
    }), { numRuns: 300, seed: 17 });
  });
});

describe('numbers with separators (st_num)', () => {
  const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 10 }).map((d) => d.join('').replace(/^0+(?=\d)/, ''));

  it('accepts a thousands separator only between groups of three digits, and a point only as decimals', async () => {
    // A digit string with commas inserted at random places, and maybe a decimal part after "." or ",".
    const written = fc.tuple(digits, fc.array(fc.nat(), { maxLength: 4 }), fc.option(digits, { nil: undefined }), fc.constantFrom(',', '.')).map(([int, cuts, frac, decimal]) => {
      const at = [...new Set(cuts.map((c) => c % int.length).filter((c) => c > 0))].sort((a, b) => a - b);
      const grouped = [0, ...at].map((from, k) => int.slice(from, [...at, int.length][k])).join(',');
      return frac === undefined ? grouped : grouped + decimal + frac;
    });
    // The contract's rule: groups of three after the first, one decimal point.
    const RULE = /^(\d{1,3}(,\d{3})+|\d*)(\.\d+)?$/;
    await fc.assert(fc.asyncProperty(fc.array(written, { minLength: 50, maxLength: 50 }), async (xs) => {
      const got = await all<{ i: number; v: number | null }>(w.conn, `select i, st_num(s) as v from (select unnest(l) as s, generate_subscripts(l, 1) as i from (select from_json(?::VARCHAR, '["VARCHAR"]') as l)) order by i`, [JSON.stringify(xs)]);
      xs.forEach((text, k) => {
        if (RULE.test(text)) expect(Number(got[k].v), text).toBeCloseTo(Number(text.replace(/,/g, '')), 6);
        else expect(got[k].v, `${text} must be quarantined`).toBeNull();
      });
    }), { numRuns: 40, seed: 29 });
  });
});

describe('encodings', () => {
  // Text an export holds: unit names, agencies, ids, dates, amounts.
  const words = ['余杭区', '拱墅区', '西湖区', '市本级', '公务接待', '办公家具', '计算机', '区发改局', '浙A·D12345', '2024年3月5日', '纯电', '轿车', '会议', '合计', '张伟', '王芳', '李娜'];
  const exportText = fc.array(fc.array(fc.constantFrom(...words, 'T-2024-0001', '1,234.5', '36.5'), { minLength: 1, maxLength: 6 }).map((r) => r.join(',')), { minLength: 1, maxLength: 20 }).map((l) => l.join('\n') + '\n');
  let n = 0;
  const put = (b: Buffer) => {
    const p = join(s.dir, `enc-${++n}.csv`);
    writeFileSync(p, b);
    return p;
  };

  it('reads UTF-8 as UTF-8 and GBK as GBK, and refuses the same text in Big5 or mixed', async () => {
    await fc.assert(fc.asyncProperty(exportText, exportText, async (a, b) => {
      expect((await fingerprint(put(Buffer.from(a)))).encoding).toBe('utf-8');
      expect((await fingerprint(put(iconv.encode(a, 'gbk')))).encoding).toBe('gb18030');
      // Big5 cannot spell every simplified character; what it can is refused, never read as GBK.
      const big5 = iconv.encode(a, 'big5');
      if (!big5.equals(Buffer.from(a))) await expect(fingerprint(put(big5))).rejects.toThrow(/not UTF-8|neither UTF-8 nor GBK|mixes|rare ones|no GBK export has/);
      await expect(fingerprint(put(Buffer.concat([iconv.encode(a, 'gbk'), Buffer.from(b)])))).rejects.toThrow(/UTF-8 text begins|not UTF-8/);
      await expect(fingerprint(put(Buffer.concat([Buffer.from(a), iconv.encode(b, 'gbk')])))).rejects.toThrow(/is UTF-8 up to line \d+ \(byte \d+\)/);
    }), { numRuns: 60, seed: 41 });
  });
});

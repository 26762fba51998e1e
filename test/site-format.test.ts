/**
 * How figures read on the pages: one function per kind of value, one scale per column, one minus
 * sign, changes of shares in points; dates and periods per language; the catalog complete in
 * both languages; CSV cells a spreadsheet would run are escaped.
 */
import { describe, expect, it } from 'vitest';
import { formatChange, formatValue, formatSaying, grouped, inScale, MINUS, moneyColumn, onCard, scaleFor, tickFormat, valueParts, withUnit } from '../src/components/format.ts';
import { formatDate, formatPeriod, MESSAGES, t } from '../src/components/i18n.ts';
import { grainOf, previous, sameLastYear, shift } from '../src/components/period.ts';
import { csvCell, toCsv } from '../src/components/csv.ts';

const money = { kind: 'money', unit_zh: '元', unit_en: 'yuan' };
const perStaff = { kind: 'money', unit_zh: '元/人', unit_en: 'yuan per person' };
const share = { kind: 'share' };
const intensity = { kind: 'intensity', unit_zh: 'kgce/m²', unit_en: 'kgce/m²', decimals: 2 };
const quantity = { kind: 'quantity', unit_zh: 'tCO₂e', unit_en: 'tCO₂e' };
const count = { kind: 'count', unit_zh: '笔', unit_en: 'transactions' };
const turnover = { kind: 'ratio', unit_zh: '次', unit_en: 'turns', decimals: 2, display_zh: '每件库存周转 {value} 次', display_en: '{value} turns per item of stock' };

describe('values by kind', () => {
  it('writes money in 元, 万元 or 亿元, and ¥ thousand or million', () => {
    expect(formatValue(money, 37_545_700, 'zh')).toBe('3,754.6 万元');
    expect(formatValue(money, 126_300, 'zh')).toBe('12.6 万元');
    expect(formatValue(money, 1.25e9, 'zh')).toBe('12.50 亿元');
    expect(formatValue(money, 8450, 'zh')).toBe('8,450 元');
    expect(formatValue(money, 37_545_700, 'en')).toBe('¥37.55 million');
    expect(formatValue(money, 126_300, 'en')).toBe('¥126.3 thousand');
    expect(formatValue(perStaff, 42_230, 'zh')).toBe('4.22 万元/人');
    expect(formatValue(perStaff, 42_230, 'en')).toBe('¥42.2 thousand per person');
  });

  it('writes shares in %, intensities and quantities with their unit, counts whole', () => {
    expect(formatValue(share, 0.2211, 'zh')).toBe('22.1%');
    expect(formatValue(intensity, 0.9743, 'en')).toBe('0.97 kgce/m²');
    expect(formatValue(quantity, 13_333.2, 'zh')).toBe('13,333 tCO₂e');
    expect(formatValue(quantity, 312_345, 'zh')).toBe('31.2 万 tCO₂e');
    expect(formatValue(quantity, 312_345, 'en')).toBe('312.3 thousand tCO₂e');
    expect(formatValue(count, 3761, 'zh')).toBe('3,761 笔');
    expect(formatValue(count, 3761, 'en')).toBe('3,761 transactions');
    expect(formatValue(count, 1, 'en')).toBe('1 transaction');
    expect(formatValue(count, 0, 'en')).toBe('0 transactions');
    expect(formatValue(share, null, 'zh')).toBe('—');
  });

  it('says a ratio with its meaning where the declaration gives one', () => {
    expect(formatSaying(turnover, 0.2149, 'zh')).toBe('每件库存周转 0.21 次');
    expect(formatSaying(turnover, 0.2149, 'en')).toBe('0.21 turns per item of stock');
    expect(formatSaying(count, 12, 'zh')).toBe('12 笔');
  });

  it('keeps two significant digits of a small value whatever its declared decimals', () => {
    expect(formatSaying(turnover, 0.0165, 'zh')).toBe('每件库存周转 0.017 次');
    expect(formatValue(turnover, 0.0049, 'en')).toBe('0.0049 turns');
    expect(formatValue(intensity, 0.97, 'zh')).toBe('0.97 kgce/m²');
  });

  it('reads a card\'s target and year so far in the scale of its value, and splits the value from its unit', () => {
    expect(onCard(perStaff, 4175, 32_774, 'zh')).toBe('32,774 元/人');
    expect(onCard(perStaff, 4175, 32_774, 'en')).toBe('¥32,774 per person');
    expect(onCard(money, 1_262_506, 633_037, 'en')).toBe('¥0.63 million');
    expect(valueParts(quantity, 13_338, 'en')).toEqual(['13.3', 'thousand tCO₂e']);
    expect(valueParts(perStaff, 4175, 'en')).toEqual(['¥4,175', 'per person']);
    expect(valueParts(share, 0.515, 'zh')).toEqual(['51.5%', '']);
    expect(valueParts(perStaff, 4175, 'zh').join(' ')).toBe(formatValue(perStaff, 4175, 'zh'));
  });

  it('labels every tick of an axis with the decimals the finest one needs', () => {
    const scale = scaleFor(intensity, [1, 2.5], 'zh');
    const ticks = [1, 1.5, 2, 2.5];
    expect(ticks.map((v, i) => tickFormat(scale, 'zh')(v, i, ticks))).toEqual(['1.0', '1.5', '2.0', '2.5']);
    const wan = scaleFor(money, [2e6, 8e6], 'zh');
    const yuan = [2e6, 4e6, 6e6, 8e6];
    expect(yuan.map((v, i) => tickFormat(wan, 'zh')(v, i, yuan))).toEqual(['200', '400', '600', '800']);
  });

  it('reads a whole column in one scale chosen from its typical value', () => {
    const column = [8450, 126_300, 95_000, 310_000];
    const scale = scaleFor(money, column, 'zh');
    expect(scale.unit).toBe('万元');
    expect(column.map((v) => inScale(v, scale, 'zh'))).toEqual(['0.8', '12.6', '9.5', '31.0']);
    expect(withUnit(8450, scale, 'zh')).toBe('0.8 万元');
    expect(scaleFor(money, column, 'en').unit).toBe('¥ thousand');
  });

  it('writes a list\'s money column in one scale with the same decimals', () => {
    const contracts = [165_000, 134_000, 131_000, 116_000, 87_500];
    expect(contracts.map(moneyColumn(contracts, 'zh'))).toEqual(['16.5 万元', '13.4 万元', '13.1 万元', '11.6 万元', '8.8 万元']);
    const small = [8450, 11_000, 9200];
    expect(small.map(moneyColumn(small, 'zh'))).toEqual(['8,450 元', '11,000 元', '9,200 元']);
    expect(small.map(moneyColumn(small, 'en'))).toEqual(['¥8,450', '¥11,000', '¥9,200']);
  });

  it('uses one minus sign and never shows −0', () => {
    expect(grouped(-1234.5, 1, 'en')).toBe(`${MINUS}1,234.5`);
    expect(grouped(-0.0001, 1, 'zh')).toBe('0.0');
    expect(formatValue(share, -0.015, 'zh')).toBe(`${MINUS}1.5%`);
  });
});

describe('changes', () => {
  it('are relative for values, in points for shares, signed, and unsigned at zero', () => {
    expect(formatChange(0.0321, 'relative', 'zh')).toBe('+3.2%');
    expect(formatChange(-0.01, 'relative', 'en')).toBe(`${MINUS}1.0%`);
    expect(formatChange(0.032, 'points', 'zh')).toBe('+3.2 个百分点');
    expect(formatChange(-0.004, 'points', 'en')).toBe(`${MINUS}0.4 pts`);
    expect(formatChange(-0.0004, 'relative', 'zh')).toBe('0.0%');
    expect(formatChange(null, 'relative', 'zh')).toBe('—');
  });
});

describe('dates and periods', () => {
  it('labels periods per language', () => {
    expect(formatPeriod('2024-03', 'zh')).toBe('2024年3月');
    expect(formatPeriod('2024-03', 'en')).toBe('Mar 2024');
    expect(formatPeriod('2024-Q1', 'zh')).toBe('2024年第1季度');
    expect(formatPeriod('2024-Q1', 'en')).toBe('Q1 2024');
    expect(formatPeriod('2024', 'zh')).toBe('2024年');
    expect(formatDate('2024-03-05', 'zh')).toBe('2024年3月5日');
    expect(formatDate('2024-03-05 09:12', 'en')).toBe('5 Mar 2024 09:12');
  });
  it('steps across year ends', () => {
    expect(previous('2024-01')).toBe('2023-12');
    expect(previous('2024-Q1')).toBe('2023-Q4');
    expect(shift('2023-11', 3)).toBe('2024-02');
    expect(sameLastYear('2024-Q3')).toBe('2023-Q3');
    expect(sameLastYear('2024')).toBe('2023');
    expect(() => grainOf('2024-3')).toThrow(/expected 2024-03/);
  });
});

describe('catalog', () => {
  it('has every key in both languages', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.zh).sort());
  });
  it('fills placeholders', () => {
    expect(t('rank.of', { rank: 3, n: 14 }, 'zh')).toBe('第 3 / 14');
    expect(t('rank.of', { rank: 3, n: 14 }, 'en')).toBe('3 of 14');
  });
  it('keeps each language to its own script', () => {
    // The switch names the other language in that language (marked lang="zh" on the page).
    for (const [k, v] of Object.entries(MESSAGES.en)) if (k !== 'lang.switch') expect(v, k).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('CSV', () => {
  it('escapes cells a spreadsheet would run', () => {
    expect(csvCell('=SUM(A1)')).toBe(`'=SUM(A1)`);
    expect(csvCell('+86 571')).toBe(`'+86 571`);
    expect(csvCell('-x')).toBe(`'-x`);
    expect(csvCell('@cmd')).toBe(`'@cmd`);
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe('');
  });
  it('writes a header and rows with a byte-order mark', () => {
    expect(toCsv([{ a: 1, b: '=1' }], [{ key: 'b', label: '乙' }, { key: 'a' }])).toBe(`\ufeff乙,a\r\n'=1,1\r\n`);
  });
});

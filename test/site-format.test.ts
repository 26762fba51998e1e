/** The dashboard's pure pieces: formats per language, period arithmetic, CSV escaping, card figures. */
import { describe, expect, it } from 'vitest';
import { formatChange, formatDate, formatKpi, formatKpiCompact, kpiUnitLabel, formatMoney, formatNumber, formatPercent, formatPeriod, kpiDirection, MESSAGES, t } from '../src/components/i18n.ts';
import { previous, sameLastYear, shift, grainOf } from '../src/components/period.ts';
import { csvCell, toCsv } from '../src/components/csv.ts';
import { cardFigures, isBetter, KpiIndex, laggards, median, targetPath } from '../src/components/kpi-data.ts';

describe('money and numbers', () => {
  it('writes Chinese money in 万元 and 亿元', () => {
    expect(formatMoney(37_734_000, 'zh')).toBe('3,773.4 万元');
    expect(formatMoney(125_000_000, 'zh')).toBe('1.25 亿元');
    expect(formatMoney(860, 'zh')).toBe('860 元');
    expect(formatMoney(-45_000, 'zh')).toBe('-4.5 万元');
  });
  it('writes English money in thousands and millions', () => {
    expect(formatMoney(37_734_000, 'en')).toBe('¥37.73 million');
    expect(formatMoney(860_500, 'en')).toBe('¥860.5 thousand');
    expect(formatMoney(860, 'en')).toBe('¥860');
  });
  it('scales large quantities and keeps integers whole', () => {
    expect(formatNumber(418_000, 'zh')).toBe('41.8 万');
    expect(formatNumber(418_000, 'en')).toBe('418,000');
    expect(formatNumber(4_180_000, 'en')).toBe('4.18 million');
    expect(formatNumber(120, 'zh')).toBe('120');
    expect(formatNumber(12.345, 'en')).toBe('12.35');
  });
  it('formats KPIs by their kind', () => {
    expect(formatKpi('vehicle_day_utilisation', 0.5823, 'zh')).toBe('58.2%');
    expect(formatKpi('energy_kgce_per_m2', 18.48, 'en')).toBe('18.48 kgce/m²');
    expect(formatKpi('energy_kgce_per_person', 329.56, 'zh')).toBe('329.6 kgce/人');
    expect(formatKpi('pool_fulfilments', 2934, 'zh')).toBe('2,934');
    expect(formatKpi('carbon_total_t', null, 'zh')).toBe('—');
    expect(formatChange(-0.0321, 'en')).toBe('−3.2%');
    expect(formatChange(0.1, 'en')).toBe('+10.0%');
    expect(formatPercent(0.772, 'zh')).toBe('77.2%');
    expect(formatChange(-0.0004, 'zh')).toBe('0.0%'); // rounds to zero: no sign
    expect(isBetter(-0.0004, 'higher')).toBe(null); // … and no colour
    expect(isBetter(-0.02, 'lower')).toBe(true);
    expect(isBetter(-0.02, 'higher')).toBe(false);
  });
  it('has a compact form for dense tables, with the unit in the header', () => {
    expect(formatKpiCompact('pool_cost_avoided_yuan', 1_204_000, 'zh')).toBe('120.4万');
    expect(formatKpiCompact('pool_cost_avoided_yuan', 1_204_000, 'en')).toBe('1.20m');
    expect(formatKpiCompact('pool_cost_avoided_yuan', 345_300, 'en')).toBe('345.3k');
    expect(formatKpiCompact('vehicle_km', 54_876, 'zh')).toBe('54,876');
    expect(formatKpiCompact('energy_kgce_per_m2', 1.623, 'en')).toBe('1.62');
    expect(kpiUnitLabel('energy_kgce_per_person', 'zh')).toBe('kgce/人');
    expect(kpiUnitLabel('pool_cost_avoided_yuan', 'en')).toBe('yuan');
  });
  it('tells direction from the registry first, then from the id', () => {
    expect(kpiDirection('energy_kgce_per_m2')).toBe('lower');
    expect(kpiDirection('proc_savings_rate')).toBe('higher');
    expect(kpiDirection('proc_savings_rate', { kpi_id: 'x', direction: 'lower' })).toBe('lower');
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

describe('card figures', () => {
  // Three units' energy per m²; YH's 2023 is the baseline (first full year, no 2020 in data).
  const idx = new KpiIndex({
    energy_kgce_per_m2: {
      YH: { '2023': 20, '2024': 19.2, '2024-11': 1.6, '2024-12': 1.8, '2023-12': 2.0 },
      XS: { '2024': 17, '2024-12': 1.5 },
      FY: { '2024': 21, '2024-12': 2.1 },
    },
  });
  const target = { kpi_id: 'energy_kgce_per_m2', baseline_year: 2020, target_year: 2025, change: -0.05 };

  it('computes changes on the previous period and last year', () => {
    const f = cardFigures(idx, 'energy_kgce_per_m2', 'YH', '2024-12', 'month', target);
    expect(f.value).toBe(1.8);
    expect(f.vsPrevious).toBeCloseTo(0.125, 10); // (1.8 − 1.6) ÷ 1.6
    expect(f.vsLastYear).toBeCloseTo(-0.1, 10); // (1.8 − 2.0) ÷ 2.0
    expect(f.spark.map((p) => p.period)).toEqual(['2023-12', '2024-11', '2024-12']);
  });
  it('measures the year against a straight path from the first year', () => {
    // The first full year (2023) is the baseline; the target year stays 2025: 20 → 19 (−5%),
    // so 2024 on the path = 19.5.
    const path = targetPath(idx, target, 'YH')!;
    expect(path).toEqual([{ year: 2023, value: 20 }, { year: 2024, value: 19.5 }, { year: 2025, value: 19 }]);
    const f = cardFigures(idx, 'energy_kgce_per_m2', 'YH', '2024-12', 'month', target);
    expect(f.toTarget!.path).toBeCloseTo(19.5, 10);
    expect(f.toTarget!.gap).toBeCloseTo((19.2 - 19.5) / 19.5, 10); // −1.5%: ahead of the path
  });
  it('finds units behind the median, direction-aware', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    // 2024: YH 19.2, XS 17, FY 21 → median 19.2; lower is better: FY is 9.4% behind, YH on it.
    const lags = laggards(idx, ['energy_kgce_per_m2'], '2024', () => 'lower');
    expect(lags).toHaveLength(1);
    expect(lags[0].unit_code).toBe('FY');
    expect(lags[0].behind).toBeCloseTo((21 - 19.2) / 19.2, 10);
  });
  it('prefers the benchmark model when it has ranked the period', () => {
    const withBench = new KpiIndex(idx.values, { energy_kgce_per_m2: { FY: { '2024': [null, null, 1] } } }, { energy_kgce_per_m2: { '2024': [19.2, 'XS', 17, 2] } });
    // FY is too small to rank: it is not listed as lagging, and XS is the best.
    expect(laggards(withBench, ['energy_kgce_per_m2'], '2024', () => 'lower')).toEqual([]);
    const s = withBench.standing('energy_kgce_per_m2', 'YH', '2024', 'lower');
    expect(s.bestUnit).toBe('XS');
    expect(s.gapToBest).toBeCloseTo(2.2, 10);
    expect(s.of).toBe(2);
  });
});

describe('changes of shares and rates', () => {
  it('are shown in percentage points, not as a relative change', () => {
    // Single-source share 0.9% → 4.1%: +3.2 points (the relative change would read +355.6%).
    const idx = new KpiIndex({ proc_single_source_share: { YH: { '2024-11': 0.009, '2024-12': 0.041, '2023-12': 0.05 } } });
    const f = cardFigures(idx, 'proc_single_source_share', 'YH', '2024-12', 'month');
    expect(f.inPoints).toBe(true);
    expect(f.vsPrevious).toBeCloseTo(0.032, 10);
    expect(f.vsLastYear).toBeCloseTo(-0.009, 10);
    expect(formatChange(f.vsPrevious, 'zh', { points: true })).toBe('+3.2个百分点');
    expect(formatChange(f.vsLastYear, 'en', { points: true })).toBe('−0.9 pts');
  });
});

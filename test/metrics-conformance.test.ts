/**
 * The KPI declarations against METRICS.md: the same ids in each area, and the units METRICS.md
 * fixes (shares and rates as fractions, money in yuan, carbon in tonnes CO₂e except per m²).
 * Reads METRICS.md from the project brief beside the checkout.
 */
import { describe, expect, it } from 'vitest';
import { declaredKpis, metricsKpis, METRICS_MD } from './helpers/metrics.ts';

const metrics = metricsKpis();
/** METRICS.md names the operating-cost area in words; the project's area id is opcost. */
const AREA_ID: Record<string, string> = { 'operating cost': 'opcost' };

describe.skipIf(!metrics)(`KPI declarations against ${METRICS_MD}`, () => {
  const declared = declaredKpis();

  it('declare exactly the KPIs of METRICS.md, each in its area', () => {
    const byArea = new Map<string, string[]>();
    for (const k of declared) byArea.set(k.area, [...(byArea.get(k.area) ?? []), k.id]);
    const expected = new Map([...metrics!].map(([area, ids]) => [AREA_ID[area] ?? area, [...ids].sort()]));
    expect(Object.fromEntries([...byArea].map(([a, ids]) => [a, [...ids].sort()]))).toEqual(Object.fromEntries(expected));
  });

  it('keep the units METRICS.md fixes', () => {
    for (const k of declared) {
      if (/_(share|rate|utilisation)$/.test(k.id)) expect(k.kind, k.id).toBe('share');
      if (/_yuan$/.test(k.id)) expect(k.kind, k.id).toBe('money');
      if (/^(carbon_.*_t|meeting_net_tco2e)$/.test(k.id)) expect(k.unit.en, k.id).toBe('tCO₂e');
    }
    expect(declared.find((k) => k.id === 'carbon_kg_per_m2')!.unit.en).toBe('kgCO₂e/m²');
    expect(declared.find((k) => k.id === 'carbon_t_per_staff')!.unit.en).toBe('tCO₂e/person');
  });

  it('give every KPI names, definitions and formulas in both languages, one language each', () => {
    for (const k of declared) {
      for (const field of [k.name, k.definition, k.formula]) {
        expect(field.zh, k.id).toMatch(/[\u4e00-\u9fff]/);
        expect(field.en, k.id).not.toMatch(/[\u4e00-\u9fff]/);
        expect(field.en.length, k.id).toBeGreaterThan(2);
      }
    }
  });
});

/**
 * The grid a unit draws from decides its grid factor: units on the deployment's grid use the
 * series chosen in settings, a unit on another grid uses that grid's own series, and where none
 * is known its scope-2 carbon is withheld with a note, never counted with another grid's factor.
 * On the KPI fixture XH uses 105,000 kWh in January 2024 and HZ 200,000 kWh.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scratch } from './helpers/warehouse.ts';
import { kpiWarehouse } from './fixtures/kpi/warehouse.ts';

async function withReference(edit: (dir: string) => void, check: (w: Awaited<ReturnType<typeof kpiWarehouse>>) => Promise<void>) {
  const s = scratch();
  try {
    cpSync('data/reference', s.dir, { recursive: true });
    edit(s.dir);
    const w = await kpiWarehouse({ referenceDir: s.dir });
    try {
      await check(w);
    } finally {
      w.close();
    }
  } finally {
    s.dispose();
  }
}

/** XH moved to another grid in units.csv. */
const moveXh = (dir: string) => {
  const units = readFileSync(`${dir}/units.csv`, 'utf8');
  writeFileSync(`${dir}/units.csv`, units.replace(/^(XH,.*),east_china$/m, '$1,us_nwpp'));
};

describe('grid region per unit', () => {
  it('withholds the scope-2 carbon of a unit on a grid with no known series, with a note, and leaves the others alone', async () => {
    await withReference(moveXh, async (w) => {
      const [xh] = await w.rows(`select grid_region, factor_series, scope2_t, total_t, grid_factor_note from carbon_unit_months where unit_code = 'XH' and month = '2024-01-01'`);
      expect(xh).toEqual({
        grid_region: 'us_nwpp', factor_series: 'us_nwpp', scope2_t: null, total_t: null,
        grid_factor_note: 'no grid emission factor for grid us_nwpp (series us_nwpp is not in ref.emission_factors): scope-2 carbon withheld',
      });
      // HZ stays on the deployment's grid and series: 200,000 × 0.5306 / 1,000
      const [hz] = await w.rows(`select grid_region, factor_series, scope2_t, grid_factor_note from carbon_unit_months where unit_code = 'HZ' and month = '2024-01-01'`);
      expect(hz).toMatchObject({ grid_region: 'east_china', factor_series: 'national', grid_factor_note: null });
      expect(hz.scope2_t as number).toBeCloseTo(106.12, 9);
      expect(await w.kpi('carbon_scope2_t', 'HZ', 'month', '2024-01')).toBeCloseTo(106.12, 9);
    });
  });

  it("uses the unit's own grid's series once emission_factors lists it", async () => {
    await withReference((dir) => {
      moveXh(dir);
      const factors = readFileSync(`${dir}/emission_factors.csv`, 'utf8');
      writeFileSync(`${dir}/emission_factors.csv`, `${factors.trimEnd()}\ngrid_us_nwpp_2023,us_nwpp,electricity,2,2023,0.28,kgCO2/kWh,kgCO2/kWh,a series written for this test,为本测试写的因子系列\n`);
    }, async (w) => {
      // 105,000 kWh × 0.28 / 1,000 = 29.4 (2023's factor, used for 2024 and flagged)
      const [xh] = await w.rows(`select factor_series, factor_year, factor_is_fallback, scope2_t from carbon_unit_months where unit_code = 'XH' and month = '2024-01-01'`);
      expect(xh).toMatchObject({ factor_series: 'us_nwpp', factor_year: 2023, factor_is_fallback: true });
      expect(xh.scope2_t as number).toBeCloseTo(29.4, 9);
      expect(await w.kpi('carbon_scope2_t', 'HZ', 'month', '2024-01')).toBeCloseTo(106.12, 9);
    });
  });
});

/**
 * Bench step: writes a corrected re-export of one unit's month of vehicle trips, taken from the
 * warehouse itself so it works on any export set: the unit and month with the most trips in the
 * latest month, one distance changed (+10 %) and the last trip dropped, in canonical headers.
 * Loading it replaces that unit-month (loaders/load.ts), as a district's correction would.
 *
 *   node --import tsx bench/steps/correction.ts --db W.duckdb --out DIR
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { all, openWarehouse, sqlString } from '../../warehouse/db.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' } } });
if (!values.db || !values.out) throw new Error('usage: correction.ts --db W.duckdb --out DIR');
const w = await openWarehouse(values.db, { readOnly: true });
try {
  const [pick] = await all<{ unit_code: string; month: string; n: number }>(w.conn, `
    with m as (select unit_code, strftime(depart_at, '%Y-%m') as month, count(*) as n from raw.vehicle_trips group by all)
    select * from m where month = (select max(month) from m) order by n desc, unit_code limit 1`);
  if (!pick) throw new Error('the warehouse holds no vehicle trips to correct');
  const dir = join(values.out, 'vehicle_trips');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `correction-${pick.unit_code}-${pick.month}.csv`);
  await w.conn.run(`copy (
      select trip_id, unit_code as unit, vehicle_id, driver_id, agency, strftime(depart_at, '%Y-%m-%d %H:%M:%S') as depart_at,
        strftime(return_at, '%Y-%m-%d %H:%M:%S') as return_at,
        case when row_number() over (order by depart_at, trip_id) = 1 then round(distance_km * 1.1, 1) else distance_km end as distance_km,
        odometer_start, odometer_end, fuel_l, charge_kwh, cost_yuan, purpose, passengers
      from raw.vehicle_trips where unit_code = ${sqlString(pick.unit_code)} and strftime(depart_at, '%Y-%m') = ${sqlString(pick.month)}
      order by depart_at, trip_id
      limit ${pick.n - 1}
    ) to ${sqlString(file)} (format csv, header true)`);
  console.log(JSON.stringify({ file, unit: pick.unit_code, month: pick.month, rows: pick.n - 1 }));
} finally {
  w.close();
}

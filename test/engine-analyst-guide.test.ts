/**
 * Follows docs/analysts.md step by step: writes every code block that names a file, runs every
 * `npx steward` line in order, then runs the page's data loader and checks the number it shows.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/steward.ts';
import { openWarehouse } from '../warehouse/db.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { writeFile } from './fixtures/engine/project.ts';

const GUIDE = readFileSync('docs/analysts.md', 'utf8');

interface Block { lang: string; file?: string; body: string }

/** Fenced blocks in document order; a fence may be longer than three backticks to nest others. */
function blocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /^(`{3,})(\w+)(?: file=(\S+))?\n([\s\S]*?)\n\1$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) out.push({ lang: m[2], file: m[3], body: m[4] + '\n' });
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'steward-guide-'));
const db = join(root, 'data', 'warehouse.duckdb');
const sqlDir = join(root, 'sql');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs one guide command against the temporary project, returning what it printed. */
async function steward(line: string): Promise<{ rc: number; out: string }> {
  const args = line.replace(/^npx steward\s+/, '').match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
  const cmd = args[0];
  if (['run', 'test', 'docs', 'new'].includes(cmd)) args.push('--sql', sqlDir);
  if (cmd !== 'new') args.push('--db', db);
  if (cmd === 'docs') args.push('--out', join(root, 'data', 'catalog.json'));
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a) => { printed.push(a.join(' ')); });
  const err = vi.spyOn(console, 'error').mockImplementation((...a) => { printed.push(a.join(' ')); });
  try {
    return { rc: await main(args), out: printed.join('\n') };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('docs/analysts.md walkthrough', () => {
  it('goes from a new SQL file to the number on the page', async () => {
    // The sample data: trips with passenger counts.
    // YH 2024-02: 4 → 4; YH 2024-03: 2, 3 and one without a count → 5 / 2 = 2.5; XH 2024-03: 1, 1, 2 → 4 / 3.
    mkdirSync(join(root, 'data'), { recursive: true });
    const w = await openWarehouse(db);
    await ensureWarehouseSchema(w.conn);
    await w.conn.run(`insert into raw.vehicle_trips (trip_id, unit_code, vehicle_id, depart_at, return_at, distance_km, passengers) values
      ('T1', 'YH', 'V1', '2024-02-10 08:00', '2024-02-10 10:00', 10, 4),
      ('T2', 'YH', 'V1', '2024-03-01 08:00', '2024-03-01 10:00', 10, 2),
      ('T3', 'YH', 'V2', '2024-03-02 08:00', '2024-03-02 10:00', 10, 3),
      ('T4', 'YH', 'V2', '2024-03-03 08:00', '2024-03-03 10:00', 10, null),
      ('T5', 'XH', 'V3', '2024-03-04 08:00', '2024-03-04 10:00', 10, 1),
      ('T6', 'XH', 'V3', '2024-03-05 08:00', '2024-03-05 10:00', 10, 1),
      ('T7', 'XH', 'V3', '2024-03-06 08:00', '2024-03-06 10:00', 10, 2)`);
    w.close();
    writeFile(join(sqlDir, 'staging', 'stg_vehicle_trips.sql'), readFileSync('test/fixtures/engine/guide/stg_vehicle_trips.sql', 'utf8'));
    // The project around the guide's files: its modules, loaders, and ESM package type.
    for (const dir of ['node_modules', 'warehouse']) symlinkSync(resolve(dir), join(root, dir));
    copyFileSync('package.json', join(root, 'package.json'));

    const outputs: Record<string, string> = {};
    for (const b of blocks(GUIDE)) {
      if (b.file) {
        writeFile(join(root, b.file), b.body);
        continue;
      }
      if (b.lang !== 'sh') continue;
      for (const line of b.body.split('\n').filter((l) => l.startsWith('npx steward '))) {
        const { rc, out } = await steward(line);
        expect(rc, `${line}\n${out}`).toBe(0);
        outputs[line.split(' ')[2]] = out;
        if (line.includes('new model')) expect(existsSync(join(sqlDir, 'marts', 'vehicle_passengers_per_trip.yml'))).toBe(true);
      }
    }
    expect(Object.keys(outputs)).toEqual(['new', 'run', 'test', 'query', 'docs']);
    // Step 4 built the new model (and, on this first run, the staging model it reads).
    expect(outputs.run).toMatch(/built vehicle_passengers_per_trip \(new model; 3 rows/);
    expect(outputs.test).toMatch(/PASS {2}vehicle_passengers_per_trip\.unique\.unit_code\+month/);
    expect(outputs.test).toMatch(/0 failed/);
    expect(outputs.query).toMatch(/2\.5/);

    // Step 7: the data loader prints what the page reads; the card shows YH's latest month.
    const loader = join(root, 'src', 'data', 'passengers-per-trip.json.ts');
    const json = execFileSync(process.execPath, ['--import', 'tsx', loader], { cwd: root, env: { ...process.env, STEWARD_DB: db }, encoding: 'utf8' });
    const rows = JSON.parse(json) as { unit_code: string; month: string; passengers_per_trip: number }[];
    expect(rows.map((r) => [r.unit_code, r.month, Number(r.passengers_per_trip.toFixed(4))])).toEqual([
      ['YH', '2024-02', 4],
      ['XH', '2024-03', 1.3333],
      ['YH', '2024-03', 2.5],
    ]);
    const page = readFileSync(join(root, 'src', 'passengers.md'), 'utf8');
    expect(page).toContain('FileAttachment("data/passengers-per-trip.json")');
    const latest = rows.filter((d) => d.unit_code === 'YH').at(-1)!;
    expect(latest.passengers_per_trip.toFixed(2)).toBe('2.50');

    // Step 8: the catalog traces the number back to the raw export column.
    const catalog = JSON.parse(readFileSync(join(root, 'data', 'catalog.json'), 'utf8'));
    const model = catalog.models.find((m: { name: string }) => m.name === 'vehicle_passengers_per_trip');
    const col = model.columns.find((c: { name: string }) => c.name === 'passengers_per_trip');
    expect(col).toMatchObject({ description: 'Σ passengers ÷ trips that record passengers', inputs: ['stg_vehicle_trips.passengers'], origins: ['raw.vehicle_trips.passengers'] });
    expect(model.depends_on).toEqual({ models: ['stg_vehicle_trips'], sources: [] });
    expect(model.tests.every((t: { status: string }) => t.status === 'pass')).toBe(true);

    // Nothing changed: the next run rebuilds nothing.
    expect((await steward('npx steward run')).out).toMatch(/0 built, 2 skipped, 0 failed/);
  });
});

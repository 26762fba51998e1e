/**
 * Replacement, by the contract's rule, against a model of it: random sequences of files for a few
 * unit-months (corrected re-exports, additive pages, files with a stray month, rows without a
 * key, keys already loaded, --replace, loading a file again, restoring an earlier file) are loaded
 * into a warehouse and applied to a small model of the rule. After every step the warehouse holds
 * exactly the model's rows (by file and row), its archive exactly the model's replaced rows, and
 * every row of every ledger entry is present, quarantined, or archived under a replacement that
 * names the file it left for, recorded after the row was loaded. fast-check, fixed seed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../contract/contract.ts';
import { loadFile } from '../../loaders/load.ts';
import { restoreEntry } from '../../loaders/history.ts';
import { freshWarehouse, rows, scratch, type Scratch } from '../helpers/warehouse.ts';

const UNITS = { YH: ['余杭区', '浙A001'], GS: ['拱墅区', '浙B001'] } as const;
type Unit = keyof typeof UNITS;
const MONTHS = ['2024-01', '2024-02', '2024-03'];

interface Row { key: string | null; unit: Unit; month: string }
interface Placed { key: string; unit: Unit; month: string; file: number; row: number }

type Op =
  | { kind: 'reexport'; unit: Unit; month: string; keep: number; add: number }
  | { kind: 'page'; unit: Unit; month: string; keys: number[] }
  | { kind: 'stray'; unit: Unit; month: string; stray: string; keys: number[] }
  | { kind: 'empty'; unit: Unit; month: string; n: number }
  | { kind: 'replace'; unit: Unit; month: string; keys: number[] }
  | { kind: 'again'; which: number }
  | { kind: 'restore'; which: number };

const unit = fc.constantFrom<Unit>('YH', 'GS');
const month = fc.constantFrom(...MONTHS);
const keys = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('reexport' as const), unit, month, keep: fc.integer({ min: 0, max: 10 }), add: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('page' as const), unit, month, keys }),
  fc.record({ kind: fc.constant('stray' as const), unit, month, stray: month, keys }),
  fc.record({ kind: fc.constant('empty' as const), unit, month, n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('replace' as const), unit, month, keys }),
  fc.record({ kind: fc.constant('again' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const), which: fc.nat() }),
);

/** The contract's replacement rule (CONTRACT.md), applied to lists. */
class Model {
  current: Placed[] = [];
  archived: (Placed & { by: number })[] = [];
  files: { id: number; text: string; rows: Row[] }[] = [];
  nextId = 2; // file 1 is the vehicles register

  load(text: string, rows: Row[], replace: boolean): void {
    if (this.files.some((f) => f.text === text)) return; // already loaded: nothing changes
    const id = this.nextId++;
    this.files.push({ id, text, rows });
    const seen = new Set<string>();
    const clean = rows.map((r, i) => ({ ...r, row: i + 2 })).filter((r) => {
      if (r.key === null || seen.has(r.key)) return false;
      seen.add(r.key);
      return true;
    }) as (Row & { key: string; row: number })[];
    const count = new Map<string, number>();
    for (const r of clean) count.set(r.month, (count.get(r.month) ?? 0) + 1);
    const main = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))[0]?.[0];
    const groups = [...new Set(clean.filter((r) => replace || r.month === main).map((r) => `${r.unit}|${r.month}`))];
    for (const g of groups) {
      const here = this.current.filter((p) => `${p.unit}|${p.month}` === g);
      if (!here.length) continue;
      const loaded = new Set(here.map((p) => p.key));
      const repeated = new Set(clean.filter((r) => `${r.unit}|${r.month}` === g && loaded.has(r.key)).map((r) => r.key)).size;
      if (replace || 2 * repeated > loaded.size) this.move(here, id);
    }
    const taken = new Set(this.current.map((p) => p.key));
    for (const r of clean) if (!taken.has(r.key)) this.current.push({ key: r.key, unit: r.unit, month: r.month, file: id, row: r.row });
  }

  private move(rows: Placed[], by: number): void {
    this.current = this.current.filter((p) => !rows.includes(p));
    this.archived.push(...rows.map((p) => ({ ...p, by })));
  }

  /** Returns false when the restore must be refused (a key of the file is now loaded elsewhere). */
  restore(file: number): boolean {
    const back = this.archived.filter((a) => a.file === file);
    if (!back.length) return true;
    const groups = new Set(back.map((a) => `${a.unit}|${a.month}`));
    const keysBack = new Set(back.map((a) => a.key));
    if (this.current.some((p) => keysBack.has(p.key) && !groups.has(`${p.unit}|${p.month}`))) return false;
    this.move(this.current.filter((p) => groups.has(`${p.unit}|${p.month}`)), file);
    this.archived = this.archived.filter((a) => a.file !== file);
    this.current.push(...back.map(({ by: _by, ...p }) => p));
    return true;
  }
}

const HEADER = '出车单号,单位,车牌号,出车时间,回车时间,里程(公里)';
const csv = (rows: Row[]) => [HEADER, ...rows.map((r, i) => {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `${r.key ?? ''},${UNITS[r.unit][0]},${UNITS[r.unit][1]},${r.month}-${day} 08:00,${r.month}-${day} 09:00,${10 + i}`;
})].join('\n') + '\n';

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

describe('replacement by the contract\'s rule', () => {
  it('keeps every row of every file present, quarantined, or archived as replaced, exactly as the rule says', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      const w = await freshWarehouse();
      const dir = `run-${++run}`;
      const model = new Model();
      const written: { path: string; text: string; rows: Row[]; replace: boolean }[] = [];
      let fresh = 100 * run;
      try {
        await loadFile(w.conn, s.file(`${dir}/vehicles/v.csv`, `车牌号,单位,车型,能源类型\n浙A001,余杭区,轿车,纯电\n浙B001,拱墅区,轿车,纯电\n`));
        for (const [step, o] of ops.entries()) {
          if (o.kind === 'restore' || o.kind === 'again') {
            if (!written.length) continue;
            const f = written[o.which % written.length];
            if (o.kind === 'again') {
              expect((await loadFile(w.conn, f.path, { replace: f.replace })).status).not.toBe('refused');
              model.load(f.text, f.rows, f.replace);
            } else {
              const entry = model.files.find((x) => x.text === f.text)!;
              const allowed = model.restore(entry.id);
              const done = restoreEntry(w.conn, entry.id, TABLES.vehicle_trips);
              if (allowed) await done;
              else await expect(done).rejects.toThrow(/cannot be made current again: its trip_id .* is now loaded from/);
            }
          } else {
            let fileRows: Row[];
            const here = model.current.filter((p) => p.unit === o.unit && p.month === o.month).map((p) => p.key);
            if (o.kind === 'reexport') fileRows = [...here.slice(0, Math.ceil((here.length * o.keep) / 10)), ...Array.from({ length: o.add }, () => `N${++fresh}`)].map((key) => ({ key, unit: o.unit, month: o.month }));
            else if (o.kind === 'empty') fileRows = Array.from({ length: o.n }, () => ({ key: null, unit: o.unit, month: o.month }));
            else fileRows = o.keys.map((k) => ({ key: `T${k}`, unit: o.unit, month: o.month }));
            if (o.kind === 'stray') fileRows.push({ key: `S${++fresh}`, unit: o.unit, month: o.stray });
            if (!fileRows.length) continue;
            const text = csv(fileRows);
            const path = s.file(`${dir}/vehicle_trips/f-${step}.csv`, text);
            const replace = o.kind === 'replace';
            expect((await loadFile(w.conn, path, { replace })).status).not.toBe('refused');
            model.load(text, fileRows, replace);
            written.push({ path, text, rows: fileRows, replace });
          }
          const place = (p: { file: number; row: number; key: string }) => `${p.file}:${p.row}:${p.key}`;
          const raw = await rows<{ file: number; row: number; key: string }>(w.conn, `select _file_id as file, _row as row, trip_id as key from raw.vehicle_trips`);
          expect(raw.map(place).sort(), `after step ${step} (${o.kind})`).toEqual(model.current.map(place).sort());
          const archived = await rows<{ file: number; row: number; key: string; by: number }>(w.conn, `select a._file_id as file, a._row as row, a.trip_id as key, e.by_file_id as by
            from archive.vehicle_trips a join meta.replacements e on e.replacement_id = a._replacement_id`);
          expect(archived.map((a) => `${place(a)}>${a.by}`).sort()).toEqual(model.archived.map((a) => `${place(a)}>${a.by}`).sort());
          // Every row of every ledger entry: present, quarantined, or archived by a later replacement naming another file.
          const lost = await rows(w.conn, `with lines as (select l.file_id, l.loaded_at, unnest(range(2, l.rows_read + 2)) as line from meta.load_ledger l where l.table_name = 'vehicle_trips'),
            found as (
              select _file_id as file_id, _row as line, 'raw' as place from raw.vehicle_trips
              union all select file_id, "row", 'quarantine' from meta.quarantine where table_name = 'vehicle_trips'
              union all select a._file_id, a._row, 'archive' from archive.vehicle_trips a join meta.replacements e on e.replacement_id = a._replacement_id
                join meta.load_ledger l on l.file_id = a._file_id where e.by_file_id <> a._file_id and e.replaced_at >= l.loaded_at)
            select l.file_id, l.line, count(f.place) as places from lines l left join found f using (file_id, line) group by all having count(f.place) <> 1`);
          expect(lost).toEqual([]);
        }
      } finally {
        w.close();
      }
    }), {
      numRuns: 40, seed: 20261206, endOnFailure: true,
      // The boundary, always tried: a file repeating exactly half of a month's keys only adds.
      examples: [[[{ kind: 'page', unit: 'YH', month: '2024-02', keys: [1, 2, 3, 4] }, { kind: 'reexport', unit: 'YH', month: '2024-02', keep: 5, add: 1 }, { kind: 'restore', which: 1 }]]],
    });
  }, 300_000);
});

/**
 * Every example of docs/mappings.md, run: its file through its mapping into a warehouse that
 * holds vehicle 浙A12345 (YH) and building B-1 (XH), compared with the result the page shows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../loaders/load.ts';
import { readMapping } from '../loaders/mapping.ts';
import { freshWarehouse, rows, scratch } from './helpers/warehouse.ts';

interface Example { title: string; csv: { name: string; text: string }; yaml: string; counts: number[]; columns: string[]; table: string[][]; quarantined: string[] }

function examples(md: string): Example[] {
  return md.split(/^### /m).slice(1).map((section) => {
    const title = section.split('\n')[0];
    const block = (info: RegExp) => {
      const m = new RegExp('```' + info.source + '\\n([\\s\\S]*?)```').exec(section);
      if (!m) throw new Error(`docs/mappings.md, "${title}": no ${info.source} block`);
      return m;
    };
    const csv = block(/csv name=(\S+)/);
    const result = block(/text result/)[1].trim().split('\n');
    const counts = /^loaded (\d+), quarantined (\d+), skipped (\d+)$/.exec(result[0])!.slice(1).map(Number);
    const lines = result.slice(1).filter((l) => !l.startsWith('quarantined:'));
    return {
      title,
      csv: { name: csv[1], text: csv[2] },
      yaml: block(/yaml/)[1],
      counts,
      columns: lines[0].split('|').map((c) => c.trim()),
      table: lines.slice(1).map((l) => l.split('|').map((c) => c.trim())),
      quarantined: result.filter((l) => l.startsWith('quarantined:')).map((l) => l.slice('quarantined:'.length).trim()),
    };
  });
}

const s = scratch();
afterAll(() => s.dispose());
const doc = readFileSync('docs/mappings.md', 'utf8');

describe('docs/mappings.md', () => {
  const all = examples(doc);

  it('has an example for every section of the mapping language', () => {
    const schema = JSON.parse(readFileSync('loaders/mapping.schema.json', 'utf8')) as { properties: Record<string, unknown> };
    const titled = new Set(all.flatMap((e) => [...e.title.matchAll(/`(\w+)`/g)].map((m) => m[1])));
    const sections = Object.keys(schema.properties).filter((k) => !['source', 'table', 'description', 'notes'].includes(k));
    expect(sections.filter((k) => !titled.has(k))).toEqual([]);
  });

  it.each(all.map((e) => [e.title, e] as const))('%s', async (_title, e) => {
    const w = await freshWarehouse();
    try {
      await loadFile(w.conn, s.file(`given/${e.title.length}/vehicles.csv`, '车牌号,单位,车型,能源类型\n浙A12345,YH,轿车,汽油\n'), { table: 'vehicles' });
      await loadFile(w.conn, s.file(`given/${e.title.length}/buildings.csv`, '建筑编号,单位,建筑名称,建筑面积(平方米),用能人数\nB-1,XH,西湖区行政中心,10000,300\n'), { table: 'buildings' });
      const dir = join(s.dir, e.title.replace(/\W+/g, '-'));
      const file = s.file(`${e.title.replace(/\W+/g, '-')}/${e.csv.name}`, e.csv.text);
      const mappingPath = join(dir, 'mapping.yaml');
      writeFileSync(mappingPath, e.yaml);
      const r = await loadFile(w.conn, file, { mapping: readMapping(mappingPath) });
      expect(r.message, r.message).toBeUndefined();
      expect([r.rowsLoaded, r.rowsQuarantined, r.rowsSkipped]).toEqual(e.counts);
      const table = readMapping(mappingPath).table;
      const got = await rows<Record<string, string | null>>(w.conn, `select ${e.columns.map((c) => `"${c}"::VARCHAR as "${c}"`).join(', ')} from raw.${table} where _file_id = ${r.fileId} order by _row, rowid`);
      expect(got.map((g) => e.columns.map((c) => g[c] ?? ''))).toEqual(e.table);
      expect(r.reasons.map((x) => x.rule)).toEqual(e.quarantined);
    } finally {
      w.close();
    }
  });
});

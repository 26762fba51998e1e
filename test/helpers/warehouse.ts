/** Scratch warehouses and export files for tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { all, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { loadReferenceTables } from '../../warehouse/reference.ts';
import { ensureWarehouseSchema } from '../../warehouse/schema.ts';

export interface Scratch {
  dir: string;
  file(rel: string, content: string | Buffer, encoding?: 'utf8' | 'gbk' | 'utf8-bom'): string;
  dispose(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'steward-test-'));
  return {
    dir,
    file(rel, content, encoding = 'utf8') {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      if (Buffer.isBuffer(content)) writeFileSync(p, content);
      else if (encoding === 'gbk') writeFileSync(p, iconv.encode(content, 'gbk'));
      else writeFileSync(p, (encoding === 'utf8-bom' ? '\uFEFF' : '') + content, 'utf8');
      return p;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A warehouse with the raw schema and reference tables, in memory unless a path is given. */
export async function freshWarehouse(path = ':memory:'): Promise<Warehouse> {
  const w = await openWarehouse(path);
  await ensureWarehouseSchema(w.conn);
  await loadReferenceTables(w.conn);
  return w;
}

export const rows = all;

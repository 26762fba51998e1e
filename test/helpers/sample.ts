/** The sample warehouse built once per run by test/global-setup.ts (empty when there is none). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { all, openWarehouse, type Warehouse } from '../../warehouse/db.ts';

export const sampleDir = process.env.STEWARD_SAMPLE_DIR ?? '';
export const haveSample = sampleDir !== '' && existsSync(join(sampleDir, 'warehouse.duckdb'));

export async function openSample(): Promise<Warehouse> {
  return openWarehouse(join(sampleDir, 'warehouse.duckdb'), { readOnly: true });
}

export function sampleManifest<T = Record<string, unknown>>(): T {
  return JSON.parse(readFileSync(join(sampleDir, 'inbox', '_manifest.json'), 'utf8')) as T;
}

export const q = all;

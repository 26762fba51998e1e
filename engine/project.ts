/**
 * The model project on disk: `sql/<layer>/<name>.sql` with an optional sibling `<name>.yml`,
 * free tests in `sql/tests/*.sql` and freshness rules in `sql/freshness.yml`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkKpiSet, KpiDeclarationError } from './kpis.ts';
import { kpiModels } from './kpi-models.ts';
import { bareSelect, sha256, type Model } from './model.ts';

export { bareSelect, sha256, type GeneratedPart, type Model } from './model.ts';
import { EMPTY_SPEC, parseModelSpec, type ModelSpec } from './spec.ts';

/**
 * The layers in the order data flows through them; a model reads only its own or earlier layers
 * (and only staging reads raw.*): the folders are the DAG.
 */
export const LAYERS = ['staging', 'intermediate', 'marts', 'kpis'] as const;
export type Layer = (typeof LAYERS)[number];
export const DEFAULT_SQL_DIR = 'sql';

export interface FreeTest {
  name: string;
  file: string;
  sql: string;
  severity: 'error' | 'warn';
}

export class ProjectError extends Error {}

const NAME = /^[a-z_][a-z0-9_]*$/;

export function loadModels(sqlDir: string = DEFAULT_SQL_DIR): Model[] {
  const models: Model[] = [];
  const seen = new Map<string, string>();
  for (const layer of LAYERS) {
    const dir = join(sqlDir, layer);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (!entry.endsWith('.sql')) continue;
      const name = entry.slice(0, -4);
      const file = join(dir, entry);
      if (!NAME.test(name)) throw new ProjectError(`${file}: a model name must be lower-case letters, digits and _ (it becomes the table main.${name})`);
      if (seen.has(name)) throw new ProjectError(`${file}: model name "${name}" is already used by ${seen.get(name)}; names are unique across layers`);
      seen.set(name, file);
      const text = readFileSync(file, 'utf8');
      const yamlFile = [join(dir, `${name}.yml`), join(dir, `${name}.yaml`)].find(existsSync);
      const yamlText = yamlFile ? readFileSync(yamlFile, 'utf8') : '';
      const spec = yamlFile ? parseModelSpec(yamlText, yamlFile, name) : EMPTY_SPEC;
      models.push({ name, layer, file, yamlFile, sql: bareSelect(text), spec, sqlHash: sha256(text), yamlHash: sha256(yamlText) });
    }
  }
  const kpis = models.flatMap((m) => m.spec.kpis ?? []);
  try {
    checkKpiSet(kpis);
  } catch (e) {
    if (e instanceof KpiDeclarationError) throw new ProjectError(e.message);
    throw e;
  }
  for (const g of kpiModels(kpis, models)) {
    if (seen.has(g.name)) throw new ProjectError(`${seen.get(g.name)}: model name "${g.name}" is reserved for the model the engine writes from the KPI declarations`);
    models.push(g);
  }
  return models;
}

export function loadFreeTests(sqlDir: string = DEFAULT_SQL_DIR): FreeTest[] {
  const dir = join(sqlDir, 'tests');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const text = readFileSync(file, 'utf8');
      // A free test warns instead of failing when its header says `-- severity: warn`.
      const severity = /^\s*--\s*severity:\s*warn\b/im.test(text) ? 'warn' : 'error';
      return { name: f.slice(0, -4), file, sql: bareSelect(text), severity };
    });
}

export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

/** `steward new model NAME`: a model that builds as soon as it is created, with its YAML beside it. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYERS, loadModels, ProjectError, type Layer } from './project.ts';

export function modelTemplate(name: string): { sql: string; yaml: string } {
  const sql = `-- ${name}: say in one sentence what one row is.
-- Read models by bare name (from stg_vehicle_trips), sources as raw.<table>, ref.<table>, meta.<table>.
with units as (
    select * from ref.units
),

final as (
    select
        unit_code,
        name_zh
    from units
)

select * from final
`;
  const yaml = `description: One row per unit. Replace with what one row of ${name} is.
grain: [unit_code]
columns:
  - name: unit_code
    description: Unit code (ref.units)
    tests: [not_null, {relationships: {to: ref.units, field: unit_code}}]
  - name: name_zh
    description: Unit name in Chinese
`;
  return { sql, yaml };
}

export function scaffoldModel(sqlDir: string, name: string, layer: string = 'marts'): string[] {
  if (!(LAYERS as readonly string[]).includes(layer)) throw new ProjectError(`--layer ${layer}: expected one of ${LAYERS.join(', ')}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new ProjectError(`model name "${name}": use lower-case letters, digits and _ (it becomes the table main.${name})`);
  const existing = loadModels(sqlDir).find((m) => m.name === name);
  if (existing) throw new ProjectError(`model ${name} already exists: ${existing.file}`);
  const dir = join(sqlDir, layer as Layer);
  mkdirSync(dir, { recursive: true });
  const { sql, yaml } = modelTemplate(name);
  const sqlFile = join(dir, `${name}.sql`);
  const yamlFile = join(dir, `${name}.yml`);
  if (existsSync(yamlFile)) throw new ProjectError(`${yamlFile} already exists`);
  writeFileSync(sqlFile, sql);
  writeFileSync(yamlFile, yaml);
  return [sqlFile, yamlFile];
}

/**
 * The KPI ids METRICS.md lists per area (the table under "The KPI table every page and check
 * reads"), read from the project brief beside the checkout, and the ids the project declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadModels } from '../../engine/project.ts';

export const METRICS_MD = resolve('../shared/brief/METRICS.md');

/** area → kpi ids, in METRICS.md's order; null when the brief is not beside the checkout. */
export function metricsKpis(): Map<string, string[]> | null {
  if (!existsSync(METRICS_MD)) return null;
  const text = readFileSync(METRICS_MD, 'utf8');
  const table = text.slice(text.indexOf('| area | kpi_id |'));
  const out = new Map<string, string[]>();
  for (const line of table.split('\n').slice(2)) {
    const m = /^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$/.exec(line.trim());
    if (!m) break;
    out.set(m[1], m[2].split(',').map((s) => s.trim()).filter(Boolean));
  }
  return out;
}

/** Every KPI declared in the project's models, in reading order. */
export function declaredKpis(sqlDir = 'sql') {
  return loadModels(sqlDir)
    .flatMap((m) => m.spec.kpis ?? [])
    .sort((a, b) => a.area.localeCompare(b.area) || a.order - b.order);
}

/**
 * A KPI is declared once: its id, name, unit and direction live in its declaration beside the
 * SQL that computes it, and nowhere in the TypeScript or JavaScript of the site, the publishing
 * script or the engine (generated files aside).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredKpis } from './helpers/metrics.ts';

const CODE_DIRS = ['src', 'scripts', 'engine', 'briefing'];
/** Generated or installed: the page data and Framework's cache. */
const SKIP = /^src\/(data|\.observablehq)(\/|$)/;

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (SKIP.test(p)) return [];
    if (statSync(p).isDirectory()) return codeFiles(p);
    return /\.(ts|js|md|css)$/.test(f) ? [p] : [];
  });
}

describe('one declaration per KPI', () => {
  const kpis = declaredKpis();
  const files = CODE_DIRS.flatMap(codeFiles).map((f) => ({ f, text: readFileSync(f, 'utf8') }));

  it('names no KPI id in the site, the publishing script, the briefing or the engine', () => {
    const hits: string[] = [];
    for (const k of kpis) {
      // vehicle_trips is also an export table: raw.vehicle_trips, or a table key in a YAML example, is the table.
      const word = new RegExp(`(?<!raw\\.)\\b${k.id}\\b(?!:)`);
      for (const { f, text } of files) if (word.test(text)) hits.push(`${f}: ${k.id}`);
    }
    expect(kpis.length).toBeGreaterThan(30);
    expect(hits).toEqual([]);
  });

  it('writes no KPI name there either, in either language', () => {
    const hits: string[] = [];
    for (const k of kpis) {
      for (const name of [k.name.zh, k.name.en]) {
        // A name typed as a string of its own ('出车次数', "Trips"): prose that mentions a concept is not a label.
        const literal = new RegExp(`['"\`]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`);
        for (const { f, text } of files) if (literal.test(text)) hits.push(`${f}: ${name}`);
      }
    }
    expect(hits).toEqual([]);
  });
});

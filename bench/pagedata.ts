/**
 * Bytes of page data each page of the built site loads: the files a page registers with
 * Framework's `registerFile(name, {…, "size": N})` in its HTML. When nothing is built, the files
 * the pages would read (src/data) are listed instead.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface PageData {
  page: string;
  files: number;
  bytes: number;
}

/** The page-data files one built HTML page registers, with their sizes. */
export function registeredFiles(html: string): { name: string; size: number }[] {
  const out: { name: string; size: number }[] = [];
  const re = /registerFile\(("(?:[^"\\]|\\.)*"),\s*(\{[^}]*\})\)/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    try {
      const info = JSON.parse(m[2]) as { size?: number };
      out.push({ name: JSON.parse(m[1]) as string, size: info.size ?? 0 });
    } catch {
      // A call the build wrote differently is skipped rather than guessed at.
    }
  }
  return out;
}

function walk(dir: string, keep: (p: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('_')) walk(p, keep, out);
    } else if (keep(p)) out.push(p);
  }
  return out;
}

/** Page data per page of a built site (dist/), largest first. */
export function pageDataOfBuild(dist: string): PageData[] {
  if (!existsSync(dist)) return [];
  return walk(dist, (p) => p.endsWith('.html'))
    .map((p) => {
      const files = registeredFiles(readFileSync(p, 'utf8'));
      return { page: relative(dist, p).replace(/\.html$/, ''), files: files.length, bytes: files.reduce((s, f) => s + f.size, 0) };
    })
    .sort((a, b) => b.bytes - a.bytes || a.page.localeCompare(b.page));
}

/** Without a build: the data files under src/data, each counted as its own "page". */
export function pageDataOfSource(dataDir: string): PageData[] {
  if (!existsSync(dataDir)) return [];
  return walk(dataDir, () => true)
    .map((p) => ({ page: relative(dataDir, p), files: 1, bytes: statSync(p).size }))
    .sort((a, b) => b.bytes - a.bytes);
}

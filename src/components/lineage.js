// The model lineage graph: sources on the left, then staging, intermediate and marts, each model
// a labelled box, each dependency a curve. Laid out by layer, no library needed.
import {svg, html} from "./dom.js";

const LAYERS = ["source", "staging", "intermediate", "marts"];

export function lineageGraph(models, {width = 900} = {}) {
  const byName = new Map(models.map((m) => [m.name, m]));
  const nodes = new Map();
  for (const m of models) nodes.set(m.name, {name: m.name, layer: LAYERS.includes(m.layer) ? m.layer : "marts"});
  for (const m of models) for (const s of m.sources ?? []) if (!nodes.has(s)) nodes.set(s, {name: s, layer: "source"});
  const columns = LAYERS.map((l) => [...nodes.values()].filter((n) => n.layer === l).sort((a, b) => a.name.localeCompare(b.name)));
  const rowH = 18;
  const colW = Math.max(200, width / LAYERS.length);
  const height = Math.max(...columns.map((c) => c.length)) * rowH + 30;
  columns.forEach((col, i) => col.forEach((n, j) => Object.assign(n, {x: i * colW + 4, y: 24 + j * rowH})));
  const edges = [];
  for (const m of models) for (const d of [...m.depends_on, ...(m.sources ?? [])]) {
    const a = nodes.get(d);
    const b = nodes.get(m.name);
    if (a && b) edges.push([a, b]);
  }
  // Edges leave a label where its text ends (about 6.2 px a character at 11 px).
  const textEnd = (n) => n.x + n.name.length * 6.2 + 4;
  return html`<div class="steward-lineage">${svg`<svg width=${colW * LAYERS.length} height=${height} role="img">
    ${LAYERS.map((l, i) => svg`<text x=${i * colW + 4} y="12" font-weight="bold">${l}</text>`)}
    ${edges.map(([a, b]) => svg`<path d=${`M${textEnd(a)},${a.y - 4} C${textEnd(a) + 30},${a.y - 4} ${b.x - 30},${b.y - 4} ${b.x - 3},${b.y - 4}`} fill="none" stroke="#8aa" stroke-opacity="0.5"></path>`)}
    ${[...nodes.values()].map((n) => svg`<text x=${n.x} y=${n.y}><title>${byName.get(n.name)?.description ?? n.name}</title>${n.name}</text>`)}
  </svg>`}</div>`;
}

// One KPI's lineage: the models it comes from, laid out by layer from the exports on the left to
// the model that computes it on the right, each dependency a curve. Only the KPI's upstream is
// drawn, so the picture stays readable; the width follows the page.
import {svg, html} from "./dom.js";
import {t} from "./i18n.js";

const LAYERS = ["source", "staging", "intermediate", "marts", "kpis"];

/**
 * @param models   the catalog's models ({name, layer, depends_on, sources})
 * @param opts     upstream: names of the models to draw (the KPI's lineage), width
 */
/**
 * A dependency's curve: from the end of the upstream name to the start of the downstream one; between
 * two models of one layer, an arc right of both names, so it never runs back across a label.
 */
function edgePath(a, b, textEnd) {
  if (a.x === b.x) {
    const right = Math.max(textEnd(a), textEnd(b)) + 4;
    return `M${textEnd(a)},${a.y - 4} C${right + 28},${a.y - 4} ${right + 28},${b.y - 4} ${textEnd(b) + 3},${b.y - 4}`;
  }
  return `M${textEnd(a)},${a.y - 4} C${textEnd(a) + 24},${a.y - 4} ${b.x - 24},${b.y - 4} ${b.x - 3},${b.y - 4}`;
}

export function lineageGraph(models, {upstream, width = 900} = {}) {
  const keep = new Set(upstream);
  const drawn = models.filter((m) => keep.has(m.name));
  const nodes = new Map();
  for (const m of drawn) nodes.set(m.name, {name: m.name, layer: LAYERS.includes(m.layer) ? m.layer : "marts"});
  for (const m of drawn) for (const s of m.sources ?? []) if (/^raw\./.test(s) && !nodes.has(s)) nodes.set(s, {name: s, layer: "source"});
  const columns = LAYERS.map((l) => [...nodes.values()].filter((n) => n.layer === l).sort((a, b) => a.name.localeCompare(b.name))).filter((c) => c.length);
  const rowH = 22;
  const colW = Math.max(150, Math.floor(width / Math.max(1, columns.length)));
  const height = Math.max(...columns.map((c) => c.length), 1) * rowH + 30;
  columns.forEach((col, i) => col.forEach((n, j) => Object.assign(n, {x: i * colW + 4, y: 28 + j * rowH})));
  const edges = [];
  for (const m of drawn) for (const d of [...(m.depends_on ?? []), ...(m.sources ?? [])]) {
    const a = nodes.get(d);
    const b = nodes.get(m.name);
    if (a && b) edges.push([a, b]);
  }
  const textEnd = (n) => Math.min(n.x + n.name.length * 6.4 + 4, n.x + colW - 12);
  return html`<div class="steward-lineage">${svg`<svg width=${colW * columns.length} height=${height} role="img">
    ${columns.map((col, i) => svg`<text x=${i * colW + 4} y="12" font-weight="bold">${t(`layer.${col[0].layer}`)}</text>`)}
    ${edges.map(([a, b]) => svg`<path d=${edgePath(a, b, textEnd)} fill="none" stroke="#8aa" stroke-opacity="0.6"></path>`)}
    ${[...nodes.values()].map((n) => svg`<text x=${n.x} y=${n.y}><title>${n.name}</title>${n.name.length * 6.4 > colW - 16 ? `${n.name.slice(0, Math.floor((colW - 16) / 6.4) - 1)}…` : n.name}</text>`)}
  </svg>`}</div>`;
}

// Pieces of the per-unit benchmark page.
import {svg} from "./dom.js";
import {kpiDirection} from "./i18n.js";

/** A unit's recent values (solid) against the peer median (dashed), on one small shared scale. */
export function trendSpark(idx, kpi, unit, state, {width = 110, height = 26, n = 12} = {}) {
  const own = idx.series(kpi, unit, state.grain).filter((p) => p.period <= state.period).slice(-n);
  if (own.length < 2) return "—";
  const med = own.map((p) => idx.standing(kpi, unit, p.period, kpiDirection(kpi)).peerMedian);
  const all = [...own.map((p) => p.value), ...med.filter((v) => v !== null)];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const x = (i) => 2 + (i * (width - 4)) / (own.length - 1);
  const y = (v) => (hi === lo ? height / 2 : height - 3 - ((v - lo) * (height - 6)) / (hi - lo));
  const path = (vals) => vals.map((v, i) => (v === null ? "" : `${i && vals[i - 1] !== null ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`)).join("");
  return svg`<svg width=${width} height=${height} class="steward-spark">
    <path d=${path(med)} fill="none" stroke="#999" stroke-dasharray="3,2"></path>
    <path d=${path(own.map((p) => p.value))} fill="none" stroke="currentColor" stroke-width="1.5"></path>
  </svg>`;
}

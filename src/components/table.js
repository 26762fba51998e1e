// A plain HTML table with locale-formatted cells; its download carries the raw values.
import {t} from "./i18n.js";
import {panel} from "./download.js";

/**
 * @param rows     row objects
 * @param columns  [{key, label, format?(value, row), formatColumn?(values) → format, align?: "right",
 *                   raw?: key for the CSV, priority?: 1 | 2 | 3, nowrap?: true (an id or a date, kept on
 *                   one line)}] — formatColumn makes the cells'
 *                   format from the values shown (one scale down a money column) — on a phone a priority-3 column is left out (the
 *                   download keeps it), and the first column stays in view while the rest scroll
 * @param opts     {limit, empty}
 */
export function dataTable(rows, columns, {limit = Infinity, empty, moreNote = true} = {}) {
  const wrap = document.createElement("div");
  wrap.className = "steward-table-wrap";
  if (!rows.length) {
    const p = document.createElement("p");
    p.className = "steward-empty";
    p.textContent = empty ?? t("empty.list");
    wrap.append(p);
    return wrap;
  }
  const table = document.createElement("table");
  table.className = "steward-table";
  const thead = table.createTHead().insertRow();
  const cls = (c) => [c.align === "right" ? "num" : "", c.priority ? `p${c.priority}` : "", c.nowrap ? "nowrap" : ""].filter(Boolean).join(" ");
  for (const c of columns) {
    const th = document.createElement("th");
    if (c.header instanceof Node) th.append(c.header);
    else th.textContent = c.label;
    th.className = cls(c);
    thead.append(th);
  }
  const body = table.createTBody();
  const shown = rows.slice(0, limit);
  columns = columns.map((c) => (c.formatColumn ? {...c, format: c.formatColumn(shown.map((r) => r[c.key]))} : c));
  for (const r of shown) {
    const tr = body.insertRow();
    for (const c of columns) {
      const td = tr.insertCell();
      const v = c.format ? c.format(r[c.key], r) : r[c.key];
      if (v instanceof Node) td.append(v);
      else td.textContent = v === null || v === undefined ? "—" : String(v);
      td.className = cls(c);
    }
  }
  wrap.append(table);
  if (moreNote && rows.length > limit) {
    const p = document.createElement("p");
    p.className = "steward-note";
    p.textContent = t("list.more", {n: rows.length, shown: limit});
    wrap.append(p);
  }
  return wrap;
}

/** A table in a panel with its CSV download (raw values, headers as shown); an empty one offers none. */
export function tablePanel({title, note, rows, columns, name, limit, empty, moreNote}) {
  return panel({
    title,
    note,
    content: dataTable(rows, columns, {limit, empty, moreNote}),
    rows: rows.length ? rows : null,
    name,
    columns: columns.filter((c) => !c.noCsv).map((c) => ({key: c.raw ?? c.key, label: c.label})),
  });
}

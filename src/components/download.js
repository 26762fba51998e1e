// "Download CSV" on every chart and table: the rows behind what is drawn, with formula-looking
// cells escaped (see csv.ts).
import {toCsv} from "./csv.js";
import {t} from "./i18n.js";

/** A button that saves `rows` (or the result of calling it) as `<name>.csv`. */
export function downloadButton(rows, name, columns) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "steward-download";
  button.textContent = `↓ ${t("download.csv")}`;
  button.title = t("download.title");
  button.dataset.download = name;
  button.addEventListener("click", () => {
    const data = typeof rows === "function" ? rows() : rows;
    const blob = new Blob([toCsv(data, columns)], {type: "text/csv;charset=utf-8"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${name}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  return button;
}

/** A titled block: heading, the content (chart or table), a note (text or nodes) and the download button. */
export function panel({title, note, content, rows, name, columns, className = ""}) {
  const section = document.createElement("section");
  section.className = `steward-panel ${className}`.trim();
  const head = document.createElement("div");
  head.className = "steward-panel-head";
  const h = document.createElement("h3");
  h.textContent = title;
  head.append(h);
  if (rows) head.append(downloadButton(rows, name, columns));
  section.append(head);
  if (content) section.append(content);
  if (note) {
    const p = document.createElement("p");
    p.className = "steward-note";
    p.append(note);
    section.append(p);
  }
  return section;
}

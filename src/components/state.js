// The view's state (language, grain, period, unit) lives in the URL so a link reproduces the
// view; the language is also remembered so a reader who chose English keeps it.
import {LANG_STORAGE_KEY, lang, t, MESSAGES, formatDate, formatPeriod} from "./i18n.js";

export const STATE_PARAMS = ["lang", "grain", "period", "unit"];

export function params() {
  return new URLSearchParams(location.search);
}

/** Writes the given state into the URL without reloading (null removes a parameter). */
export function writeParams(patch) {
  const p = params();
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === "") p.delete(k);
    else p.set(k, v);
  }
  const search = p.toString();
  history.replaceState(history.state, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
}

export function switchLanguage() {
  const next = lang === "zh" ? "en" : "zh";
  try {
    localStorage.setItem(LANG_STORAGE_KEY, next);
  } catch {
    // Without storage the URL parameter still carries the choice.
  }
  const p = params();
  p.set("lang", next);
  location.search = p.toString();
}

/** Internal links keep the current state, so moving between pages keeps the view. */
function carryState(event) {
  const a = event.target.closest?.("a[href]");
  if (!a || a.hasAttribute("download") || a.target === "_blank") return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.protocol === "blob:") return;
  const current = params();
  for (const k of STATE_PARAMS) {
    // A district page fixes its own unit; the unit selector elsewhere should not follow it there.
    if (k === "unit" && /\/districts\//.test(url.pathname)) continue;
    if (current.has(k) && !url.searchParams.has(k)) url.searchParams.set(k, current.get(k));
  }
  a.href = url.toString();
}

let chromeDone = false;

/**
 * Translates the sidebar and title (Framework renders them once, in Chinese, from the config),
 * puts the language switch at the top of the page and records the language in the URL.
 */
export function setupChrome(site, {title} = {}) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  if (title) document.title = `${title} · ${t("site.title")}`;
  if (chromeDone) return;
  chromeDone = true;
  if (!params().has("lang") && lang === "en") writeParams({lang});
  if (lang === "en") {
    // zh label → en label, for every catalog message and every unit name.
    const map = new Map();
    for (const [k, zh] of Object.entries(MESSAGES.zh)) if (/^(nav|site)\./.test(k)) map.set(zh, MESSAGES.en[k]);
    for (const u of site?.units ?? []) map.set(u.name_zh, u.name_en);
    const sidebar = document.querySelector("#observablehq-sidebar");
    if (sidebar) {
      for (const el of sidebar.querySelectorAll("a, summary span, summary, li > span")) {
        for (const node of el.childNodes) {
          if (node.nodeType === 3 && map.has(node.textContent.trim())) node.textContent = map.get(node.textContent.trim());
        }
      }
    }
  }
  document.addEventListener("click", carryState, true);
  const header = document.querySelector("#observablehq-header");
  if (header) {
    header.replaceChildren();
    const brand = document.createElement("div");
    brand.className = "steward-brand";
    brand.textContent = `${t("site.title")} · ${t("site.subtitle")}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "steward-lang";
    button.id = "lang-switch";
    button.textContent = t("lang.switch");
    // The switch names the other language in that language.
    button.lang = lang === "zh" ? "en" : "zh";
    button.title = t("lang.switchTitle");
    button.addEventListener("click", switchLanguage);
    header.append(brand, button);
  }
  const footer = document.querySelector("#observablehq-footer");
  if (footer && site) {
    footer.textContent = t("footer.asOf", {asOf: site.asOf?.latest_month ? formatPeriod(site.asOf.latest_month) : "—"});
  }
}

/**
 * Marks the page as drawn (html[data-ready]) once the last cell has rendered and the browser has
 * painted it: what screenshots and browser tests wait for, instead of a guessed delay.
 */
export function markReady() {
  delete document.documentElement.dataset.ready;
  requestAnimationFrame(() => requestAnimationFrame(() => (document.documentElement.dataset.ready = "1")));
}

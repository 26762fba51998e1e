// The link to a unit's (or the city's) briefing of the latest month, in the page's language:
// `npm run build` writes it into briefings/ after the site, in Chinese and in English, as PDF
// (where Chromium is installed) and as printable HTML (always).
import {html} from "./dom.js";
import {t, lang, formatPeriod} from "./i18n.js";
import {briefingFile} from "./briefing-files.js";

export function briefingLink(site, unit) {
  const period = site.periods.month[0];
  if (!period) return html``;
  const href = (ext) => `${site.root}briefings/${briefingFile(unit, period, lang, ext)}`;
  return html`<p class="steward-briefing">${t("briefing.link", {period: formatPeriod(period)})}
    <a href=${href("pdf")} hreflang=${lang} type="application/pdf">${t("briefing.linkPdf")}</a> ·
    <a href=${href("html")} hreflang=${lang}>${t("briefing.linkHtml")}</a></p>`;
}

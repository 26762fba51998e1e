// The link to a unit's (or the city's) briefing of the latest month: `npm run build` writes it
// into briefings/ after the site, in Chinese, as PDF (where Chromium is installed) and as
// printable HTML (always).
import {html} from "./dom.js";
import {t, formatPeriod} from "./i18n.js";
import {briefingFile} from "./briefing-files.js";

export function briefingLink(site, unit) {
  const period = site.periods.month[0];
  if (!period) return html``;
  const href = (ext) => `${site.root}briefings/${briefingFile(unit, period, "zh", ext)}`;
  return html`<p class="steward-briefing">${t("briefing.link", {period: formatPeriod(period)})}
    <a href=${href("pdf")} hreflang="zh" type="application/pdf">${t("briefing.linkPdf")}</a> ·
    <a href=${href("html")} hreflang="zh">${t("briefing.linkHtml")}</a></p>`;
}

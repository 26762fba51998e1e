/**
 * Where a briefing is written: `<unit>-<period>-<lang>.html` and `.pdf` under briefings/ of the
 * built site (ALL for the city). `steward brief` writes them; the overview and the district pages
 * link them. Pure.
 */
export function briefingFile(unit: string, period: string, lang: string, ext: 'html' | 'pdf'): string {
  return `${unit}-${period}-${lang}.${ext}`;
}

/**
 * The sentences a page or a briefing leads with: each row of kpi_highlights (what changed most,
 * what needs attention — decided in SQL) worded in the reader's language with the figures
 * formatted as everywhere else. Pure: the overview page and `steward brief` share it.
 */
import { formatMagnitude, formatValue, onCard, type KpiFormat } from './format.js';
import { formatDateRange, MESSAGES, t, type Lang } from './i18n.js';

export interface Highlight {
  kind: 'target' | 'change' | 'laggard' | 'quality' | 'event' | string;
  kpi_id?: string | null;
  unit_code: string;
  other_unit?: string | null;
  value?: number | null;
  basis?: string | null;
  reference_value?: number | null;
  change?: number | null;
  change_unit?: string | null;
  is_good?: boolean | null;
  target_is_example?: boolean | null;
  table_name?: string | null;
  units_count?: number | null;
  event_id?: string | null;
  name_zh?: string | null;
  name_en?: string | null;
  starts_on?: string | null;
  ends_on?: string | null;
}

export interface SentenceContext {
  kpis: Record<string, KpiFormat & { name_zh?: string | null; name_en?: string | null; area?: string }>;
  unitName: (code: string) => string;
  tableName: (table: string) => string;
}

export interface Sentence {
  text: string;
  /** good, bad or neutral news, for the page's colour. */
  tone: 'good' | 'bad' | 'neutral';
  /** The area page (or quality page) that explains it, relative to the site's root. */
  page: string;
}

/** A KPI's name where an English sentence does not start with it: "Qiantang's day utilisation"; a name opening with an acronym stays as declared. */
function named(kpi: string, key: string, l: Lang): string {
  if (l !== 'en' || MESSAGES.en[key]?.startsWith('{kpi}')) return kpi;
  return /^[A-Z][a-z]/.test(kpi) ? kpi[0].toLowerCase() + kpi.slice(1) : kpi;
}

/** One highlight in words; null when its KPI is no longer declared. */
export function sentence(h: Highlight, ctx: SentenceContext, l: Lang): Sentence | null {
  const tone = h.is_good === true ? 'good' : h.is_good === false ? 'bad' : 'neutral';
  if (h.kind === 'quality') {
    const key = h.unit_code === 'ALL' ? 'highlight.quality' : 'highlight.qualityUnit';
    return { text: t(key, { n: h.units_count ?? 0, table: ctx.tableName(h.table_name ?? '') }, l), tone: 'bad', page: 'quality' };
  }
  if (h.kind === 'event') {
    const event = (l === 'zh' ? h.name_zh : h.name_en) ?? '';
    return { text: t('highlight.event', { event, dates: formatDateRange(h.starts_on, h.ends_on, l) }, l), tone: 'neutral', page: 'index' };
  }
  const meta = h.kpi_id ? ctx.kpis[h.kpi_id] : undefined;
  if (!meta) return null;
  const kpi = (l === 'zh' ? meta.name_zh : meta.name_en) ?? h.kpi_id!;
  const value = formatValue(meta, h.value, l);
  // The figure it is compared with reads in the value's scale: "¥1.26 million (from ¥0.63 million)".
  const ref = onCard(meta, h.value, h.reference_value, l);
  const change = formatMagnitude(h.change, h.change_unit ?? 'relative', l);
  const page = meta.area ?? 'index';
  if (h.kind === 'target') {
    const key = `highlight.target${h.is_good ? 'Met' : 'Missed'}${h.basis === 'year' ? 'Year' : ''}`;
    const example = h.target_is_example ? t('highlight.exampleTarget', {}, l) : '';
    const side = t(`highlight.${(meta as { direction?: string }).direction === 'lower' ? 'over' : 'under'}`, {}, l);
    return { text: t(key, { kpi, value, target: ref, gap: change, example, side }, l), tone, page };
  }
  if (h.kind === 'change') {
    const key = (h.change ?? 0) >= 0 ? 'highlight.changeUp' : 'highlight.changeDown';
    return { text: t(key, { kpi, value, last: ref, change }, l), tone, page };
  }
  if (h.kind === 'laggard') {
    const key = h.unit_code === 'ALL' ? 'highlight.laggard' : 'highlight.laggardUnit';
    return { text: t(key, { kpi: named(kpi, key, l), value, median: ref, gap: change, unit: h.other_unit ? ctx.unitName(h.other_unit) : '' }, l), tone: 'bad', page };
  }
  return null;
}

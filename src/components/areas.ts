/**
 * The dashboard's area pages (one per activity the warehouse covers), in sidebar order. A KPI
 * declares the area it belongs to; the sidebar, the matrix and the definitions page follow this
 * order.
 */
export const AREAS = ['pool', 'vehicles', 'energy', 'carbon', 'procurement', 'opcost'] as const;
export type AreaId = (typeof AREAS)[number];

/**
 * The lists of records behind an area's flags (one query each, sql/pages/lists/<id>-[grain].sql),
 * in the order the area shows them. The area pages name the same files in area-files.js.
 */
export const AREA_LISTS: Record<AreaId, string[]> = {
  pool: ['overdue_loans', 'missed_reuse'],
  vehicles: ['underused_vehicles'],
  energy: ['energy_anomalies'],
  carbon: ['meetings_not_zero_carbon'],
  procurement: ['split_purchases'],
  opcost: [],
};

/**
 * The dashboard's area pages (one per activity the warehouse covers), in sidebar order. A KPI
 * declares the area it belongs to; the sidebar, the matrix and the definitions page follow this
 * order.
 */
export const AREAS = ['pool', 'vehicles', 'energy', 'carbon', 'procurement', 'opcost'] as const;
export type AreaId = (typeof AREAS)[number];

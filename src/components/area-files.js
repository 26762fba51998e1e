// The page data each area page reads: its KPI cards at each grain and the lists it shows to act
// on (one query each, sql/pages/lists/). Which KPIs an area shows comes from the KPI
// declarations, never from here.
import {FileAttachment} from "observablehq:stdlib";

const byGrain = (month, quarter, year) => ({month, quarter, year});

export const AREA_FILES = {
  pool: {
    cards: byGrain(FileAttachment("../data/areas/pool-month.json"), FileAttachment("../data/areas/pool-quarter.json"), FileAttachment("../data/areas/pool-year.json")),
    lists: {
      overdue_loans: byGrain(FileAttachment("../data/lists/overdue_loans-month.json"), FileAttachment("../data/lists/overdue_loans-quarter.json"), FileAttachment("../data/lists/overdue_loans-year.json")),
      missed_reuse: byGrain(FileAttachment("../data/lists/missed_reuse-month.json"), FileAttachment("../data/lists/missed_reuse-quarter.json"), FileAttachment("../data/lists/missed_reuse-year.json")),
    },
  },
  vehicles: {
    cards: byGrain(FileAttachment("../data/areas/vehicles-month.json"), FileAttachment("../data/areas/vehicles-quarter.json"), FileAttachment("../data/areas/vehicles-year.json")),
    lists: {
      underused_vehicles: byGrain(FileAttachment("../data/lists/underused_vehicles-month.json"), FileAttachment("../data/lists/underused_vehicles-quarter.json"), FileAttachment("../data/lists/underused_vehicles-year.json")),
    },
  },
  energy: {
    cards: byGrain(FileAttachment("../data/areas/energy-month.json"), FileAttachment("../data/areas/energy-quarter.json"), FileAttachment("../data/areas/energy-year.json")),
    lists: {
      energy_anomalies: byGrain(FileAttachment("../data/lists/energy_anomalies-month.json"), FileAttachment("../data/lists/energy_anomalies-quarter.json"), FileAttachment("../data/lists/energy_anomalies-year.json")),
    },
  },
  carbon: {
    cards: byGrain(FileAttachment("../data/areas/carbon-month.json"), FileAttachment("../data/areas/carbon-quarter.json"), FileAttachment("../data/areas/carbon-year.json")),
    lists: {
      meetings_not_zero_carbon: byGrain(FileAttachment("../data/lists/meetings_not_zero_carbon-month.json"), FileAttachment("../data/lists/meetings_not_zero_carbon-quarter.json"), FileAttachment("../data/lists/meetings_not_zero_carbon-year.json")),
    },
  },
  procurement: {
    cards: byGrain(FileAttachment("../data/areas/procurement-month.json"), FileAttachment("../data/areas/procurement-quarter.json"), FileAttachment("../data/areas/procurement-year.json")),
    lists: {
      split_purchases: byGrain(FileAttachment("../data/lists/split_purchases-month.json"), FileAttachment("../data/lists/split_purchases-quarter.json"), FileAttachment("../data/lists/split_purchases-year.json")),
    },
  },
  opcost: {
    cards: byGrain(FileAttachment("../data/areas/opcost-month.json"), FileAttachment("../data/areas/opcost-quarter.json"), FileAttachment("../data/areas/opcost-year.json")),
    lists: {},
    composition: FileAttachment("../data/opcost_composition.json"),
  },
};

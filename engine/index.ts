/** The SQL model layer's programmatic API (the CLI, the KPI tests and the dashboard use it). */
export { runModels, type RunOptions, type RunResult, type ModelFailure } from './runner.ts';
export { planModels, selectModels, ModelError, type Plan, type PlannedModel } from './dag.ts';
export { loadModels, loadFreeTests, type Model } from './project.ts';
export { testModels, compileTests, type TestResult, type TestRunResult, type TestOptions } from './tests.ts';
export { buildCatalog, writeCatalog, DEFAULT_CATALOG, type Catalog, type CatalogModel } from './catalog.ts';
export { columnLineage, type ModelLineage } from './lineage.ts';
export { scaffoldModel } from './scaffold.ts';
export { resolveAsOf } from './asof.ts';

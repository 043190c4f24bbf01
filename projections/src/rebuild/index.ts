/**
 * Rebuilding read models from the log, beside the live tables (see single-pass.ts and parallel.ts). A projection's
 * author needs none of this, unless a rebuild of it is too slow: then a shadow applier with a `RowCache` (or a
 * `RowStore` over one, for a change written once for `apply` and the rebuild).
 */
export * from './rebuild-projections.js';
export { rebuildProjectionsInto } from './single-pass.js';
export { rebuildInParallel } from './parallel.js';
export { COST_MODEL, planParts, threadCost, type PlannedPart, type PlanOptions, type TypeShares } from './plan.js';
export type { RebuildOptions, RebuildReport } from './report.js';
export type { RebuildProgress } from './progress.js';
export { logPageReader, type LogPageReader, type LogPageOptions } from './log-pages.js';
export { RowCache } from './row-cache.js';
export { heldRows, rowsByStatement, type RowStore } from './row-store.js';
export { RateMeter } from './progress.js';
export { withLeanHeap, REBUILD_HEAP_GROWING_PERCENT, type LeanHeapOptions } from './lean-heap.js';

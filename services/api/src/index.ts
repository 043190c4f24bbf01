export { buildApp, type App, type AppOptions } from './app.js';
export { createApiDeps, type ApiRuntimeInput } from './server.js';
export type { ApiDeps } from './deps.js';
export { createApiMetrics, type ApiMetrics } from './plugins/metrics.js';
export type { ReadinessCheck } from './routes/operations.js';
export { MAX_CASELOAD_OFFSET } from './routes/caseload.js';

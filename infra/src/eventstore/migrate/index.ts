export * from './compare-logs.js';
export * from './copy-log.js';
export * from './migration-refused-error.js';

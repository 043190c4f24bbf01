export * from './key-wrapper.js';
export * from './master-key.js';
export * from './sqlite-key-store.js';
export * from './open-key-store.js';
export * from './postgres-key-store.js';
export * from './copy-to-postgres.js';

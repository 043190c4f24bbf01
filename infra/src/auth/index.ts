export * from './principal.js';
export * from './api-keys.js';
export * from './dev-secret.js';
export * from './tokens.js';

export * from './principal.js';
export * from './api-keys.js';
export * from './dev-secret.js';
export * from './tokens.js';
export * from './oidc-config.js';
export * from './oidc-discovery.js';

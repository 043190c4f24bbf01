export * from './alerts/alert-store.js';
export * from './alerts/alert-reactor.js';

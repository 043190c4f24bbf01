export * from './canonical-json.js';
export * from './chain.js';
export * from './chain-key.js';
export * from './log-digest.js';
export * from './report.js';
export * from './stream-chain.js';
export * from './log-walk.js';

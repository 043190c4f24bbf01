export * from './errors.js';
export * from './roles.js';
export * from './zod-issues.js';
export * from './envelope.js';
export * from './personal.js';
export * from './registry.js';
export * from './referral/values.js';
export * from './referral/events.js';
export { eventRegistry, referralEventDefinitions, type ReferralEvent } from './referral/registry.js';

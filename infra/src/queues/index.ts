export * from './jobs.js';
export * from './job-queues.js';
export * from './backoff.js';

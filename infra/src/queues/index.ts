export * from './alert-jobs.js';
export * from './alert-queues.js';

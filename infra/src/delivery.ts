/**
 * What the alert delivery thread needs of infra (`@hru/infra/delivery`): the queue's name and job, the workers' Redis
 * connection, the backoff and the signed POST, without the rest (the event stores, the key store, authentication, the
 * application and its workflows). The thread then loads in about a third of the time the whole package takes, while
 * the engine, starting beside it, waits for it before it answers requests (services/worker/src/delivery-thread.ts).
 */
export { ALERT_DELIVERY_QUEUE, type AlertDeliveryJob } from './queues/jobs.js';
export { jitteredBackoff } from './queues/backoff.js';
export { createRedis } from './redis.js';
export { postSignedJson, signBody, WebhookError } from './webhook/post-signed.js';

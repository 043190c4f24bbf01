export { createDeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.js';
export { createTimerWorker, type TimerWorkerOptions } from './timer-worker.js';
export { postWebhook, signBody, type AlertWebhookBody } from './webhook.js';

export { createDeliveryWorker, type DeliveryWorkerOptions, type DeliveryOutcome, type RecordOutcome } from './delivery-worker.js';
export { recordOutcomeIn } from './record-outcome.js';
export { DeliveryThread, type DeliveryThreadOptions } from './delivery-thread.js';
export { createTimerWorker, type TimerWorkerOptions } from './timer-worker.js';
export { postWebhook, signBody, type AlertWebhookBody } from './webhook.js';

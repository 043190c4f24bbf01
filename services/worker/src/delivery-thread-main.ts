/**
 * The alert delivery thread (delivery-thread.ts starts it and says why): the delivery worker, with its outcomes
 * recorded and its log lines written by the engine's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDeliveryWorker } from './delivery-worker.js';
import type { DeliveryThreadData, FromDeliveryThread, ToDeliveryThread } from './delivery-thread.js';

const port = parentPort!;
const send = (message: FromDeliveryThread) => port.postMessage(message);
const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
let nextId = 0;

const worker = createDeliveryWorker({
  ...(workerData as DeliveryThreadData),
  logger: {
    info: (fields, message) => send({ kind: 'log', level: 'info', fields, message }),
    warn: (fields, message) => send({ kind: 'log', level: 'warn', fields, message }),
  },
  record: (outcome) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      send({ kind: 'record', id, outcome });
    }),
});

send({ kind: 'started' });

port.on('message', (message: ToDeliveryThread) => {
  if (message.kind === 'recorded') {
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error === undefined) waiter?.resolve();
    else waiter?.reject(new Error(message.error));
    return;
  }
  // Close: the jobs in hand finish (their outcomes still go to the engine), then the port closes and the thread ends.
  void worker.close().finally(() => port.close());
});

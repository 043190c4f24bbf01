/**
 * The alert delivery worker on its own thread (services/worker/src/delivery-thread.ts): a webhook goes out while the
 * engine's thread is held, outcomes are recorded and log lines written by the engine's thread, a thread that dies is
 * replaced and its job delivered by the next, and closing lets the job in hand finish.
 */
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobQueues, type AlertDeliveryJob, type Logger } from '@hru/infra';
import { DeliveryThread, type DeliveryOutcome } from '@hru/worker';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { eventually } from '../support/eventually.js';

let redis: PrivateRedis;
let receiver: WebhookReceiver;
let queues: JobQueues;
let thread: DeliveryThread | undefined;
const outcomes: DeliveryOutcome[] = [];
const lines: { level: string; fields: object; message: string }[] = [];

/** The engine's logger as the thread sees it: every line it sends lands here. */
const logger = Object.fromEntries(
  ['info', 'warn', 'error'].map((level) => [level, (fields: object, message: string) => void lines.push({ level, fields, message })]),
) as unknown as Logger;

function job(alertId: string, target: string): AlertDeliveryJob {
  return { alertId, referralId: `ref-${alertId}`, kind: 'raised', level: 0, raisedBy: 'intake_rule', rules: ['threats_to_kill'], raisedAt: '2026-12-02T10:00:00Z', target };
}

function startThread(): DeliveryThread {
  thread = new DeliveryThread({
    redisUrl: redis.url,
    logger,
    record: async (outcome) => void outcomes.push(outcome),
    secret: 'webhook-secret-0123456789',
    tiers: ['supervisor', 'duty inspector'],
    publicUrl: 'http://engine.test',
    restartDelayMs: 50,
  });
  return thread;
}

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  receiver = await startWebhookReceiver();
  // Each test from an empty Redis: no job of one reaches another's receiver.
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
  queues = new JobQueues(redis.url, { deliveryAttempts: 5 });
  outcomes.length = 0;
  lines.length = 0;
});
afterEach(async () => {
  await thread?.close();
  thread = undefined;
  await queues.close();
  await receiver.close();
});

/** A receiver on a thread of its own that counts requests in shared memory, so this thread can block until one comes. */
async function blockingReceiver(): Promise<{ url: string; arrived: Int32Array; stop(): Promise<number> }> {
  const arrived = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const server = require('node:http').createServer((req, res) => {
       req.resume();
       req.on('end', () => { Atomics.add(workerData, 0, 1); Atomics.notify(workerData, 0); res.writeHead(204).end(); });
     });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.on('message', () => { server.closeAllConnections(); server.close(); parentPort.close(); });`,
    { eval: true, workerData: arrived },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrived,
    stop: () => {
      worker.postMessage('stop');
      return new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

describe('the alert delivery thread', () => {
  it('delivers while the engine thread is held, then records the outcome and logs through the engine thread', async () => {
    const blocking = await blockingReceiver();
    try {
      startThread();
      // A first delivery: the thread is up and its worker connected.
      await queues.addDeliveries([job('a1', blocking.url)]);
      await eventually(() => outcomes.length, (n) => n === 1, 20_000);
      await queues.addDeliveries([job('a2', blocking.url)]);
      // This thread does nothing until the second webhook arrives (or a minute passes): only a delivery that does not
      // need this thread can arrive meanwhile.
      const waited = Atomics.wait(blocking.arrived, 0, 1, 60_000);
      expect(waited).not.toBe('timed-out');
      expect(Atomics.load(blocking.arrived, 0)).toBe(2);
      await eventually(() => outcomes.length, (n) => n === 2, 20_000);
      expect(outcomes.map((o) => [o.type, o.job.alertId, o.detail])).toEqual([
        ['AlertDelivered', 'a1', { httpStatus: 204 }],
        ['AlertDelivered', 'a2', { httpStatus: 204 }],
      ]);
      expect(lines.filter((l) => l.message === 'alert delivered').map((l) => [l.level, (l.fields as { alertId: string }).alertId])).toEqual([
        ['info', 'a1'],
        ['info', 'a2'],
      ]);
    } finally {
      await blocking.stop();
    }
  });

  it('starts another thread when one dies, which delivers the job the dead one was running', async () => {
    const t = startThread();
    // The first request never gets an answer: the job is in hand when its thread dies.
    receiver.respond = (_request, index) => (index === 0 ? 'hang' : 204);
    await queues.addDeliveries([job('b1', receiver.url)]);
    await receiver.waitFor((r) => r.length === 1, 20_000);
    await t.current.terminate();
    await eventually(() => t.restarts, (n) => n === 1, 20_000);
    // Handed back by the new thread's worker (its taker's connection is gone), under the same delivery id.
    await receiver.waitFor((r) => r.length === 2, 20_000);
    expect(receiver.received[1]!.headers['x-hru-delivery']).toBe(receiver.received[0]!.headers['x-hru-delivery']);
    await eventually(() => outcomes.length, (n) => n === 1, 20_000);
    expect(outcomes[0]).toMatchObject({ type: 'AlertDelivered', job: { alertId: 'b1' }, detail: { httpStatus: 204 } });
    expect(lines.some((l) => l.level === 'error' && l.message === 'the alert delivery thread stopped; starting another')).toBe(true);
  });

  it('closes once the job in hand is delivered and its outcome recorded, and is not started again', async () => {
    // A receiver that answers only when told to.
    const held: (() => void)[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => held.push(() => res.writeHead(204).end()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    try {
      const t = startThread();
      await queues.addDeliveries([job('c1', url)]);
      await eventually(() => held.length, (n) => n === 1, 20_000);
      const exited = new Promise<number>((resolve) => t.current.once('exit', resolve));
      let closed = false;
      const closing = t.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The webhook has had no answer: the thread is still waiting for it, so it has not closed.
      expect(closed).toBe(false);
      held[0]!();
      await closing;
      expect(outcomes.map((o) => [o.type, o.job.alertId])).toEqual([['AlertDelivered', 'c1']]);
      expect(await exited).toBe(0);
      expect(t.restarts).toBe(0);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

/**
 * The producer's adds (infra/src/queues/job-queues.ts): a lone job goes through BullMQ's `add`, a batch through
 * `addBulk` (one MULTI). Either way a job must carry the same options (attempts, backoff, delay, retention that keeps
 * its id taken) and a repeat with the same id must add nothing: the reactor and its sweeps add the same work again
 * and again, and rely on that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { deliveryJobId, JobQueues, type AlertDeliveryJob } from '@hru/infra';
import { timerJobId, type Timer } from '@hru/application';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';

let redis: PrivateRedis;
let queues: JobQueues;

beforeAll(async () => {
  redis = await startPrivateRedis();
  queues = new JobQueues(redis.url);
});

afterAll(async () => {
  await queues.close();
  await redis.stop();
});

const delivery = (n: number): AlertDeliveryJob => ({
  alertId: `ref-${String(n).padStart(32, '0')}.ua1`,
  referralId: `ref-${String(n).padStart(32, '0')}`,
  kind: 'raised',
  level: 0,
  raisedBy: 'intake_rule',
  addressedTo: 'supervisor',
  rules: ['dash_high'],
  raisedAt: '2026-12-01T10:00:00.000Z',
  target: 'http://127.0.0.1:9/hook',
});

const escalation = (n: number, dueAt: string): Timer => ({
  type: 'alert-escalation',
  referralId: `ref-${String(n).padStart(32, '0')}`,
  alertId: `ref-${String(n).padStart(32, '0')}.ua1`,
  level: 1,
  dueAt,
});

/** The options a job was stored with, less what names this one job. */
function optionsOf(job: Job | undefined): Record<string, unknown> {
  expect(job).toBeDefined();
  const { jobId: _jobId, timestamp: _timestamp, delay: _delay, ...rest } = job!.opts as Record<string, unknown>;
  return rest;
}

describe('job queues: a lone job and a batch', () => {
  it('a lone delivery is stored like one of a batch, and adding it again adds nothing', async () => {
    await queues.addDeliveries([delivery(1)]);
    await queues.addDeliveries([delivery(2), delivery(3)]);
    const [lone, batched] = await Promise.all([queues.delivery.getJob(deliveryJobId(delivery(1))), queues.delivery.getJob(deliveryJobId(delivery(2)))]);
    expect(optionsOf(lone)).toEqual(optionsOf(batched));
    expect(lone!.opts).toMatchObject({ attempts: 120, backoff: { type: 'jittered' }, removeOnComplete: { age: 86_400, count: 50_000 } });
    expect(lone!.data).toEqual(delivery(1));

    const before = lone!.timestamp;
    await queues.addDeliveries([delivery(1)]);
    await queues.addDeliveries([delivery(1), delivery(2)]);
    expect((await queues.delivery.getJobCounts('waiting')).waiting).toBe(3);
    expect((await queues.delivery.getJob(deliveryJobId(delivery(1))))!.timestamp).toBe(before);
  });

  it('a lone timer is delayed to its due time like one of a batch, and arming it again adds nothing', async () => {
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    const due = '2026-12-01T10:15:00.000Z';
    await queues.addTimers([escalation(1, due)], now);
    await queues.addTimers([escalation(2, due), escalation(3, due)], now);
    const [lone, batched] = await Promise.all([queues.timers.getJob(timerJobId(escalation(1, due))), queues.timers.getJob(timerJobId(escalation(2, due)))]);
    expect(await lone!.getState()).toBe('delayed');
    expect(optionsOf(lone)).toEqual(optionsOf(batched));
    expect(lone!.opts).toMatchObject({ delay: 15 * 60_000, attempts: 20, backoff: { type: 'exponential', delay: 500 } });
    expect(lone!.name).toBe('alert-escalation');

    await queues.addTimers([escalation(1, due)], now);
    expect(await queues.armedTimerCount()).toBe(3);
  });
});

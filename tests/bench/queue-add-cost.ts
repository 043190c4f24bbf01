/**
 * Issue 19: what one job costs this process to add through BullMQ, alone (`add`) and as a batch of one (`addBulk`,
 * which wraps it in a MULTI), on a private redis-server. The live path adds one job at a time (an urgent intake's
 * delivery, then its escalation timer), which is why job-queues.ts sends a lone job through `add`.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/queue-add-cost.ts [jobs=3000] [rounds=2]
 *
 * CPU of this process per job (process.cpuUsage), after a warm-up of each way; rounds alternate the order.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { createRedis } from '@hru/infra';
import { startPrivateRedis } from '../support/redis-server.js';

const jobs = Number(process.argv[2] ?? 3_000);
const rounds = Number(process.argv[3] ?? 2);
const redis = await startPrivateRedis();
const connection = createRedis(redis.url, 'producer');
const queue = new Queue('hru-bench-queue-add', { connection: connection as unknown as ConnectionOptions });
const data = { type: 'alert-escalation', referralId: 'ref-0', alertId: 'ref-0.ua1', level: 1, dueAt: '2026-12-01T10:15:00.000Z' };
const opts = (jobId: string) => ({ jobId, delay: 600_000, attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } });
const ways = {
  add: (id: string) => queue.add('x', data, opts(id)),
  'addBulk of one': (id: string) => queue.addBulk([{ name: 'x', data, opts: opts(id) }]),
};
let next = 0;
async function perJob(way: keyof typeof ways, count: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await ways[way](`job-${next++}`);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}
try {
  for (const way of Object.keys(ways) as (keyof typeof ways)[]) await perJob(way, 500);
  for (let round = 0; round < rounds; round++) {
    const order = (round % 2 === 0 ? ['add', 'addBulk of one'] : ['addBulk of one', 'add']) as (keyof typeof ways)[];
    for (const way of order) console.log(`round ${round + 1}: ${way.padEnd(15)} ${(await perJob(way, jobs)).toFixed(0)} µs of CPU a job`);
  }
} finally {
  await queue.close();
  connection.disconnect();
  await redis.stop();
}

/**
 * The alert delivery thread loads its modules while the engine starts, and the engine answers requests only once the
 * thread has (services/worker/src/delivery-thread.ts): every module it loads lengthens a restart. It needs BullMQ,
 * the queue's job, the workers' Redis connection and the signed POST; the application, the event stores and the
 * whole of infra (about 1.1 s from the build on a slow host, against 0.3 s for BullMQ) it does not.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleGraph, relative, root } from '../support/module-graph.js';

describe('the alert delivery thread', () => {
  const graph = relative(moduleGraph(join(root, 'services/worker/src/delivery-thread-main.ts')));

  it('loads the delivery worker, the queue, the Redis connection and the signed POST', () => {
    expect(graph).toContain('services/worker/src/delivery-worker.ts');
    expect(graph).toContain('infra/src/queues/jobs.ts');
    expect(graph).toContain('infra/src/redis.ts');
    expect(graph).toContain('infra/src/webhook/post-signed.ts');
  });

  it('loads neither the application, nor the event contracts, nor the rest of infra', () => {
    expect(graph.filter((file) => /^(application|workflows|events|projections)\//.test(file))).toEqual([]);
    expect(graph).not.toContain('infra/src/index.ts');
    expect(graph.filter((file) => file.startsWith('infra/src/') && !['infra/src/delivery.ts', 'infra/src/redis.ts', 'infra/src/queues/jobs.ts', 'infra/src/queues/backoff.ts', 'infra/src/webhook/post-signed.ts'].includes(file))).toEqual([]);
  });
});

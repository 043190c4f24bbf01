/** Liveness, readiness (event store and Redis reachable, projections not far behind) and Prometheus metrics. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';

export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; throws (or rejects) with a short reason otherwise. */
  check(): Promise<void>;
}

const health = z.object({ status: z.literal('ok') });
const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

export const operationsRoutes: FastifyPluginAsync<{ readinessChecks: readonly ReadinessCheck[] }> = async (app, { readinessChecks }) => {
  app.get('/healthz', { config: { access: { public: true } }, schema: { tags: ['operations'], response: { 200: health } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    { config: { access: { public: true } }, schema: { tags: ['operations'], response: { 200: readiness, 503: readiness } } },
    async (_request, reply) => {
      const results = await Promise.all(
        readinessChecks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), 2_000);
            return [name, { ok: true }] as const;
          } catch (error) {
            return [name, { ok: false, detail: error instanceof Error ? error.message : String(error) }] as const;
          }
        }),
      );
      const ready = results.every(([, r]) => r.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
    },
  );

  // Not public by contract: Prometheus scrapes with an admin token.
  app.get('/metrics', { config: { access: { staff: ['admin'] } }, schema: { tags: ['operations'], hide: true } }, async (_request, reply) => {
    reply.type(app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

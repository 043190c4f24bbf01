/** Prometheus metrics: request durations, intakes, command rejections, plus gauges other parts register. */
import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  intakes: Counter<'outcome'>;
  commandRejections: Counter<'command' | 'code'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ApiMetrics;
  }
}

export function createApiMetrics(registry = new Registry()): ApiMetrics {
  collectDefaultMetrics({ register: registry, prefix: 'hru_' });
  return {
    registry,
    intakes: new Counter({
      name: 'hru_intakes_total',
      help: 'Referrals received from source systems, by outcome (created, repeated, updated, rejected)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    commandRejections: new Counter({
      name: 'hru_command_rejections_total',
      help: 'Lifecycle commands refused, by command and error code',
      labelNames: ['command', 'code'],
      registers: [registry],
    }),
  };
}

export default fp<{ metrics: ApiMetrics }>(
  async (app, { metrics }) => {
    const durations = new Histogram({
      name: 'hru_http_request_duration_seconds',
      help: 'HTTP request durations by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      durations.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'metrics' },
);

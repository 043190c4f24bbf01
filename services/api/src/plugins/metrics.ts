/** Prometheus metrics: request durations, intakes, command rejections, plus gauges other parts register. */
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IntegrityMonitor } from '@hru/infra';

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

/** The integrity monitor's findings, read at scrape time: alert on hru_integrity_breaks > 0. */
export function registerIntegrityGauges(metrics: ApiMetrics, integrity: Pick<IntegrityMonitor, 'status'>): void {
  const gauge = (name: string, help: string, value: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        const v = value();
        if (v !== undefined) this.set(v);
      },
    });
  gauge('hru_integrity_breaks', 'Breaks in the hash chains found by the integrity monitor (kept until investigated)', () => integrity.status().breaks.length);
  gauge('hru_integrity_verified_position', 'Global position up to which the integrity monitor has verified the log', () => {
    const p = integrity.status().verifiedPosition;
    return p === null ? undefined : Number(p);
  });
  gauge('hru_integrity_last_anchor_timestamp_seconds', 'When the log digest was last anchored outside the store', () => {
    const a = integrity.status().lastAnchor;
    return a ? Date.parse(a.at) / 1000 : undefined;
  });
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
    // One bound child per (method, route, status), made on first use: prom-client otherwise sorts and hashes a
    // fresh label object for every observation. Routes and statuses are few; unmatched paths share one label.
    const bound = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let child = bound.get(key);
      if (!child) {
        child = durations.labels({ method: request.method, route, status: String(reply.statusCode) });
        bound.set(key, child);
      }
      child.observe(reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'metrics' },
);

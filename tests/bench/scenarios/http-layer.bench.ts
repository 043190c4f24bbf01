/**
 * Issue 19: what the API's HTTP and plugin layer costs an intake, apart from the work behind it. The engine's
 * real app (every plugin: problem details, request context and logging, authentication, security headers, the
 * rate limit, metrics; the intake route's schema and reply) answers POST /v1/referrals with the command handler
 * replaced by one that returns at once, beside the bare Fastify route with the same zod validation, in the same
 * run, 50 connections, client in its own process. Server CPU per request (every thread) is the measure: the
 * layer's cost is ours minus the floor's, which does not depend on who else uses the cores.
 *
 * The stub is a measuring instrument, not a result: it stands for the handler so that only the layer is priced.
 */
import { randomUUID } from 'node:crypto';
import { percentile, type BenchResult, type BenchScenario } from '../harness.js';
import { startBenchClient } from '../support/client.js';
import type { LoadResult } from '../support/client-protocol.js';
import { sourceHeaders, startBenchEngine } from '../support/bench-engine.js';
import { startBareFloor } from '../support/intake-floors.js';
import { instantHandler } from '../support/instant-handler.js';

const CONNECTIONS = 50;
const WARMUP_MS = 2_000;
const DURATION_MS = 8_000;


type Run = LoadResult & { serverCpuUs: number };

function perRequest(runs: Run[]) {
  const answered = runs.reduce((n, r) => n + r.latencies.length, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    answered,
    perSecond: answered / seconds,
    cpuUs: runs.reduce((n, r) => n + r.serverCpuUs, 0) / answered,
    p99: percentile(
      runs.flatMap((r) => r.latencies),
      99,
    ),
  };
}

function expectAllCreated(side: string, result: LoadResult) {
  const other = Object.entries(result.statuses).filter(([status]) => status !== '201');
  if (other.length > 0) throw new Error(`${side}: answers other than 201: ${JSON.stringify(result.statuses)}; first: ${result.firstError}`);
}

const scenario: BenchScenario = {
  name: 'intake HTTP and plugin layer (50 connections)',
  async run(): Promise<BenchResult[]> {
    const client = await startBenchClient();
    try {
      const runId = randomUUID().slice(0, 8);
      let n = 0;
      const load = async (url: string, side: string) => {
        const run = await client.load({ url, headers: sourceHeaders, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, maxRequests: 500_000, runId: `${runId}-${side}${n++}` });
        expectAllCreated(side, run);
        return run;
      };
      const bare = async () => {
        const floor = await startBareFloor();
        try {
          return await load(floor.url, 'bare');
        } finally {
          await floor.close();
        }
      };
      const receiver = await client.receiver();
      const layer = async () => {
        const engine = await startBenchEngine(receiver, undefined, { adjustApi: (deps) => void (deps.commands = instantHandler) });
        try {
          return await load(`${engine.baseUrl}/v1/referrals`, 'layer');
        } finally {
          await engine.stop();
        }
      };
      // Floor, ours, ours, floor: the load on a shared machine drifts, and this order lets it weigh on both alike.
      const floorRuns = [await bare()];
      const oursRuns = [await layer(), await layer()];
      floorRuns.push(await bare());
      const f = perRequest(floorRuns);
      const o = perRequest(oursRuns);
      return [
        {
          scenario: 'intake HTTP and plugin layer: server CPU per request, handler stubbed',
          unit: 'µs CPU/request',
          ours: o.cpuUs,
          floor: f.cpuUs,
          floorLabel: 'bare Fastify + same zod validation',
          higherIsBetter: false,
          extra: {
            layerCpuUsPerRequest: Math.round(o.cpuUs - f.cpuUs),
            oursPerSecond: Math.round(o.perSecond),
            floorPerSecond: Math.round(f.perSecond),
            oursP99ms: +o.p99.toFixed(2),
            floorP99ms: +f.p99.toFixed(2),
            oursRequests: o.answered,
            floorRequests: f.answered,
          },
        },
      ];
    } finally {
      await client.stop();
    }
  },
};

export default scenario;

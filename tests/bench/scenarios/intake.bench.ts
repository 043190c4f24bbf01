/**
 * Issue 4: intake throughput and latency over real HTTP on 127.0.0.1, 50 concurrent keep-alive connections,
 * against the real engine (API + outbox reactor + workers in one process, durable appends with
 * synchronous=FULL), beside the floor measured in the same run: a bare Fastify route that validates the same
 * `intakeBodySchema` with the same zod validator compiler and answers without storing. Every request is a
 * new crime; one in five trips an intake rule, so urgent actions, alert rows and webhook deliveries (to a
 * local receiver in the client process) are part of the load. The client runs in its own process.
 *
 * The engine seals each person's details and the case's free text under their own keys, as in production. The same
 * engine is run a second time with the sealing taken out (EngineOptions.sealPersonalData, which exists for this), so
 * the price of the encryption reads as server CPU per request with and without it; CPU, not wall time, because
 * the machine may be shared and an fsync costs waiting, not work. Each side runs twice, in the order sealed,
 * unsealed, unsealed, sealed, and its figures are over both runs (the throughput row's too).
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSealed } from '@hru/application';
import { intakeBodySchema } from '@hru/workflows';
import { percentile, type BenchResult, type BenchScenario } from '../harness.js';
import { startBenchClient, type BenchClient } from '../support/client.js';
import type { LoadResult } from '../support/client-protocol.js';
import { sourceHeaders, startBenchEngine, type BenchEngine } from '../support/bench-engine.js';

const CONNECTIONS = 50;
const WARMUP_MS = 2_000;
const DURATION_MS = 10_000;
const MAX_REQUESTS = 500_000;
/** The target: the encryption adds at most this share to the server CPU of an intake without it. */
const MAX_ENCRYPTION_OVERHEAD = 0.15;

async function startFloor() {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const reply = z.object({ referralId: z.string(), status: z.string(), urgent: z.boolean(), revision: z.number().int() });
  app.post('/v1/referrals', { schema: { body: intakeBodySchema, response: { 201: reply } } }, async (request, res) => {
    void res.status(201);
    return { referralId: `floor-${request.body.source.crimeReference}`, status: 'received', urgent: false, revision: 0 };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/referrals` };
}

function summary(result: LoadResult & { serverCpuUs: number }) {
  const answered = result.latencies.length;
  return {
    perSecond: answered / result.seconds,
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    serverCpuUs: result.serverCpuUs / answered,
    clientCpuUs: (result.clientCpuShare * result.seconds * 1e6) / answered,
  };
}

/**
 * Requests per second this machine could answer if all its cores did nothing but this side's work (server
 * and client CPU per request): a ceiling no scheduling can beat. When ours is below half the floor's
 * measured rate, the target is out of reach at our CPU cost per intake, whatever the concurrency.
 */
function cpuCeiling(side: { serverCpuUs: number; clientCpuUs: number }): number {
  return (cpus().length * 1e6) / (side.serverCpuUs + side.clientCpuUs);
}

/** CPU this process spends per second while the engine waits for work: what it costs whatever the load. */
async function idleCpu(ms = 2_000): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const start = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / ms;
}

/**
 * Whether the log's first ReferralReceived holds its personal section sealed: the run measured what it says it
 * measured (the store underneath holds what was written to disk).
 */
async function firstIntakeSealed(engine: BenchEngine): Promise<boolean> {
  const [first] = await engine.engine.store.inner.readAll({ maxCount: 1, filter: { eventTypes: ['ReferralReceived'] } });
  if (!first) throw new Error('no ReferralReceived in the log');
  return isSealed((first.data as { personal?: unknown }).personal);
}

/** Anything but 201 means the bench measured refusals, not intakes: stop rather than report a number. */
function expectAllCreated(side: string, result: LoadResult) {
  const other = Object.entries(result.statuses).filter(([status]) => status !== '201');
  if (other.length > 0) throw new Error(`${side}: answers other than 201: ${JSON.stringify(result.statuses)}; first: ${result.firstError}`);
}

type EngineRun = { run: LoadResult & { serverCpuUs: number }; head: bigint; idleCpuUsPerSecond: number };

/** Two runs of one side as one: requests, time and CPU added up, so per-request figures are over both. */
function pooled(a: EngineRun, b: EngineRun): EngineRun {
  const statuses: Record<string, number> = { ...a.run.statuses };
  for (const [status, n] of Object.entries(b.run.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  const seconds = a.run.seconds + b.run.seconds;
  return {
    run: {
      latencies: [...a.run.latencies, ...b.run.latencies],
      statuses,
      seconds,
      requests: a.run.requests + b.run.requests,
      clientCpuShare: (a.run.clientCpuShare * a.run.seconds + b.run.clientCpuShare * b.run.seconds) / seconds,
      serverCpuUs: a.run.serverCpuUs + b.run.serverCpuUs,
      ...(a.run.firstError ?? b.run.firstError ? { firstError: a.run.firstError ?? b.run.firstError } : {}),
    },
    // Each run has its own log: events written by both.
    head: a.head + b.head,
    idleCpuUsPerSecond: (a.idleCpuUsPerSecond + b.idleCpuUsPerSecond) / 2,
  };
}

const scenario: BenchScenario = {
  name: 'intake over HTTP (50 connections)',
  async run(): Promise<BenchResult[]> {
    let client: BenchClient | undefined;
    try {
      client = await startBenchClient();
      const runId = randomUUID().slice(0, 8);
      const load = (url: string, side: string) =>
        client!.load({ url, headers: sourceHeaders, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, maxRequests: MAX_REQUESTS, runId: `${runId}-${side}` });

      const floor = await startFloor();
      const floorRun = await load(floor.url, 'floor').finally(() => floor.app.close());
      expectAllCreated('floor', floorRun);

      const receiver = await client.receiver();
      const engineRun = async (seal: boolean) => {
        const engine = await startBenchEngine(receiver, undefined, { sealPersonalData: seal });
        try {
          const idleCpuUsPerSecond = await idleCpu();
          const run = await load(`${engine.baseUrl}/v1/referrals`, seal ? 'ours' : 'unsealed');
          expectAllCreated(seal ? 'ours' : 'ours without encryption', run);
          if ((await firstIntakeSealed(engine)) !== seal) throw new Error(`the engine with sealPersonalData=${seal} did not store what it should`);
          return { run, head: await engine.engine.store.headPosition(), idleCpuUsPerSecond };
        } finally {
          await engine.stop();
        }
      };
      // Sealed, unsealed, unsealed, sealed: on a shared machine the load drifts over a run, and this order lets the
      // drift weigh on both sides alike; each side's figures are over both of its runs.
      const sealedFirst = await engineRun(true);
      const plainFirst = await engineRun(false);
      const plainSecond = await engineRun(false);
      const sealedSecond = await engineRun(true);
      const { run: oursRun, head, idleCpuUsPerSecond: oursIdle } = pooled(sealedFirst, sealedSecond);
      const { run: plainRun, head: plainHead, idleCpuUsPerSecond: plainIdle } = pooled(plainFirst, plainSecond);

      const o = summary(oursRun);
      const f = summary(floorRun);
      const p = summary(plainRun);
      // What the encryption adds to an intake's server CPU (every thread of the engine's process), over the same
      // engine without it: the target's measure. Also as a share of the encrypted intake's CPU, for reading.
      const overhead = o.serverCpuUs / p.serverCpuUs - 1;
      // The same less what the idle engine spends each second (timers, polling, queues): when the two sides answer at
      // different rates, that fixed cost is spread over different numbers of requests and skews the plain figure.
      const marginal = (run: LoadResult & { serverCpuUs: number }, idle: number) => (run.serverCpuUs - idle * run.seconds) / run.latencies.length;
      const oursMarginal = marginal(oursRun, oursIdle);
      const plainMarginal = marginal(plainRun, plainIdle);
      const shared = { connections: CONNECTIONS, seconds: DURATION_MS / 1000 };
      return [
        {
          scenario: `intake throughput, ${CONNECTIONS} connections, new crimes (20% urgent), encryption on`,
          unit: 'referrals/s',
          ours: o.perSecond,
          floor: f.perSecond,
          floorLabel: 'bare Fastify + same zod validation, no store',
          higherIsBetter: true,
          target: '>= 50% of floor',
          met: o.perSecond >= 0.5 * f.perSecond,
          extra: {
            ...shared,
            oursRequests: oursRun.latencies.length,
            floorRequests: floorRun.latencies.length,
            oursP50ms: +o.p50.toFixed(2),
            oursP99ms: +o.p99.toFixed(2),
            floorP50ms: +f.p50.toFixed(2),
            floorP99ms: +f.p99.toFixed(2),
            eventsInLog: Number(head),
            clientCpuShareOurs: +oursRun.clientCpuShare.toFixed(2),
            clientCpuShareFloor: +floorRun.clientCpuShare.toFixed(2),
            // CPU per answered request, all threads of each process, over the measured window only.
            oursServerCpuUsPerRequest: Math.round(o.serverCpuUs),
            floorServerCpuUsPerRequest: Math.round(f.serverCpuUs),
            oursClientCpuUsPerRequest: Math.round(o.clientCpuUs),
            floorClientCpuUsPerRequest: Math.round(f.clientCpuUs),
            cores: cpus().length,
            oursCpuCeilingPerSecond: Math.round(cpuCeiling(o)),
          },
        },
        {
          scenario: `intake server CPU per request, encryption on vs off`,
          unit: 'µs CPU/request',
          ours: o.serverCpuUs,
          floor: p.serverCpuUs,
          floorLabel: 'same engine, sealPersonalData: false',
          higherIsBetter: false,
          target: `encryption <= ${MAX_ENCRYPTION_OVERHEAD * 100}% of intake CPU per request`,
          met: overhead <= MAX_ENCRYPTION_OVERHEAD,
          extra: {
            encryptionOverheadPct: +(overhead * 100).toFixed(1),
            encryptionShareOfSealedCpuPct: +((1 - p.serverCpuUs / o.serverCpuUs) * 100).toFixed(1),
            sealedIdleCpuUsPerSecond: Math.round(oursIdle),
            unsealedIdleCpuUsPerSecond: Math.round(plainIdle),
            sealedMarginalCpuUsPerRequest: Math.round(oursMarginal),
            unsealedMarginalCpuUsPerRequest: Math.round(plainMarginal),
            marginalEncryptionOverheadPct: +((oursMarginal / plainMarginal - 1) * 100).toFixed(1),
            sealedPerSecond: Math.round(o.perSecond),
            unsealedPerSecond: Math.round(p.perSecond),
            sealedRequests: oursRun.latencies.length,
            unsealedRequests: plainRun.latencies.length,
            unsealedEventsInLog: Number(plainHead),
            sealedP99ms: +o.p99.toFixed(2),
            unsealedP99ms: +p.p99.toFixed(2),
            sealedClientCpuUsPerRequest: Math.round(o.clientCpuUs),
            unsealedClientCpuUsPerRequest: Math.round(p.clientCpuUs),
          },
        },
        {
          scenario: `intake latency p99, ${CONNECTIONS} connections`,
          unit: 'ms p99',
          ours: o.p99,
          floor: f.p99,
          floorLabel: 'bare Fastify + same zod validation, no store',
          higherIsBetter: false,
          extra: { oursP50ms: +o.p50.toFixed(2), floorP50ms: +f.p50.toFixed(2) },
        },
      ];
    } finally {
      await client?.stop();
    }
  },
};

export default scenario;

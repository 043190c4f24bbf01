/**
 * Issue 17: statutory clocks at scale, on a private redis-server.
 *
 * 1. Re-arm after a restart: 100,000 open deadline timers in the open-timers read model (100,000 DeadlineSet events
 *    projected by the timers projection), Redis empty (as after its restart: this Redis keeps nothing on disk), and
 *    the outbox reactor's start sweep arming them all (keyset pages of the read model, addBulk batches). Its rate
 *    beside the floor measured in the same run on the same Redis: raw BullMQ addBulk of as many delayed jobs, in
 *    batches of the same size (one call of 100,000 is slower, and blocks Redis for seconds), run before and after
 *    ours (the faster is the floor). CPU of this process (reactor or floor producer) per job beside it. Then the cost of a quiet interval sweep with all of them armed.
 * 2. Due → DeadlineMissed + webhook while intakes run: the real engine (API, projector and reactor, workers in one
 *    process, as `hru start`) holding 100,000 armed deadlines due in 30 days, and 300 Victims' Code contacts falling
 *    due 15 a second over 20 s (backdated arrests through the command path, test clocks of fixed length), while the
 *    bench client sends 100 intakes/s (and one urgent one a second, its probes). Per deadline: DeadlineMissed's time and the
 *    webhook's arrival at a receiver in a process of its own, minus the due time.
 * Memory: this process's RSS (the engine's, in part 2) before seeding, once the 100,000 are armed, and after the run;
 * Redis's used memory with them armed.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { ALERT_DELIVERY_QUEUE, TIMER_QUEUE, createLogger, deliveryJobId, JobQueues, SqliteEventStore, createRedis } from '@hru/infra';
import { ProjectionRunner, alertsProjection, openReadModels, openTimerCount, timersProjection } from '@hru/projections';
import { OutboxReactor } from '@hru/projector';
import { referralIdFor } from '@hru/workflows';
import type { EventStore, NewEvent, RecordedEvent } from '@hru/application';
import { eventRegistry } from '@hru/events';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';
import { startBenchClient, type BenchClient } from '../support/client.js';
import { sourceHeaders, startBenchEngine, type BenchEngine } from '../support/bench-engine.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { tempDir } from '../../support/temp-dir.js';
import { intakeBody } from '../../support/intake-body.js';
import { testClocks } from '../../support/test-clocks.js';
import { deadlineCommands, iso, send } from '../../support/deadline-driver.js';

const ARMED = 100_000;
const PER_STREAM = 100;
const BATCH = 1_000;
const PROBES = 300;
const PROBE_SPREAD_MS = 20_000;
const INTAKES_PER_SECOND = 100;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const rss = () => process.memoryUsage().rss;
const cpuUs = (since: NodeJS.CpuUsage) => ((u) => u.user + u.system)(process.cpuUsage(since));

/** `count` open deadlines of 100 per stream, due in 30 days plus a few ms each: as DeadlineSet events. */
function farDeadlines(count: number, streamOffset = 0): { streamId: string; events: NewEvent[] }[] {
  const out: { streamId: string; events: NewEvent[] }[] = [];
  const base = Date.now() + 30 * DAY;
  const schemaVersion = eventRegistry.definition('DeadlineSet').version;
  for (let s = 0; s < count / PER_STREAM; s++) {
    const referralId = `ref-${(streamOffset + s).toString(16).padStart(32, '0')}`;
    const events: NewEvent[] = [];
    for (let d = 1; d <= PER_STREAM; d++) {
      const dueAt = iso(base + (s * PER_STREAM + d) * 10);
      events.push({
        type: 'DeadlineSet',
        data: { referralId, deadlineId: `d${d}`, kind: 'bail_expiry', clock: 'bail_3_months', measureId: null, owner: 'officer', triggerAt: iso(Date.now()), startedBy: null, dueAt, warnAt: null, version: 1 },
        metadata: { eventId: randomUUID(), occurredAt: iso(Date.now()), actor: { kind: 'system', system: 'bench' }, correlationId: 'bench', causationId: null, schemaVersion },
      });
    }
    out.push({ streamId: referralId, events });
  }
  return out;
}

async function appendAll(store: EventStore, streams: { streamId: string; events: NewEvent[] }[]): Promise<void> {
  for (const { streamId, events } of streams) await store.appendToStream(streamId, events);
}

async function redisUsedMemory(url: string): Promise<number> {
  const client = createRedis(url, 'producer');
  try {
    await client.ping().catch(async () => sleep(200));
    const info = await client.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
  } finally {
    client.disconnect();
  }
}

async function flush(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  await client.flushall();
  client.disconnect();
}

/** Raw BullMQ: addBulk of `count` delayed jobs in batches of BATCH, on a queue of its own. */
async function rawAddBulk(url: string, count: number): Promise<{ ms: number; cpuUs: number }> {
  const connection = createRedis(url, 'producer');
  const queue = new Queue(`bench-floor-${randomUUID().slice(0, 8)}`, { connection: connection as unknown as ConnectionOptions });
  try {
    await queue.waitUntilReady();
    const due = Date.now() + 30 * DAY;
    const cpu = process.cpuUsage();
    const t0 = nowMs();
    for (let start = 0; start < count; start += BATCH) {
      await queue.addBulk(
        Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => ({
          name: 'deadline-due',
          data: { type: 'deadline-due', referralId: `ref-${start + i}`, deadlineId: 'd1', version: 1, dueAt: iso(due) },
          opts: { jobId: `floor-${start + i}`, delay: 30 * DAY, attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 86_400, count: 50_000 }, removeOnFail: { age: 86_400, count: 50_000 } },
        })),
      );
    }
    return { ms: nowMs() - t0, cpuUs: cpuUs(cpu) };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** What the sink saw: a webhook's alert, kind and referral, and when it arrived (epoch ms, the sink's clock). */
interface Arrival {
  at: number;
  body: { alertId: string; referralId: string; kind: string };
}

interface WebhookSink {
  url: string;
  received: Arrival[];
  stop(): Promise<void>;
}

/**
 * A webhook receiver in a process of its own, as an integrator's would be: one in the engine's process would share
 * the event loop it measures. Plain JavaScript, so it needs no loader; it prints one JSON line per arrival.
 */
async function startWebhookSink(): Promise<WebhookSink> {
  const source = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const at = Date.now();
        res.writeHead(204).end();
        const b = JSON.parse(raw);
        process.stdout.write(JSON.stringify({ at, body: { alertId: b.alertId, referralId: b.referralId, kind: b.kind } }) + '\\n');
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const received: Arrival[] = [];
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`webhook sink exited (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
        else if (line) received.push(JSON.parse(line) as Arrival);
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Part 1: the reactor's re-arm of 100,000 open timers from the read model, beside raw addBulk. */
async function rearm(redis: PrivateRedis): Promise<BenchResult[]> {
  const { dir, cleanup } = tempDir('hru-bench-deadlines-');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const db = openReadModels(dir);
  // The two read models the reactor reads (open timers, pending deliveries), as the engine keeps them.
  const runner = new ProjectionRunner({ store, db, projections: [timersProjection, alertsProjection({ webhookTargets: [] })] });
  const queues = new JobQueues(redis.url);
  const logger = createLogger({ level: 'warn' });
  try {
    const rssBefore = rss();
    await appendAll(store, farDeadlines(ARMED));
    runner.start();
    await runner.waitUntilCaughtUp(600_000);
    if (openTimerCount(db) !== ARMED) throw new Error(`read model holds ${openTimerCount(db)} open timers, not ${ARMED}`);
    const rssSeeded = rss();

    await flush(redis.url);
    const floor = await rawAddBulk(redis.url, ARMED);
    await flush(redis.url);
    await queues.timers.waitUntilReady();

    const reactor = new OutboxReactor({ readModels: db, queues, logger, sweepIntervalMs: 3_600_000 });
    const cpu = process.cpuUsage();
    const t0 = nowMs();
    const swept = await reactor.sweep('start');
    const oursMs = nowMs() - t0;
    const oursCpu = cpuUs(cpu);
    const armed = await queues.armedTimerCount();
    if (swept?.timers !== ARMED || armed !== ARMED) throw new Error(`re-arm: swept ${swept?.timers}, Redis holds ${armed}`);
    const redisMemory = await redisUsedMemory(redis.url);
    const rssArmed = rss();

    // A quiet interval with everything armed: one count, no re-arm.
    const q0 = nowMs();
    const quiet = await reactor.sweep('interval');
    const quietMs = nowMs() - q0;
    reactor.stop();
    // The floor again, after ours: the better of the two runs is the floor (a first run pays Redis's warm-up).
    await flush(redis.url);
    const floorAgain = await rawAddBulk(redis.url, ARMED);
    await flush(redis.url);
    const floorMs = Math.min(floor.ms, floorAgain.ms);
    const floorCpuUs = floor.ms <= floorAgain.ms ? floor.cpuUs : floorAgain.cpuUs;

    const ours = (ARMED / oursMs) * 1_000;
    const floorRate = (ARMED / floorMs) * 1_000;
    return [
      {
        scenario: `re-arm of ${ARMED.toLocaleString('en-GB')} open deadline timers after a restart (reactor sweep from the read model)`,
        unit: 'timers/s',
        ours,
        floor: floorRate,
        floorLabel: `raw BullMQ addBulk of ${ARMED.toLocaleString('en-GB')} delayed jobs, batches of ${BATCH}`,
        higherIsBetter: true,
        target: `>= ${TARGET_RATIO * 100}% of floor`,
        met: ours >= TARGET_RATIO * floorRate,
        extra: {
          oursSeconds: round(oursMs / 1_000),
          floorSecondsBefore: round(floor.ms / 1_000),
          floorSecondsAfter: round(floorAgain.ms / 1_000),
          oursCpuUsPerTimer: round(oursCpu / ARMED, 1),
          floorCpuUsPerJob: round(floorCpuUs / ARMED, 1),
          quietIntervalSweepMs: round(quietMs, 1),
          quietIntervalRearmed: quiet?.timers ?? -1,
          redisUsedMemoryMbArmed: mb(redisMemory),
          rssMbBefore: mb(rssBefore),
          rssMbSeeded: mb(rssSeeded),
          rssMbArmed: mb(rssArmed),
        },
      },
    ];
  } finally {
    await runner.stop();
    await queues.close();
    await store.close();
    db.close();
    cleanup();
  }
}

/**
 * Per probe, from BullMQ's own job timestamps (epoch ms) and the log: due → the timer job starting (delayed-set
 * pickup), → DeadlineMissed appended (the command), → the alert's delivery job created (projections and reactor),
 * → the delivery starting (pickup), → the webhook's arrival (signing and the POST). p50 and p99 of each.
 */
async function whereTheTimeGoes(redisUrl: string, store: EventStore, referrals: string[], dueAt: Map<string, number>, receiver: WebhookSink, target: string) {
  const connection = createRedis(redisUrl, 'producer');
  const timers = new Queue(TIMER_QUEUE, { connection: connection as unknown as ConnectionOptions });
  const deliveries = new Queue(ALERT_DELIVERY_QUEUE, { connection: connection as unknown as ConnectionOptions });
  const seg = { timerPickup: [] as number[], command: [] as number[], toDeliveryJob: [] as number[], deliveryPickup: [] as number[], webhookPost: [] as number[] };
  try {
    for (const id of referrals) {
      const stream = await store.readStream(id);
      const set = stream.find((e) => e.type === 'DeadlineSet')!.data as { deadlineId: string; version: number };
      const missed = stream.find((e) => e.type === 'DeadlineMissed')!;
      const alertId = (stream.find((e) => e.type === 'UrgentActionRaised')!.data as { alertId: string }).alertId;
      const timerJob = await timers.getJob(`deadline-due-${id}-${set.deadlineId}-v${set.version}`);
      const deliveryJob = await deliveries.getJob(deliveryJobId({ alertId, kind: 'raised', level: 0, target }));
      const arrived = receiver.received.find((r) => r.body.alertId === alertId && r.body.kind === 'raised');
      const missedAt = Date.parse(missed.metadata.occurredAt);
      if (timerJob?.processedOn) seg.timerPickup.push(timerJob.processedOn - dueAt.get(id)!);
      if (timerJob?.processedOn) seg.command.push(missedAt - timerJob.processedOn);
      if (deliveryJob) seg.toDeliveryJob.push(deliveryJob.timestamp - missedAt);
      if (deliveryJob?.processedOn) seg.deliveryPickup.push(deliveryJob.processedOn - deliveryJob.timestamp);
      if (deliveryJob?.processedOn && arrived) seg.webhookPost.push(arrived.at - deliveryJob.processedOn);
    }
  } finally {
    await timers.close();
    await deliveries.close();
    connection.disconnect();
  }
  return Object.fromEntries(Object.entries(seg).flatMap(([name, xs]) => [[`${name}P50ms`, round(percentile(xs, 50), 1)], [`${name}P99ms`, round(percentile(xs, 99), 1)]]));
}

/** Part 2: due → DeadlineMissed and → webhook, in the engine holding 100,000 armed, under 100 intakes/s. */
async function dueUnderLoad(redis: PrivateRedis, client: BenchClient, receiver: WebhookSink): Promise<BenchResult[]> {
  await flush(redis.url);
  const engine: BenchEngine = await startBenchEngine(`${await client.receiver()},${receiver.url}`, redis);
  const queues = new JobQueues(redis.url);
  try {
    const rssBefore = rss();
    const seedStart = nowMs();
    await appendAll(engine.engine.store, farDeadlines(ARMED, 1 << 20));
    const deadline = Date.now() + 300_000;
    while ((openTimerCount(engine.engine.readModels!) < ARMED || (await queues.armedTimerCount()) < ARMED) && Date.now() < deadline) await sleep(250);
    const armed = await queues.armedTimerCount();
    if (armed < ARMED) throw new Error(`the engine armed ${armed} of ${ARMED}`);
    const armSeconds = (nowMs() - seedStart) / 1_000;
    // Every read model past the seeded events too (the alerts model among them), so the probes meet an engine at rest.
    while ((await engine.engine.projector!.lag()).some((l) => l.lag > 0) && Date.now() < deadline) await sleep(250);
    const seedSeconds = (nowMs() - seedStart) / 1_000;
    const rssArmed = rss();
    const redisMemory = await redisUsedMemory(redis.url);

    // The probes: referrals first, then arrests backdated so each contact falls due inside the load's window.
    const commands = deadlineCommands(engine.engine.store, testClocks(HOUR, null));
    const referrals: string[] = [];
    for (let i = 0; i < PROBES; i++) {
      const body = intakeBody();
      const referralId = referralIdFor('niche', body.source.crimeReference);
      await commands.handle(referralId, { name: 'receive-referral', payload: body }, { actor: { kind: 'system', system: 'niche' }, correlationId: 'bench', now: iso(Date.now()) });
      referrals.push(referralId);
    }
    const firstDue = Date.now() + 8_000;
    const dueAt = new Map(referrals.map((id, i) => [id, firstDue + Math.floor((i * PROBE_SPREAD_MS) / PROBES)]));
    for (const id of referrals) await send(commands, id, 'record-arrest', { at: iso(dueAt.get(id)! - HOUR) });
    if (Date.now() > firstDue - 2_000) throw new Error('writing the probes took longer than their lead');

    // 100 intakes/s (and one urgent probe a second) from the client, from now until after the last deadline.
    const probeIntervalMs = 1_000;
    const load = await client.alerts({
      url: `${engine.baseUrl}/v1/referrals`,
      headers: sourceHeaders,
      runId: randomUUID().slice(0, 8),
      backgroundPerSecond: INTAKES_PER_SECOND,
      settleMs: 1_000,
      warmupProbes: 0,
      probes: Math.ceil((firstDue + PROBE_SPREAD_MS + 3_000 - Date.now()) / probeIntervalMs),
      probeIntervalMs,
      drainTimeoutMs: 10_000,
    });
    await sleep(1_000);

    const missedLate: number[] = [];
    const webhookLate: number[] = [];
    let missing = 0;
    for (const id of referrals) {
      const stream: RecordedEvent[] = await engine.engine.store.readStream(id);
      const missed = stream.filter((e) => e.type === 'DeadlineMissed');
      const alert = stream.find((e) => e.type === 'UrgentActionRaised');
      const arrived = receiver.received.find((r) => r.body.referralId === id && r.body.kind === 'raised');
      if (missed.length !== 1 || !alert || !arrived) {
        missing++;
        continue;
      }
      missedLate.push(Date.parse(missed[0]!.metadata.occurredAt) - dueAt.get(id)!);
      webhookLate.push(arrived.at - dueAt.get(id)!);
    }
    if (missing > 0) throw new Error(`${missing} of ${PROBES} deadlines were not missed once with a webhook`);
    const segments = await whereTheTimeGoes(redis.url, engine.engine.store, referrals, dueAt, receiver, `${receiver.url}`);
    const rssAfter = rss();
    const p = (xs: number[], q: number) => round(percentile(xs, q), 1);
    return [
      {
        scenario: `deadline due → DeadlineMissed + webhook p99, ${ARMED.toLocaleString('en-GB')} armed, under ${INTAKES_PER_SECOND} intakes/s`,
        unit: 'ms p99',
        ours: percentile(webhookLate, 99),
        higherIsBetter: false,
        target: `p99 <= ${TARGET_P99_MS} ms`,
        met: percentile(webhookLate, 99) <= TARGET_P99_MS,
        extra: {
          probes: PROBES,
          webhookP50ms: p(webhookLate, 50),
          webhookP99ms: p(webhookLate, 99),
          webhookMaxMs: p(webhookLate, 100),
          missedP50ms: p(missedLate, 50),
          missedP99ms: p(missedLate, 99),
          missedMaxMs: p(missedLate, 100),
          earliestMissedMs: round(Math.min(...missedLate), 1),
          backgroundPerSecond: round(load.background.perSecond, 1),
          backgroundSkipped: load.background.skipped,
          backgroundIntakeP99ms: p(load.background.latencies, 99),
          urgentProbesMissing: load.missing,
          seedToArmedSeconds: round(armSeconds, 1),
          seedToEveryReadModelSeconds: round(seedSeconds, 1),
          ...segments,
          redisUsedMemoryMbArmed: mb(redisMemory),
          rssMbBefore: mb(rssBefore),
          rssMbArmed: mb(rssArmed),
          rssMbAfter: mb(rssAfter),
        },
      },
    ];
  } finally {
    await queues.close();
    await engine.stop();
  }
}

const scenario: BenchScenario = {
  name: 'deadlines: re-arm of 100,000 timers, due → missed + webhook under load',
  async run(): Promise<BenchResult[]> {
    let redis: PrivateRedis | undefined;
    let client: BenchClient | undefined;
    let receiver: WebhookSink | undefined;
    try {
      redis = await startPrivateRedis();
      const results = await rearm(redis);
      client = await startBenchClient();
      receiver = await startWebhookSink();
      results.push(...(await dueUnderLoad(redis, client, receiver)));
      return results;
    } finally {
      await receiver?.stop();
      await client?.stop();
      await redis?.stop();
    }
  },
};

export default scenario;

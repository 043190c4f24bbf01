/**
 * Nothing a statutory clock owes is lost to a crash: 1,000 armed deadlines (Victims' Code contacts falling due
 * between half a minute and a minute and a half from now), the engine killed with SIGKILL and started again, and
 * in a second run Redis restarted empty as well (before the restart, and again while the deadlines fall due): every
 * deadline is missed exactly once, never before its time, counted from the log. The engine runs as real processes
 * (`hru start`) on a private redis-server; the deadlines are written first through the command path with backdated
 * arrests (tests/support/test-clocks.ts: the trigger is fake, the engine's time is real).
 */
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TIMER_QUEUE, loadConfig } from '@hru/infra';
import { referralIdFor } from '@hru/workflows';
import type { RecordedEvent } from '@hru/application';
import { openStore } from '../../services/cli/src/engine.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { engineEnv } from '../support/test-engine.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { intakeBody } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { testClocks } from '../support/test-clocks.js';
import { dataOf, deadlineCommands, iso, send, timeOf } from '../support/deadline-driver.js';

const DEADLINES = 1_000;
const HOUR = 3_600_000;
/** Victims' Code contacts an hour long (both kinds), warning 5 s ahead. */
const clocks = testClocks(HOUR, 5_000);

let redis: PrivateRedis;
let receiver: WebhookReceiver;
let dir: { dir: string; cleanup(): void };
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
  receiver = await startWebhookReceiver();
  dir = tempDir('hru-deadlines-restart-');
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await receiver.close();
  dir.cleanup();
});

/** Polls every 250 ms: some checks read the whole log. */
async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms`);
    await sleep(250);
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `hru start` in a process of its own; resolves once it says it is ready. */
async function startEngineProcess(env: Record<string, string>): Promise<{ child: ChildProcess; exited: ReturnType<typeof finished> }> {
  const child = spawnTs('services/cli/src/main.ts', ['start'], env);
  children.push(child);
  const exited = finished(child);
  let out = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  await eventually(() => out.includes('HRU engine ready'), Boolean, 60_000).catch(async (error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}: the engine did not start\n${(await exited).stderr}`);
  });
  return { child, exited };
}

/**
 * Writes 1,000 referrals, then an arrest on each backdated so that its Victims' Code contact falls due between
 * `firstDueIn` and `firstDueIn` + 60 s from then. Returns each deadline's due time by referral.
 */
async function armDeadlines(env: Record<string, string>, firstDueIn: number): Promise<Map<string, number>> {
  const store = await openStore(loadConfig(env));
  const commands = deadlineCommands(store, clocks);
  const referrals: string[] = [];
  try {
    await pool(DEADLINES, 8, async () => {
      const body = intakeBody();
      const referralId = referralIdFor('niche', body.source.crimeReference);
      await commands.handle(referralId, { name: 'receive-referral', payload: body }, { actor: { kind: 'system', system: 'niche' }, correlationId: 'seed', now: iso(Date.now()) });
      referrals.push(referralId);
    });
    const firstDue = Date.now() + firstDueIn;
    const dueAt = new Map(referrals.map((id, i) => [id, firstDue + Math.floor((i * 60_000) / DEADLINES)]));
    let next = 0;
    await pool(DEADLINES, 8, async () => {
      const id = referrals[next++]!;
      await send(commands, id, 'record-arrest', { at: iso(dueAt.get(id)! - HOUR) });
    });
    expect(Date.now()).toBeLessThan(firstDue - 5_000); // written before the first could warn
    return dueAt;
  } finally {
    await store.close();
  }
}

async function pool(count: number, width: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (started < count) {
        started++;
        await task();
      }
    }),
  );
}

async function timerJobsIn(redisUrl: string): Promise<number> {
  const queue = new Queue(TIMER_QUEUE, { connection: { url: redisUrl } });
  try {
    return (await queue.getJobCounts('delayed')).delayed ?? 0;
  } finally {
    await queue.close();
  }
}

/** Every DeadlineMissed and DeadlineWarned in the log, by referral. */
async function firings(env: Record<string, string>): Promise<{ missed: Map<string, RecordedEvent[]>; warned: Map<string, RecordedEvent[]> }> {
  const store = await openStore(loadConfig(env));
  try {
    const missed = new Map<string, RecordedEvent[]>();
    const warned = new Map<string, RecordedEvent[]>();
    for (const event of await store.readAll()) {
      const into = event.type === 'DeadlineMissed' ? missed : event.type === 'DeadlineWarned' ? warned : undefined;
      if (!into) continue;
      const id = dataOf(event).referralId;
      into.set(id, [...(into.get(id) ?? []), event]);
    }
    return { missed, warned };
  } finally {
    await store.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Each deadline missed exactly once, at or after its due time; every owner paged. Returns lateness in ms. */
async function expectEachMissedOnce(env: Record<string, string>, dueAt: Map<string, number>, label: string): Promise<void> {
  const { missed, warned } = await firings(env);
  const lateness: number[] = [];
  let early = 0;
  for (const [id, due] of dueAt) {
    const mine = missed.get(id) ?? [];
    expect(mine.length, `${id}: DeadlineMissed count`).toBe(1);
    const late = timeOf(mine[0]!) - due;
    if (late < 0) early++;
    lateness.push(late);
    // A warning is never recorded twice (one may be skipped: a deadline already due when its engine came back).
    expect((warned.get(id) ?? []).length).toBeLessThanOrEqual(1);
  }
  expect(early).toBe(0);
  lateness.sort((a, b) => a - b);
  console.log(`${label}: ${dueAt.size} deadlines missed once each; lateness p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms`);
  // Paged: one webhook per deadline's alert at least (delivery is at least once).
  const paged = new Set(receiver.received.filter((r) => r.body.kind === 'raised').map((r) => r.body.referralId));
  expect([...dueAt.keys()].filter((id) => !paged.has(id))).toEqual([]);
}

describe('1,000 armed deadlines', () => {
  it('kill -9 of the engine and a restart: each is missed exactly once, never before its time', async () => {
    const env = engineEnv(dir.dir, redis.url, receiver.url);
    const dueAt = await armDeadlines(env, 40_000);
    const first = await startEngineProcess(env);
    // Armed: a due and a warning job per deadline waiting in Redis.
    await until(async () => (await timerJobsIn(redis.url)) >= 2 * DEADLINES, 30_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startEngineProcess(env);
    const lastDue = Math.max(...dueAt.values());
    await until(async () => (await firings(env)).missed.size === DEADLINES, lastDue - Date.now() + 60_000);
    await until(() => new Set(receiver.received.map((r) => r.body.referralId)).size >= DEADLINES, 30_000);
    await sleep(2_000); // a second firing of any, had there been one, would be in the log by now
    second.child.kill('SIGTERM');
    await second.exited;
    await expectEachMissedOnce(env, dueAt, 'kill -9 and restart');
  }, 240_000);

  it('kill -9 of the engine, Redis restarted empty before the restart and again while they fall due: each is missed exactly once', async () => {
    const env = engineEnv(dir.dir, redis.url, receiver.url);
    const dueAt = await armDeadlines(env, 40_000);
    const first = await startEngineProcess(env);
    await until(async () => (await timerJobsIn(redis.url)) >= 2 * DEADLINES, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    await redis.restart(); // every job gone: only the engine's read model knows them now
    expect(await timerJobsIn(redis.url)).toBe(0);

    const second = await startEngineProcess(env);
    const firstDue = Math.min(...dueAt.values());
    const lastDue = Math.max(...dueAt.values());
    // Again, a third of the way through the deadlines falling due.
    await sleep(Math.max(0, firstDue + 20_000 - Date.now()));
    const before = (await firings(env)).missed.size;
    await redis.restart();
    await until(async () => (await firings(env)).missed.size === DEADLINES, lastDue - Date.now() + 60_000);
    await until(() => new Set(receiver.received.map((r) => r.body.referralId)).size >= DEADLINES, 60_000);
    await sleep(2_000);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(DEADLINES);
    await expectEachMissedOnce(env, dueAt, 'kill -9 and restart, Redis restarted twice');
  }, 300_000);
});

/**
 * Statutory clocks end to end, with real Redis (a private redis-server for this file) and the real engine: each clock
 * warns, falls due and is missed once, with an alert to its owner delivered by webhook; a clock met in time stays
 * silent; a backdated clock already past is missed at once; a corrected trigger moves its clock and the old job is
 * ignored. The "fake clock" is the trigger: commands are sent with triggers backdated so that deadlines fall due
 * seconds from now, by a command handler of the test's own whose clocks have fixed lengths; the engine's time is real.
 */
import type { ReferralCommandHandler, RecordedEvent } from '@hru/application';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TIMER_QUEUE } from '@hru/infra';
import { openTimers } from '@hru/projections';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { engineEnv, startTestEngine, type TestEngine } from '../support/test-engine.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';
import { testClocks } from '../support/test-clocks.js';
import { dataOf, deadlineCommands, handMadeDeadline, iso, ofType, send, timeOf } from '../support/deadline-driver.js';

const HOUR = 3_600_000;
/** Every clock an hour long, warning 3 s ahead; Victims' Code contacts two hours, so a step's contact stays quiet. */
const clocks = testClocks(HOUR, 3_000, { victim_contact_enhanced: { lengthMs: 2 * HOUR }, victim_contact_standard: { lengthMs: 2 * HOUR } });
/** How far ahead the clocks under test fall due: time enough for the command, projection and arming. */
const DUE_IN = 10_000;

let redis: PrivateRedis;
let receiver: WebhookReceiver;
let dir: { dir: string; cleanup(): void };
let e: TestEngine;
let commands: ReferralCommandHandler;

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  // Each test starts from an empty Redis: no job of one test reaches another's engine.
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
  receiver = await startWebhookReceiver();
  dir = tempDir('hru-deadlines-');
  e = await startTestEngine(engineEnv(dir.dir, redis.url, receiver.url));
  commands = deadlineCommands(e.engine.store, clocks);
});
afterEach(async () => {
  await e?.stop();
  await receiver.close();
  dir.cleanup();
});

const until = (check: () => Promise<boolean> | boolean, timeoutMs = 30_000) => eventually(check, Boolean, timeoutMs);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const history = (referralId: string): Promise<RecordedEvent[]> => e.engine.store.readStream(referralId);

/** A trigger `lengthMs` before the moment the clock should fall due. */
const triggerFor = (dueAt: number, lengthMs = HOUR) => iso(dueAt - lengthMs);

interface Started {
  kind: string;
  referralId: string;
  owner: string;
  /** The measure's own step a missed clock records, where the kind has one. */
  clockStep?: { type: string; step: string };
  /** An order's end expires the order: no failure, no alert. */
  expires?: boolean;
}

/** Starts one clock of each kind on a referral of its own (received first), all due `DUE_IN` from then. */
async function startEachClock(): Promise<{ started: Started[]; dueAt: number }> {
  const referrals: string[] = [];
  for (let i = 0; i < 8; i++) referrals.push((await e.intake()).referralId);
  const dueAt = Date.now() + DUE_IN;
  const T = triggerFor(dueAt);
  const ref = async () => referrals.shift()!;
  const started: Started[] = [];

  const spo = await ref();
  // Granted and served at the trigger: the Victims' Code contact the grant opens falls due an hour after.
  await send(commands, spo, 'record-spo', { at: T, step: { step: 'granted', order: 'full', endsOn: null } });
  await send(commands, spo, 'record-spo', { measureId: 'm1', at: T, step: { step: 'served' } });
  started.push({ kind: 'spo_notification', referralId: spo, owner: 'officer', clockStep: { type: 'SpoStepRecorded', step: 'notification_missed' } });

  const dvpo = await ref();
  await send(commands, dvpo, 'record-dvpo', { at: T, step: { step: 'notice_issued', authorisedBy: 'superintendent' } });
  started.push({ kind: 'dvpo_hearing', referralId: dvpo, owner: 'officer', clockStep: { type: 'DvpoStepRecorded', step: 'hearing_missed' } });

  const bail = await ref();
  await send(commands, bail, 'record-bail', { at: T, step: { step: 'granted', withConditions: true } });
  started.push({ kind: 'bail_expiry', referralId: bail, owner: 'officer', clockStep: { type: 'BailStepRecorded', step: 'lapsed' } });

  const mappa = await ref();
  await send(commands, mappa, 'record-mappa', { at: iso(Date.parse(T) - 60_000), step: { step: 'referred', category: 1, level: 2 } });
  await send(commands, mappa, 'record-mappa', { measureId: 'm1', at: T, step: { step: 'accepted' } });
  started.push({ kind: 'mappa_review', referralId: mappa, owner: 'probation' });

  const disclosure = await ref();
  await send(commands, disclosure, 'record-disclosure-scheme', { at: T, step: { step: 'applied', route: 'right_to_ask' } });
  started.push({ kind: 'disclosure_decision', referralId: disclosure, owner: 'officer' });

  const contact = await ref();
  await send(commands, contact, 'record-arrest', { at: triggerFor(dueAt, 2 * HOUR) });
  started.push({ kind: 'victim_contact', referralId: contact, owner: 'officer' });

  // A plan review runs from the command's own time, and an order's end is a date: neither can be backdated by a
  // trigger, so their DeadlineSet is written as the clock rules would write it.
  for (const [kind, owner] of [
    ['plan_review', 'supervisor'],
    ['order_end', 'officer'],
  ] as const) {
    const id = await ref();
    await e.engine.store.appendToStream(id, [handMadeDeadline({ referralId: id, deadlineId: 'd1', kind, owner, triggerAt: T, dueAt: iso(dueAt), warnAt: iso(dueAt - 3_000) })]);
    started.push({ kind, referralId: id, owner, ...(kind === 'order_end' ? { expires: true } : {}) });
  }
  return { started, dueAt };
}

/** The deadline of `kind` on a referral's stream (each test referral has one clock of interest). */
function clockOf(events: RecordedEvent[], kind: string) {
  const set = ofType(events, 'DeadlineSet').find((x) => dataOf(x).kind === kind)!;
  const id = dataOf(set).deadlineId;
  const mine = (type: string) => ofType(events, type).filter((x) => dataOf(x).deadlineId === id);
  return { set, id, warned: mine('DeadlineWarned'), missed: mine('DeadlineMissed'), closed: mine('DeadlineClosed') };
}

describe('each clock', () => {
  it('warns ahead, falls due and is missed once, with an alert to its owner delivered by webhook; an order’s end expires it', async () => {
    const { started, dueAt } = await startEachClock();
    expect(Date.now()).toBeLessThan(dueAt - 3_000); // every clock was armed before it was due to warn

    await until(async () => {
      for (const s of started) {
        const c = clockOf(await history(s.referralId), s.kind);
        if ((s.expires ? c.closed : c.missed).length === 0) return false;
      }
      return true;
    }, 45_000);
    await sleep(1_500); // a second firing, had there been one, would have been recorded by now

    for (const s of started) {
      const events = await history(s.referralId);
      const c = clockOf(events, s.kind);
      expect(dataOf(c.set), s.kind).toMatchObject({ owner: s.owner, dueAt: iso(dueAt), warnAt: iso(dueAt - 3_000), version: 1 });
      // Warned once, at or after its warning time and before its due time was reached.
      expect(c.warned, s.kind).toHaveLength(1);
      expect(timeOf(c.warned[0]!), s.kind).toBeGreaterThanOrEqual(dueAt - 3_000);
      expect(timeOf(c.warned[0]!), s.kind).toBeLessThan(dueAt);
      if (s.expires) {
        expect(c.missed, s.kind).toEqual([]);
        expect(c.closed.map((x) => dataOf(x).outcome)).toEqual(['expired']);
        expect(timeOf(c.closed[0]!)).toBeGreaterThanOrEqual(dueAt);
        expect(ofType(events, 'UrgentActionRaised'), s.kind).toEqual([]);
        continue;
      }
      // Missed once, never before its time; its measure takes the clock's step; its owner is paged.
      expect(c.missed, s.kind).toHaveLength(1);
      expect(timeOf(c.missed[0]!), s.kind).toBeGreaterThanOrEqual(dueAt);
      expect(dataOf(c.missed[0]!), s.kind).toMatchObject({ version: 1, dueAt: iso(dueAt) });
      if (s.clockStep) {
        expect(ofType(events, s.clockStep.type).map((x) => dataOf<{ step: { step: string } }>(x).step.step), s.kind).toContain(s.clockStep.step);
      }
      const raised = ofType(events, 'UrgentActionRaised').filter((x) => dataOf<{ raisedBy: string }>(x).raisedBy === 'deadline');
      expect(raised.map((x) => dataOf<{ addressedTo: string; rules: string[] }>(x)), s.kind).toEqual([expect.objectContaining({ addressedTo: s.owner, rules: [s.kind] })]);
      const alertId = dataOf<{ alertId: string }>(raised[0]!).alertId;
      await receiver.waitFor((r) => r.some((x) => x.body.alertId === alertId && x.body.kind === 'raised'), 20_000);
      // The webhook names the owner and the clock, never the words of the reason.
      const hook = receiver.received.find((x) => x.body.alertId === alertId && x.body.kind === 'raised')!;
      expect(hook.body, s.kind).toMatchObject({ addressedTo: s.owner, reason: { category: 'deadline', rules: [s.kind] } });
      expect(hook.raw, s.kind).not.toContain('has not been met');
    }
    // Every timer of these clocks is closed: nothing is left to re-arm (the Victims' Code contacts a grant opened
    // are still running).
    const underTest = new Set<string>();
    for (const s of started) underTest.add(`${s.referralId}/${clockOf(await history(s.referralId), s.kind).id}`);
    const left = openTimers(e.engine.readModels!, started.map((s) => s.referralId)).filter((t) => t.type !== 'alert-escalation' && underTest.has(`${t.referralId}/${t.deadlineId}`));
    expect(left).toEqual([]);
  }, 90_000);
});

describe('a clock met in time', () => {
  it('never fires: no warning, no miss, no alert, no timer left open', async () => {
    const dueAt = Date.now() + DUE_IN;
    const { referralId } = await e.intake();
    await send(commands, referralId, 'record-disclosure-scheme', { at: triggerFor(dueAt), step: { step: 'applied', route: 'right_to_know' } });
    await until(() => openTimers(e.engine.readModels!, [referralId]).length === 2);
    await send(commands, referralId, 'record-disclosure-scheme', { measureId: 'm1', at: iso(Date.now()), step: { step: 'not_disclosed' } });
    await until(() => openTimers(e.engine.readModels!, [referralId]).length === 0);
    await sleep(Math.max(0, dueAt - Date.now()) + 2_500);
    const events = await history(referralId);
    const c = clockOf(events, 'disclosure_decision');
    expect(c.closed.map((x) => dataOf(x).outcome)).toEqual(['met']);
    expect([...c.warned, ...c.missed]).toEqual([]);
    expect(ofType(events, 'UrgentActionRaised')).toEqual([]);
    expect(receiver.received.filter((r) => r.body.referralId === referralId)).toEqual([]);
    // The jobs did fire (they were armed in Redis) and recorded nothing: the command ignores a clock met.
    const queue = new Queue(TIMER_QUEUE, { connection: { url: redis.url } });
    try {
      const job = await queue.getJob(`deadline-due-${referralId}-${c.id}-v1`);
      expect(await job?.getState()).toBe('completed');
      expect(job?.returnvalue).toEqual({ events: [] });
    } finally {
      await queue.close();
    }
  }, 60_000);
});

describe('a backdated clock already past', () => {
  it('is missed at once, in the command that set it, and its owner is paged; it never fires again', async () => {
    const { referralId } = await e.intake();
    const result = await send(commands, referralId, 'record-arrest', { at: iso(Date.now() - 3 * HOUR) });
    expect(result.events.map((x) => x.type)).toEqual(['SuspectArrested', 'DeadlineSet', 'DeadlineMissed', 'UrgentActionRaised']);
    const alertId = (result.events[3]!.data as { alertId: string }).alertId;
    await receiver.waitFor((r) => r.some((x) => x.body.alertId === alertId), 20_000);
    await sleep(2_000);
    const events = await history(referralId);
    expect(ofType(events, 'DeadlineMissed')).toHaveLength(1);
    expect(ofType(events, 'DeadlineWarned')).toEqual([]);
    expect(openTimers(e.engine.readModels!, [referralId]).filter((t) => t.type !== 'alert-escalation')).toEqual([]);
  }, 60_000);
});

describe('a corrected trigger', () => {
  it('moves its clock: the old version’s job fires and is ignored, the new one is missed at its own time', async () => {
    // The old version warns 3 s before its due time: time enough to move it before that.
    const firstDue = Date.now() + DUE_IN + 2_000;
    const movedDue = firstDue + 8_000;
    const { referralId } = await e.intake();
    await send(commands, referralId, 'record-dvpo', { at: triggerFor(firstDue), step: { step: 'notice_issued', authorisedBy: 'superintendent' } });
    await until(() => openTimers(e.engine.readModels!, [referralId]).length === 2);
    const moved = await send(commands, referralId, 'correct-measure-step', { measureId: 'm1', step: 'notice_issued', at: triggerFor(movedDue), reason: 'service time entered wrongly' });
    expect(moved.events.map((x) => x.type)).toEqual(['MeasureStepCorrected', 'DeadlineSet']);
    expect(moved.events[1]!.data).toMatchObject({ deadlineId: 'd1', version: 2, dueAt: iso(movedDue) });

    const queue = new Queue(TIMER_QUEUE, { connection: { url: redis.url } });
    try {
      // The old version's due job fires at its time and records nothing.
      await until(async () => (await (await queue.getJob(`deadline-due-${referralId}-d1-v1`))?.getState()) === 'completed', 30_000);
      expect((await queue.getJob(`deadline-due-${referralId}-d1-v1`))?.returnvalue).toEqual({ events: [] });
      expect(ofType(await history(referralId), 'DeadlineMissed')).toEqual([]);

      await until(async () => ofType(await history(referralId), 'DeadlineMissed').length > 0, 30_000);
      await sleep(1_500);
      const events = await history(referralId);
      const missed = ofType(events, 'DeadlineMissed');
      expect(missed.map((x) => dataOf(x))).toEqual([{ referralId, deadlineId: 'd1', version: 2, dueAt: iso(movedDue) }]);
      expect(timeOf(missed[0]!)).toBeGreaterThanOrEqual(movedDue);
      // Warned once, for the new version only (the old warning's job fired and was ignored too).
      expect(ofType(events, 'DeadlineWarned').map((x) => dataOf(x).version)).toEqual([2]);
      expect(ofType(events, 'DvpoStepRecorded').map((x) => dataOf<{ step: { step: string } }>(x).step.step)).toEqual(['notice_issued', 'hearing_missed']);
    } finally {
      await queue.close();
    }
  }, 60_000);
});

describe('a timer job that comes up early', () => {
  it('goes back to wait for its due time rather than completing: the deadline still fires, once, at its time', async () => {
    const { referralId } = await e.intake();
    const dueAt = Date.now() + DUE_IN;
    // A job added with a stale delay (its producer's clock ahead): it comes up at once, before the deadline is
    // even set. Completing it would keep its id taken for a day, and the reactor's add of the same id would do nothing.
    const { JobQueues } = await import('@hru/infra');
    const producer = new JobQueues(redis.url);
    const queue = new Queue(TIMER_QUEUE, { connection: { url: redis.url } });
    const jobId = `deadline-due-${referralId}-d1-v1`;
    try {
      await producer.addTimers([{ type: 'deadline-due', referralId, deadlineId: 'd1', version: 1, dueAt: iso(dueAt) }], Date.now() + HOUR);
      await until(async () => (await (await queue.getJob(jobId))?.getState()) === 'delayed', 10_000);
      expect((await queue.getJob(jobId))?.attemptsMade).toBe(0);
      await send(commands, referralId, 'record-dvpo', { at: triggerFor(dueAt), step: { step: 'notice_issued', authorisedBy: 'superintendent' } });
      await until(async () => ofType(await history(referralId), 'DeadlineMissed').length > 0, 30_000);
      await sleep(1_500);
      const missed = ofType(await history(referralId), 'DeadlineMissed');
      expect(missed).toHaveLength(1);
      expect(timeOf(missed[0]!)).toBeGreaterThanOrEqual(dueAt);
      expect(await (await queue.getJob(jobId))?.getState()).toBe('completed');
    } finally {
      await queue.close();
      await producer.close();
    }
  }, 60_000);
});

describe('timer jobs lost without a reconnect', () => {
  it('are re-armed by the interval sweep, which finds Redis holding fewer timer jobs than open timers', async () => {
    const { referralId } = await e.intake();
    const dueAt = Date.now() + 20_000;
    await send(commands, referralId, 'record-dvpo', { at: triggerFor(dueAt), step: { step: 'notice_issued', authorisedBy: 'superintendent' } });
    const queue = new Queue(TIMER_QUEUE, { connection: { url: redis.url } });
    const delayed = async () => (await queue.getJobCounts('delayed')).delayed ?? 0;
    try {
      await until(async () => (await delayed()) === 2, 10_000);
      // Every job gone, the connection never dropped: no `ready`, so only the interval sweep can notice.
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      await client.flushall();
      client.disconnect();
      expect(await delayed()).toBe(0);
      await until(async () => (await delayed()) === 2, 15_000);
      await until(async () => ofType(await history(referralId), 'DeadlineMissed').length > 0, 30_000);
      const events = await history(referralId);
      expect(ofType(events, 'DeadlineWarned')).toHaveLength(1);
      expect(ofType(events, 'DeadlineMissed')).toHaveLength(1);
      expect(timeOf(ofType(events, 'DeadlineMissed')[0]!)).toBeGreaterThanOrEqual(dueAt);
    } finally {
      await queue.close();
    }
  }, 60_000);
});

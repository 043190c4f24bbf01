/**
 * The alerts read model (and outbox of deliveries) and the open-timers read model, given events → then queries,
 * on the real runner; and a rebuild of both leaves the rows the live runner left.
 */
import type { NewEvent } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertDelivered, AlertDeliveryFailed, alertDeliveryStreamFor, deterministicEventId } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import {
  engineProjections,
  getAlert,
  listAlerts,
  openReadModels,
  openTimerCount,
  openTimers,
  openTimersByJobId,
  openTimersPage,
  pendingDeliveries,
  ProjectionRunner,
  alertsPosition,
  rebuildProjections,
  type TimerCursor,
} from '@hru/projections';
import { timerJobId, type Timer } from '@hru/application';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, event, given, received, referralId } from './support/history.js';

const TARGETS = ['https://pager.example/a', 'https://pager.example/b'];
const projections = engineProjections({ webhookTargets: TARGETS });

let dir: { dir: string; cleanup(): void };
let store: SqliteEventStore;
let db: Database.Database;
let runner: ProjectionRunner;

beforeEach(() => {
  dir = tempDir('hru-alerts-rm-');
  store = new SqliteEventStore(join(dir.dir, 'events.sqlite'), { pollIntervalMs: 10 });
  db = openReadModels(dir.dir);
  runner = new ProjectionRunner({ store, db, projections });
  runner.start();
});
afterEach(async () => {
  await runner.stop();
  await store.close();
  db.close();
  dir.cleanup();
});

async function givenEvents(events: readonly NewEvent[]): Promise<void> {
  await appendAll(store, events);
  await runner.waitUntilCaughtUp();
}

function outcome(type: 'AlertDelivered' | 'AlertDeliveryFailed', id: string, target: string, level = 0): NewEvent {
  const alertId = `${id}.ua1`;
  const common = { alertId, referralId: id, kind: level === 0 ? 'raised' : 'escalated', level, channel: 'webhook', target, attempts: 3 } as const;
  const data = type === 'AlertDelivered' ? AlertDelivered.schema.parse({ ...common, httpStatus: 204 }) : AlertDeliveryFailed.schema.parse({ ...common, error: 'receiver answered 500' });
  return {
    type,
    data,
    metadata: {
      eventId: deterministicEventId(type, alertId, common.kind, String(level), target),
      occurredAt: '2026-03-01T10:01:00Z',
      actor: { kind: 'system', system: 'alert-delivery' },
      correlationId: alertId,
      causationId: null,
      schemaVersion: 1,
    },
  };
}

/** appendAll appends to the referral's stream; delivery outcomes live in their own stream per alert. */
async function givenOutcomes(events: readonly NewEvent[]): Promise<void> {
  for (const e of events) await store.appendToStream(alertDeliveryStreamFor((e.data as { alertId: string }).alertId), [e]);
  await runner.waitUntilCaughtUp();
}

const id = referralId(1);
const raisedAt = '2026-03-01T10:00:00Z';
const due = '2026-03-01T10:15:00Z';

describe('alerts read model', () => {
  it('a raised alert is open, with a pending delivery per receiver and an escalation timer to level 1', async () => {
    await givenEvents([received(id, raisedAt), given.urgent(id, 1, raisedAt, due)]);
    expect(listAlerts(db).map((a) => [a.alertId, a.status, a.escalationLevel, a.ackDueAt])).toEqual([[`${id}.ua1`, 'open', 0, due]]);
    expect(pendingDeliveries(db).map((d) => [d.kind, d.level, d.target]).sort()).toEqual(TARGETS.map((t) => ['raised', 0, t]));
    expect(openTimers(db)).toEqual([{ type: 'alert-escalation', referralId: id, alertId: `${id}.ua1`, level: 1, dueAt: due }]);
    expect(alertsPosition(db)).toBeGreaterThan(-1n);
  });

  it('keeps no free-text reason: its category (who raised it, the rules matched) in the rows, the list and the outbox', async () => {
    const byRules = { ...given.urgent(id, 1, raisedAt, due) };
    byRules.data = { ...(byRules.data as object), raisedBy: 'intake_rule', rules: ['dash>=14', 'weapon'], personal: { reason: 'Intake rules matched: dash>=14, weapon' } };
    await givenEvents([received(id, raisedAt), byRules]);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('alerts_items')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('reason');
    expect(listAlerts(db)[0]).toMatchObject({ raisedBy: 'intake_rule', rules: ['dash>=14', 'weapon'] });
    expect(listAlerts(db)[0]).not.toHaveProperty('reason');
    const jobs = pendingDeliveries(db);
    expect(jobs[0]).toMatchObject({ raisedBy: 'intake_rule', rules: ['dash>=14', 'weapon'] });
    const everything = JSON.stringify([db.prepare('SELECT * FROM alerts_items').all(), db.prepare('SELECT * FROM alerts_deliveries').all(), jobs]);
    expect(everything).not.toContain('Intake rules matched');
  });

  it('an outcome settles its delivery only; a failure is kept with its error', async () => {
    await givenEvents([received(id, raisedAt), given.urgent(id, 1, raisedAt, due)]);
    await givenOutcomes([outcome('AlertDelivered', id, TARGETS[0]!), outcome('AlertDeliveryFailed', id, TARGETS[1]!)]);
    expect(pendingDeliveries(db)).toEqual([]);
    const deliveries = getAlert(db, `${id}.ua1`)!.deliveries;
    expect(deliveries.map((d) => [d.target, d.status, d.lastError])).toEqual([
      [TARGETS[0], 'delivered', null],
      [TARGETS[1], 'failed', 'receiver answered 500'],
    ]);
  });

  it('an escalation moves the level, adds deliveries for it and re-arms the timer; the last level arms none', async () => {
    const next = '2026-03-01T10:30:00Z';
    await givenEvents([received(id, raisedAt), given.urgent(id, 1, raisedAt, due), given.escalated(id, 1, due, 1, next)]);
    expect(getAlert(db, `${id}.ua1`)).toMatchObject({ status: 'escalated', escalationLevel: 1, ackDueAt: next });
    expect(pendingDeliveries(db).filter((d) => d.kind === 'escalated').map((d) => d.level)).toEqual([1, 1]);
    expect(openTimers(db).map((t) => [t.type === 'alert-escalation' ? t.level : t.type, t.dueAt])).toEqual([[2, next]]);
    await givenEvents([given.escalated(id, 1, next, 2, null)]);
    expect(openTimers(db)).toEqual([]);
    expect(listAlerts(db, { status: 'open' })).toHaveLength(1); // escalated still counts as not yet acknowledged
  });

  it('acknowledgement records who and when and closes the timer; it leaves the open list', async () => {
    await givenEvents([received(id, raisedAt), given.urgent(id, 1, raisedAt, due), given.acknowledged(id, 1, '2026-03-01T10:05:00Z')]);
    expect(getAlert(db, `${id}.ua1`)).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-03-01T10:05:00Z', acknowledgedBy: 'u-1', ackDueAt: null });
    expect(openTimers(db)).toEqual([]);
    expect(listAlerts(db)).toEqual([]);
    expect(listAlerts(db, { status: 'acknowledged' })).toHaveLength(1);
  });

  it('a history from before due times were recorded escalates at once (timer due when raised)', async () => {
    await givenEvents([received(id, raisedAt), given.urgent(id, 1, raisedAt, null)]);
    expect(openTimers(db).map((t) => t.dueAt)).toEqual([raisedAt]);
  });

  it('a rebuild of both leaves exactly the rows the live runner left', async () => {
    const events: NewEvent[] = [];
    for (let n = 1; n <= 12; n++) {
      const r = referralId(n);
      events.push(received(r, raisedAt), given.urgent(r, 1, raisedAt, due));
      if (n % 3 === 0) events.push(given.acknowledged(r, 1, '2026-03-01T10:05:00Z'));
      if (n % 3 === 1) events.push(given.escalated(r, 1, due, 1, '2026-03-01T10:30:00Z'));
    }
    await givenEvents(events);
    await givenOutcomes([outcome('AlertDelivered', referralId(2), TARGETS[0]!), outcome('AlertDeliveryFailed', referralId(3), TARGETS[1]!)]);
    const dump = () =>
      ['alerts_items', 'alerts_deliveries', 'timers_open'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all());
    const live = dump();
    await runner.rebuild(['alerts', 'timers']);
    expect(dump()).toEqual(live);
    // Split by stream on two threads: the alerts model (delivery outcomes in their own streams) takes one pass.
    await runner.stop();
    await rebuildProjections(store, db, ['alerts', 'timers'], undefined, { threads: 2, known: projections });
    expect(dump()).toEqual(live);
  });
});

/** Deadline events as the clock rules write them (workflows/src/deadlines), at explicit times. */
const deadline = {
  set: (id: string, d: string, version: number, dueAt: string, warnAt: string | null, at = '2026-03-02T09:00:00Z') =>
    event(
      'DeadlineSet',
      { referralId: id, deadlineId: d, kind: 'victim_contact', clock: 'victim_contact_enhanced', measureId: null, owner: 'officer', triggerAt: at, startedBy: null, dueAt, warnAt, version },
      at,
    ),
  warned: (id: string, d: string, version: number, at: string) => event('DeadlineWarned', { referralId: id, deadlineId: d, version }, at),
  missed: (id: string, d: string, version: number, dueAt: string) => event('DeadlineMissed', { referralId: id, deadlineId: d, version, dueAt }, dueAt),
  closed: (id: string, d: string, at: string, outcome: 'met' | 'cancelled' | 'expired' = 'met') =>
    event('DeadlineClosed', { referralId: id, deadlineId: d, outcome, at, late: false }, at),
  disposed: (id: string, at: string) =>
    event('RetentionReviewed', { referralId: id, decision: 'dispose', mopiGroup: 3, nextReviewDue: null, disposedParties: ['v1', 's1'], personal: { reason: 'MoPI review' } }, at),
};

const dueAt = '2026-03-03T23:59:59.999Z';
const warnAt = '2026-03-03T19:59:59.999Z';
const deadlineTimers = (rows: Timer[]) => rows.map((t) => [t.type, t.type === 'alert-escalation' ? t.alertId : `${t.deadlineId}v${t.version}`, t.dueAt]);

describe('open timers of deadlines', () => {
  it('a deadline set opens its warning and its due timer, with the job ids of the one timer table', async () => {
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, warnAt)]);
    const timers = openTimers(db);
    expect(deadlineTimers(timers)).toEqual([
      ['deadline-warning', 'd1v1', warnAt],
      ['deadline-due', 'd1v1', dueAt],
    ]);
    expect(timers.map(timerJobId)).toEqual([`deadline-warn-${id}-d1-v1`, `deadline-due-${id}-d1-v1`]);
  });

  it('a deadline that does not warn opens its due timer only', async () => {
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, null)]);
    expect(deadlineTimers(openTimers(db))).toEqual([['deadline-due', 'd1v1', dueAt]]);
  });

  it('a warning sent closes the warning timer only', async () => {
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, warnAt), deadline.warned(id, 'd1', 1, warnAt)]);
    expect(deadlineTimers(openTimers(db))).toEqual([['deadline-due', 'd1v1', dueAt]]);
  });

  it('a missed deadline closes its timers (a backdated one, missed before it warned, too)', async () => {
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, warnAt), deadline.missed(id, 'd1', 1, dueAt)]);
    expect(openTimers(db)).toEqual([]);
  });

  it('a deadline met closes both its timers and leaves the other deadlines of the case open', async () => {
    await givenEvents([
      received(id, raisedAt),
      deadline.set(id, 'd1', 1, dueAt, warnAt),
      deadline.set(id, 'd2', 1, '2026-03-09T23:59:59.999Z', null),
      deadline.closed(id, 'd1', '2026-03-03T10:00:00Z'),
    ]);
    expect(deadlineTimers(openTimers(db))).toEqual([['deadline-due', 'd2v1', '2026-03-09T23:59:59.999Z']]);
  });

  it('a moved deadline (same id, next version) replaces both timers with the new version’s', async () => {
    const movedDue = '2026-03-04T23:59:59.999Z';
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, warnAt), deadline.set(id, 'd1', 2, movedDue, null)]);
    expect(deadlineTimers(openTimers(db))).toEqual([['deadline-due', 'd1v2', movedDue]]);
    // A warning of the old version that comes late closes nothing of the new one.
    await givenEvents([deadline.warned(id, 'd1', 1, warnAt)]);
    expect(deadlineTimers(openTimers(db))).toEqual([['deadline-due', 'd1v2', movedDue]]);
  });

  it('a missed deadline moved by a corrected trigger opens again under its next version', async () => {
    await givenEvents([received(id, raisedAt), deadline.set(id, 'd1', 1, dueAt, warnAt), deadline.missed(id, 'd1', 1, dueAt), deadline.set(id, 'd1', 2, '2026-03-05T23:59:59.999Z', warnAt)]);
    expect(deadlineTimers(openTimers(db)).map((t) => t[1])).toEqual(['d1v2', 'd1v2']);
  });

  it('disposal purges every timer of the case, deadlines and alerts alike', async () => {
    const other = referralId(2);
    await givenEvents([
      received(id, raisedAt),
      given.urgent(id, 1, raisedAt, due),
      deadline.set(id, 'd1', 1, dueAt, warnAt),
      received(other, raisedAt),
      deadline.set(other, 'd1', 1, dueAt, null),
      deadline.disposed(id, '2026-03-05T10:00:00Z'),
    ]);
    expect(openTimers(db).map((t) => t.referralId)).toEqual([other]);
  });

  it('pages of every open timer, soonest first, cover each once; look-ups by job id and the count agree', async () => {
    const events: NewEvent[] = [];
    for (let n = 1; n <= 23; n++) {
      const r = referralId(n);
      // Due times collide in threes so the cursor has to break ties on the job id.
      const at = `2026-03-${String(10 + Math.floor(n / 3)).padStart(2, '0')}T12:00:00.000Z`;
      events.push(received(r, raisedAt), deadline.set(r, 'd1', 1, at, n % 2 === 0 ? warnAt : null));
    }
    await givenEvents(events);
    const all = openTimers(db);
    expect(all).toHaveLength(23 + 11);
    const paged: Timer[] = [];
    let after: TimerCursor | null = null;
    let pages = 0;
    do {
      const page = openTimersPage(db, after, 5);
      paged.push(...page.timers);
      after = page.next;
      pages++;
    } while (after);
    expect(paged).toEqual(all);
    expect(pages).toBe(7);
    expect(openTimerCount(db)).toBe(34);
    const some = [timerJobId(all[3]!), timerJobId(all[20]!), 'deadline-due-nobody-d1-v1'];
    expect(openTimersByJobId(db, some).map(timerJobId).sort()).toEqual(some.slice(0, 2).sort());
  });

  it('a rebuild leaves exactly the deadline timers the live runner left', async () => {
    const events: NewEvent[] = [];
    for (let n = 1; n <= 9; n++) {
      const r = referralId(n);
      events.push(received(r, raisedAt), deadline.set(r, 'd1', 1, dueAt, warnAt));
      if (n % 3 === 0) events.push(deadline.warned(r, 'd1', 1, warnAt));
      if (n % 3 === 1) events.push(deadline.set(r, 'd1', 2, '2026-03-06T23:59:59.999Z', null));
      if (n % 4 === 0) events.push(deadline.missed(r, 'd1', 1, dueAt));
    }
    await givenEvents(events);
    const dump = () => db.prepare('SELECT * FROM timers_open ORDER BY job_id').all();
    const live = dump();
    // 3, 6, 9 warned: due only; 1, 4, 7 moved: v2's due only (4's v1 missed too late to close it); 8 missed: none.
    expect(live).toHaveLength(10);
    await runner.rebuild(['timers']);
    expect(dump()).toEqual(live);
  });
});

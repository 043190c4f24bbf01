/**
 * The alerts read model (and outbox of deliveries) and the open-timers read model, given events → then queries,
 * on the real runner; and a rebuild of both leaves the rows the live runner left.
 */
import type { NewEvent } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertDelivered, AlertDeliveryFailed, alertDeliveryStreamFor, deterministicEventId } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { engineProjections, getAlert, listAlerts, openReadModels, openTimers, pendingDeliveries, ProjectionRunner, alertsPosition, rebuildProjections } from '@hru/projections';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, given, received, referralId } from './support/history.js';

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

/**
 * Alerts addressed to a role (UrgentActionRaised v4): the alerts read model keeps whom an alert is for and who (or
 * what) raised it, lists by addressee, and hands both to the webhook outbox; alerts from before v4 were all the
 * supervisors'. Given events → then queries, on the real runner with webhook receivers configured.
 */
import type { NewEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import { engineProjections, listAlerts, openReadModels, pendingDeliveries, ProjectionRunner } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, event, given, received, referralId } from './support/history.js';

const TARGET = 'https://pager.example/a';
let dir: { dir: string; cleanup(): void };
let store: SqliteEventStore;
let db: Database.Database;
let runner: ProjectionRunner;

beforeEach(() => {
  dir = tempDir('hru-alerts-addressed-');
  store = new SqliteEventStore(join(dir.dir, 'events.sqlite'), { pollIntervalMs: 10 });
  db = openReadModels(dir.dir);
  runner = new ProjectionRunner({ store, db, projections: engineProjections({ webhookTargets: [TARGET] }) });
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

const [a, b, c] = [1, 2, 3].map(referralId) as [string, string, string];
const at = '2026-03-01T10:00:00Z';

function raised(id: string, raisedBy: 'deadline' | 'breach' | 'person', addressedTo: 'officer' | 'supervisor', rules: string[]): NewEvent {
  return event(
    'UrgentActionRaised',
    { referralId: id, alertId: `${id}.ua1`, raisedBy, addressedTo, rules, ackDueAt: '2026-03-01T10:15:00Z', personal: { reason: 'End of pre-charge bail was due and has not been met' } },
    at,
  );
}

/** An alert as version 3 wrote it: no addressee. */
function raisedV3(id: string): NewEvent {
  const current = given.urgent(id, 1, at, null);
  const { addressedTo: _addressedTo, ...data } = current.data as Record<string, unknown>;
  return { ...current, data, metadata: { ...current.metadata, schemaVersion: 3 } };
}

describe('alerts addressed to a role', () => {
  it('keeps the addressee and the category (raisedBy, rules), lists by addressee, and gives both to the outbox', async () => {
    await givenEvents([
      received(a, at),
      received(b, at),
      received(c, at),
      raised(a, 'deadline', 'officer', ['bail_expiry']),
      raised(b, 'breach', 'supervisor', ['spo_breach']),
      raisedV3(c),
    ]);
    const rows = listAlerts(db).map((r) => [r.referralId, r.raisedBy, r.addressedTo, r.rules]).sort();
    expect(rows).toEqual([
      [a, 'deadline', 'officer', ['bail_expiry']],
      [b, 'breach', 'supervisor', ['spo_breach']],
      [c, 'person', 'supervisor', []], // before v4, every alert was the supervisors'
    ]);
    expect(listAlerts(db, { addressedTo: 'officer' }).map((r) => r.referralId)).toEqual([a]);
    expect(listAlerts(db, { addressedTo: 'supervisor' }).map((r) => r.referralId).sort()).toEqual([b, c]);
    expect(listAlerts(db, { addressedTo: 'probation' })).toEqual([]);
    const jobs = pendingDeliveries(db).map((j) => [j.referralId, j.raisedBy, j.addressedTo, j.rules]).sort();
    expect(jobs).toEqual(rows);
    const everything = JSON.stringify([db.prepare('SELECT * FROM alerts_items').all(), pendingDeliveries(db)]);
    expect(everything).not.toContain('pre-charge bail was due');
  });
});

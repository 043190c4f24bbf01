/**
 * The retention projection's shadow applier (rebuild only) holds each case's row between its events instead of a
 * statement per event, and leaves a details update to `apply`, writing the held row back first. It must leave exactly
 * the rows `apply` leaves event by event: here a case received twice (the second ignored), directed to services out of
 * order and twice to one, closed, reopened, reviewed (retain, then dispose), with details updated in between, and
 * events for a case never received. Compared flushed after every event and once at the end.
 */
import type { NewEvent } from '@hru/application';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { installSchema, retentionProjection } from '@hru/projections';
import { event, given, received, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';

const at = (day: number) => `${new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T10:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

const reviewed = (id: string, day: number, next: string | null) =>
  event(
    'RetentionReviewed',
    { referralId: id, decision: next ? 'retain' : 'dispose', mopiGroup: 2, nextReviewDue: next, disposedParties: next ? [] : ['pty-000000000000000000000001'], personal: { reason: 'reviewed' } },
    at(day),
  );

function history(): NewEvent[] {
  const [a, b, never] = [1, 2, 9].map(referralId) as [string, string, string];
  return [
    received(a, at(0), 'stalking'),
    given.directed(a, at(1), 'probation'),
    given.directed(a, at(2), 'health_pathway'),
    received(a, at(2), 'querulance'),
    event('ReferralDetailsUpdated', { referralId: a, changedFields: ['problemBehaviour', 'indicators'], problemBehaviour: 'sexual_violence', indicators: ['strangulation', 'breach_of_order'], personal: { people: [] } }, at(3)),
    given.directed(a, at(3), 'probation'),
    given.closed(a, at(4)),
    reviewed(a, 5, on(400)),
    given.reopened(a, at(6), referralId(3)),
    given.directed(a, at(7), 'victim_advocate'),
    given.closed(a, at(8)),
    received(b, at(1), 'serial_domestic_abuse'),
    given.closed(b, at(2)),
    reviewed(b, 3, null),
    given.directed(never, at(2), 'probation'),
    given.closed(never, at(3)),
    reviewed(never, 4, null),
  ];
}

const fresh = () => {
  const db = new Database(':memory:');
  installSchema(db, retentionProjection);
  return db;
};
const rowsOf = (db: Database.Database) => db.prepare('SELECT * FROM retention_cases ORDER BY referral_id').all();

describe('the retention shadow applier', () => {
  const events = projected(history());
  const live = fresh();
  for (const e of events) retentionProjection.apply(live, e as never);
  const kept = rowsOf(live);

  it('the history reaches what the held row keeps', () => {
    expect(kept).toMatchObject([
      { referral_id: referralId(1), problem_behaviour: 'sexual_violence', services: '["health_pathway","probation","victim_advocate"]', closed_on: on(8), last_decision: null },
      { referral_id: referralId(2), last_decision: 'dispose', reviewed_on: on(3), closed_on: on(2) },
    ]);
  });

  it('leaves the rows apply leaves, flushed after every event', () => {
    const shadow = fresh();
    const applier = retentionProjection.shadowApplier!(shadow);
    for (const e of events) {
      applier.apply(e as never);
      applier.flush();
    }
    expect(rowsOf(shadow)).toEqual(kept);
  });

  it('leaves the rows apply leaves, flushed once at the end', () => {
    const shadow = fresh();
    const applier = retentionProjection.shadowApplier!(shadow);
    for (const e of events) applier.apply(e as never);
    applier.flush();
    expect(rowsOf(shadow)).toEqual(kept);
  });
});

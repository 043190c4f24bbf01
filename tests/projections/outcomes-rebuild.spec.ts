/**
 * The outcome rates' counts in a rebuild: into an empty shadow the rows alone are loaded and counted once at the end
 * (`recountOutcomes`, one GROUP BY), into a shadow that already holds rows (a parallel rebuild's catch-up) the counts
 * move per referral and batch; both must leave exactly the counts `apply` keeps event by event. The history holds a
 * replaced outcome, a referral whose problem behaviour changes after its crimes, a crime of a referral never received
 * ('unknown'), and every rate's outcome codes.
 */
import type { NewEvent } from '@hru/application';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { installSchema, outcomesProjection } from '@hru/projections';
import { event, given, received, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';
import { catchUpHalfLoaded, loadEmptyShadow } from './support/shadow-paths.js';

const at = (day: number) => `${new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T10:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

function history(): NewEvent[] {
  const [a, b, c] = [1, 2, 3].map(referralId) as [string, string, string];
  return [
    received(a, at(0), 'stalking'),
    given.outcome(a, 'CC/1', '1', on(5)),
    given.outcome(a, 'CC/2', '2', on(5)),
    given.outcome(a, 'CC/1', '16', on(9)),
    received(b, at(1), 'querulance'),
    given.outcome(b, 'CC/3', '3', on(6)),
    event('ReferralDetailsUpdated', { referralId: b, changedFields: ['problemBehaviour'], problemBehaviour: 'stalking', personal: { people: [] } }, at(7)),
    given.outcome(b, 'CC/4', '1', on(6)),
    given.outcome(c, 'CC/5', '16', on(8)),
  ];
}

const fresh = () => {
  const db = new Database(':memory:');
  installSchema(db, outcomesProjection);
  return db;
};
const counts = (db: Database.Database) => db.prepare('SELECT * FROM outcomes_daily ORDER BY outcome_date, problem_behaviour').all();

describe('outcome counts in a rebuild', () => {
  const events = projected(history());
  const live = fresh();
  for (const e of events) outcomesProjection.apply(live, e as never);
  const kept = counts(live);

  it('the history reaches every rate and an unknown referral', () => {
    const rows = kept as { problem_behaviour: string; charged: number; cautioned: number; withdrawn: number }[];
    expect(rows.map((r) => r.problem_behaviour)).toEqual(expect.arrayContaining(['stalking', 'unknown']));
    expect(rows.map((r) => r.problem_behaviour)).not.toContain('querulance');
    for (const rate of ['charged', 'cautioned', 'withdrawn'] as const) expect(rows.some((r) => r[rate] > 0)).toBe(true);
  });

  it('into an empty shadow: the rows alone, counted once at the end, to the same counts', () => {
    const shadow = fresh();
    loadEmptyShadow(outcomesProjection, shadow, events, () => expect(counts(shadow)).toEqual([]));
    expect(counts(shadow)).toEqual(kept);
  });

  it('into a shadow that already holds rows: the counts kept as it goes, to the same counts', () => {
    const shadow = fresh();
    catchUpHalfLoaded(outcomesProjection, shadow, events);
    expect(counts(shadow)).toEqual(kept);
  });
});

/**
 * Issue 20: keeping re-offending's members costs work in proportion to the referrals, however many of them name one
 * suspect. The reverted pre-aggregation worked every member of a suspect out again on each new referral of theirs:
 * a suspect on N referrals cost O(N²) rows, and a rebuild with a prolific suspect crawled. Here the work is counted,
 * not timed: every statement the projection runs and every row it reads back, on a database without the secondary
 * indexes (as a rebuild loads it; rebuild-plans.spec.ts checks no statement scans a table). A suspect on 4,000
 * referrals must cost about twice what 2,000 do, within the same three years (so twice as dense), with crimes
 * recorded up to three weeks before they reach the unit (so out of order), each referral's intervention starting
 * after it arrives, and some completing therapy.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '@hru/application';
import { installSchema, reoffendingProjection, reoffendingStats } from '@hru/projections';
import { given, referralId } from './support/history.js';
import { crime, timeLogged } from './support/perpetrators.js';
import { seeded } from './support/random-history.js';
import { projected } from './support/projected-events.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const dayOf = (n: number) => new Date(START + n * DAY).toISOString().slice(0, 10);
const SPAN_DAYS = 3 * 365;

type Shape = 'in order' | 'cycling';

/**
 * The events of one suspect's `count` referrals, each with its own start: received in order over three years, or
 * (the rebuild benchmark's log, one suspect on every referral) on days that cycle through 700, so each day's crimes
 * arrive in several rounds.
 */
function suspectHistory(count: number, shape: Shape): NewEvent[] {
  const r = seeded(count);
  const out: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    const id = referralId(0x100000 + i);
    const received = shape === 'in order' ? Math.floor((i * SPAN_DAYS) / count) : i % 700;
    out.push(
      crime(id, {
        perpetrator: 'pty-prolific',
        victim: `pty-v${r.int(0, 40)}`,
        recordedOn: dayOf(Math.max(0, received - r.int(0, 21))),
        receivedOn: dayOf(received),
        problemBehaviour: r.pick(['stalking', 'stalking', 'serial_domestic_abuse', 'sexual_violence'] as const),
        breachOfOrder: r.chance(0.1),
      }),
    );
    out.push(given.intervention(id, 1, dayOf(received + r.int(1, 30)), { kind: 'direct_constable_intervention' }));
    if (r.chance(0.1)) out.push(given.intervention(id, 2, dayOf(received + r.int(40, 120)), { kind: 'therapeutic_intervention_completed' }));
    out.push(timeLogged(id, dayOf(received + 2), 'police', 60));
  }
  return out;
}

interface Work {
  statements: number;
  rows: number;
}

/** Counts every execution of every statement `db` prepares from here on, and the rows they hand back. */
function countWork(db: Database.Database): Work {
  const work: Work = { statements: 0, rows: 0 };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const st = prepare(sql) as Database.Statement & Record<string, unknown>;
    const run = st.run.bind(st);
    const get = st.get.bind(st);
    const all = st.all.bind(st);
    const iterate = st.iterate.bind(st);
    st.run = (...args: unknown[]) => {
      work.statements++;
      return run(...args);
    };
    st.get = (...args: unknown[]) => {
      work.statements++;
      const row = get(...args);
      if (row !== undefined) work.rows++;
      return row;
    };
    st.all = (...args: unknown[]) => {
      work.statements++;
      const rows = all(...args);
      work.rows += rows.length;
      return rows;
    };
    st.iterate = function* (...args: unknown[]) {
      work.statements++;
      for (const row of iterate(...args)) {
        work.rows++;
        yield row;
      }
    } as typeof st.iterate;
    return st;
  }) as typeof db.prepare;
  return work;
}

function workOf(count: number, shape: Shape): Work & { db: Database.Database } {
  const db = new Database(':memory:');
  installSchema(db, reoffendingProjection, { withIndexes: false });
  const work = countWork(db);
  const events = projected(suspectHistory(count, shape));
  db.transaction(() => {
    for (const event of events) reoffendingProjection.apply(db, event as Parameters<typeof reoffendingProjection.apply>[1]);
  })();
  return { ...work, db };
}

describe('re-offending work per referral', () => {
  it.each(['in order', 'cycling'] as const)('grows linearly with the referrals of one suspect (%s)', (shape) => {
    const small = workOf(2_000, shape);
    const large = workOf(4_000, shape);
    // The suspect really does re-offend over and over: nearly every member has a first re-offence.
    const reoffended = large.db.prepare("SELECT count(*) FROM reoffending_members WHERE cohort = 'start' AND first_id IS NOT NULL").pluck().get() as number;
    expect(reoffended).toBeGreaterThan(3_500);
    // And the figures are the ones asked of the model for the whole span, so the counting ran over real work.
    expect(reoffendingStats(large.db, { from: dayOf(0), to: dayOf(SPAN_DAYS + 60), windowMonths: 12, asOf: dayOf(SPAN_DAYS + 400) }).afterInterventionStart.reoffended).toBe(reoffended);
    const perReferral = { statements: large.statements / 4_000, rows: large.rows / 4_000 };
    console.log(`re-offending work (${shape}): 2,000 referrals ${small.statements} statements, ${small.rows} rows; 4,000: ${large.statements}, ${large.rows}`);
    // Twice the referrals, twice the work (quadratic would be four times), and a small constant per referral.
    expect(large.statements / small.statements).toBeLessThan(2.2);
    expect(large.rows / small.rows).toBeLessThan(2.2);
    expect(perReferral.statements).toBeLessThan(80);
    expect(perReferral.rows).toBeLessThan(40);
    small.db.close();
    large.db.close();
  });
});

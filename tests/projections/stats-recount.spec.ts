/**
 * The statistics' counts worked out afresh (recountStatistics: SQL over the fact tables plus the intervals through
 * the code `apply` uses), which a rebuild into an empty shadow runs once instead of keeping the counts event by event,
 * must be exactly the counts `apply` keeps. The history holds the cases each part of the count turns on: a notice
 * converted and one not in the same case (another measure of the case granted), a step with its detail, clocks ended
 * every way, intervals that close the day they open, reopen, or overlap in behaviour, facts on repeated days, facts of
 * a case never received, and a mid-life change of problem behaviour.
 */
import type { NewEvent } from '@hru/application';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { installSchema, recountStatistics, statsProjection } from '@hru/projections';
import { deadline, measure } from './support/deadline-history.js';
import { event, given, received, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';
import { recordPrepared } from './support/prepared-sql.js';
import { catchUpHalfLoaded, loadEmptyShadow } from './support/shadow-paths.js';

const at = (day: number, hour = 10) => `${new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

function history(): NewEvent[] {
  const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(referralId) as [string, string, string, string, string];
  return [
    received(a, at(0), 'stalking'),
    measure.dvpo(a, 'm1', at(1), { step: 'notice_issued', authorisedBy: 'superintendent' }),
    measure.dvpo(a, 'm2', at(2), { step: 'notice_issued', authorisedBy: 'superintendent' }),
    measure.dvpo(a, 'm1', at(3), { step: 'order_granted', days: 28 }),
    measure.bail(a, 'm3', at(3), { step: 'granted', withConditions: true }),
    measure.bail(a, 'm3', at(9), { step: 'extended', authority: 'inspector' }),
    measure.mappa(a, 'm4', at(4), { step: 'accepted' }),
    deadline.set(a, 'd1', at(5), at(1)),
    deadline.closed(a, 'd1', 'cancelled', at(2)),
    deadline.set(a, 'd2', at(6), at(1)),
    deadline.closed(a, 'd2', 'expired', at(6)),
    deadline.set(a, 'd3', at(7), at(1)),
    deadline.missed(a, 'd3', at(7), at(7)),
    deadline.closed(a, 'd3', 'met', at(8), true),
    deadline.set(a, 'd4', at(9), at(1)),
    given.plan(a, at(5), ['health_pathway_consultation']),
    given.directed(a, at(5), 'health_pathway'),
    given.directed(a, at(8), 'health_pathway'),
    given.closed(a, at(20)),

    received(b, at(2), 'serial_domestic_abuse'),
    given.closed(b, at(2, 18)),
    given.reopened(b, at(6), c),
    given.intervention(b, 1, on(7), { kind: 'victim_advocate_contact', outcome: 'engaged' }),
    given.intervention(b, 2, on(7), { kind: 'tactical_review' }),
    given.intervention(b, 3, on(9), { kind: 'investigative_review' }),
    given.closed(b, at(12)),
    given.reopened(b, at(15), c),
    event('ReferralDetailsUpdated', { referralId: b, changedFields: ['problemBehaviour'], problemBehaviour: 'stalking', personal: { people: [] } }, at(16)),
    measure.mappa(b, 'm5', at(17), { step: 'accepted' }),

    given.intervention(c, 1, on(3), { kind: 'direct_constable_intervention' }),
    given.directed(c, at(4), 'health_pathway'),

    received(d, at(3), 'querulance'),
    received(d, at(1), 'sexual_violence'),
    given.intervention(d, 1, on(4), { kind: 'spo_advised' }),
    given.intervention(d, 2, on(5), { kind: 'therapeutic_intervention_started' }),
    given.intervention(d, 3, on(5), { kind: 'da_disclosure_to_probation' }),

    received(e, at(10), 'stalking'),
    given.plan(e, at(11), ['health_pathway_consultation']),
    given.reopened(e, at(12), d),
    given.closed(e, at(30)),
  ];
}

const statsTables = ['stats_day_counts', 'stats_first_days', 'stats_open_segments'] as const;

function counts(db: Database.Database): Record<string, unknown[]> {
  const columns = (t: string) => (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).join(', ');
  return Object.fromEntries(statsTables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${columns(t)}`).all()]));
}

function fresh(): Database.Database {
  const db = new Database(':memory:');
  installSchema(db, statsProjection);
  return db;
}

describe('statistics counted afresh', () => {
  const events = projected(history());
  const live = fresh();
  for (const e of events) statsProjection.apply(live, e as never);
  const kept = counts(live);

  it('the history reaches every part of the count', () => {
    const day = kept.stats_day_counts as { counter: string; on_date: string; n: number }[];
    const counter = (name: string) => day.filter((r) => r.counter === name);
    expect(counter('dvpo:notice_converted')).toEqual([{ counter: 'dvpo:notice_converted', on_date: on(1), n: 1 }]);
    expect(counter('step:dvpo:notice_issued').reduce((s, r) => s + r.n, 0)).toBe(2);
    expect(counter('step:bail:extended:inspector')).toHaveLength(1);
    expect(day.filter((r) => r.counter.startsWith('deadline:')).map((r) => r.counter).sort()).toEqual(['deadline:victim_contact:met:1:1', 'deadline:victim_contact:open:0:0']);
    expect(counter('open').length).toBeGreaterThan(2);
    expect(day.some((r) => r.counter === 'open:stalking' && r.n < 0)).toBe(true);
    expect((kept.stats_first_days as { prev_on: string }[]).some((r) => r.prev_on !== '')).toBe(true);
    expect((kept.stats_open_segments as { counter: string }[]).map((r) => r.counter)).toEqual(expect.arrayContaining(['fact:health_involvement', 'step:mappa:accepted']));
  });

  it('recountStatistics leaves exactly the counts apply kept event by event', () => {
    recountStatistics(live);
    expect(counts(live)).toEqual(kept);
  });

  it('reads the facts without sorting them: every statement of the recount over stats_facts follows its key', () => {
    // A rebuild's recount reads every fact once; a sort of them (a temporary B-tree) is what it was rid of.
    const db = fresh();
    for (const e of events) statsProjection.apply(db, e as never);
    const prepared = recordPrepared(db);
    recountStatistics(db);
    prepared.stop();
    const overFacts = [...prepared.sql].filter((sql) => /\bFROM stats_facts\b/.test(sql));
    expect(overFacts.length).toBeGreaterThan(0);
    const sorts = overFacts.flatMap((sql) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.match(/\?/g) ?? []).map(() => null)) as { detail: string }[])
        .filter((row) => /TEMP B-TREE/.test(row.detail))
        .map((row) => `${row.detail} in: ${sql.replace(/\s+/g, ' ').trim()}`),
    );
    expect(sorts).toEqual([]);
    db.close();
  });

  it('a rebuild into an empty shadow loads the facts alone and counts them once at the end, to the same counts', () => {
    const shadow = fresh();
    // Nothing counted before the end of the load.
    loadEmptyShadow(statsProjection, shadow, events, () => expect(Object.values(counts(shadow)).flat()).toEqual([]));
    expect(counts(shadow)).toEqual(kept);
  });

  it('a shadow that already holds rows keeps the counts as it goes (a parallel rebuild catching up)', () => {
    const shadow = fresh();
    catchUpHalfLoaded(statsProjection, shadow, events);
    expect(counts(shadow)).toEqual(kept);
  });
});

/**
 * Issue 20: the ranking is never rescored in full on a request. A score stays the same from its day until its
 * `changes_on` (so a new day rescores only the people whose day has come), and the scorer, past its in-request limit,
 * scores in slices while serving the previous day's ranking (or, with none yet, saying so), ending with the rows a
 * full rescore gives.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyLinkStreamFor } from '@hru/events';
import { listPerpetrators, RankingScorer, rescore, rfgConfigFrom, scoreChangesOn, scorePerpetrator, type Incident } from '@hru/projections';
import { startReadModels, type ReadModels } from '../projections/support/read-models.js';
import { incident, linked, pty, ref } from './support.js';

const config = rfgConfigFrom(undefined);
const DAY = 86_400_000;
const dayAfter = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

describe('when a score changes by the day alone', () => {
  it('changes nothing before its changes_on day', () => {
    const incidentArb = fc.record({
      offset: fc.integer({ min: -900, max: 30 }),
      victim: fc.integer({ min: 1, max: 4 }),
      behaviour: fc.constantFrom('stalking', 'querulance', 'sexual_violence') as fc.Arbitrary<Incident['problemBehaviour']>,
    });
    fc.assert(
      fc.property(fc.array(incidentArb, { minLength: 1, maxLength: 6 }), (facts) => {
        const asOf = '2026-06-01';
        const incidents: Incident[] = facts.map((f, i) => ({
          referralId: ref(i + 1),
          on: dayAfter(asOf, f.offset),
          problemBehaviour: f.behaviour,
          offenceCodes: ['8/65'],
          indicators: [],
          victims: [pty(100 + f.victim)],
        }));
        const changesOn = scoreChangesOn(config, incidents, asOf);
        const { explanation: _, asOf: __, ...first } = scorePerpetrator(config, incidents, asOf);
        // Every day up to the change (or 800 days when none comes) scores alike.
        for (let d = 1; d <= 800; d++) {
          const day = dayAfter(asOf, d);
          if (changesOn !== null && day >= changesOn) break;
          const { explanation: _e, asOf: _a, ...then } = scorePerpetrator(config, incidents, day);
          expect(then, `day ${day}, changes on ${changesOn}`).toEqual(first);
        }
        if (changesOn !== null) expect(changesOn > asOf).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('ranking scorer', () => {
  let rm: ReadModels;
  const today = '2026-03-15';
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([
      incident(ref(1), { suspects: [pty(1)], victims: [pty(101)], on: '2026-02-13' }),
      incident(ref(2), { suspects: [pty(1)], victims: [pty(102)], on: '2026-03-01', indicators: ['strangulation'] }),
      incident(ref(3), { suspects: [pty(2)], victims: [pty(103)], on: '2025-09-16' }),
      incident(ref(4), { suspects: [pty(3)], victims: [pty(101)], on: '2025-12-01', problemBehaviour: 'querulance' }),
      incident(ref(5), { suspects: [pty(4)], victims: [pty(104)], on: '2026-03-14' }),
    ]);
    await rm.store.appendToStream(partyLinkStreamFor(pty(2), pty(3)), [linked(pty(2), pty(3), '2026-03-02T10:00:00Z')]);
    await rm.runner.waitUntilCaughtUp();
  });
  afterAll(() => rm.close());

  /** Slices run only when the spec says so, counted. */
  function handSlices() {
    const queue: (() => void)[] = [];
    return {
      defer: (run: () => void) => void queue.push(run),
      runAll(): number {
        let slices = 0;
        while (queue.length > 0) (queue.shift()!(), slices++);
        return slices;
      },
    };
  }

  const ranking = () => listPerpetrators(rm.db, { limit: 100 }).rows;
  /** What a full rescore of the same facts gives for `day`, read from the same database and then put back. */
  function fullRescoreOf(day: string) {
    const before = rm.db.prepare('SELECT * FROM perpetrators_scores').all();
    const meta = rm.db.prepare('SELECT * FROM perpetrators_score_meta').all();
    rescore(rm.db, config, day, { full: true });
    const rows = ranking();
    rm.db.transaction(() => {
      rm.db.exec('DELETE FROM perpetrators_scores; DELETE FROM perpetrators_score_meta');
      for (const row of before as Record<string, unknown>[]) rm.db.prepare(`INSERT INTO perpetrators_scores VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...Object.values(row));
      for (const row of meta as Record<string, unknown>[]) rm.db.prepare('INSERT INTO perpetrators_score_meta VALUES (?, ?, ?)').run(...Object.values(row));
    })();
    return rows;
  }

  it('scores everyone in slices when there is no ranking yet, saying there is none until done', () => {
    rm.db.exec('DELETE FROM perpetrators_score_meta');
    const slices = handSlices();
    const scorer = new RankingScorer(rm.db, config, { syncLimit: 1, slice: 1, defer: slices.defer });
    expect(scorer.upToDate(today)).toEqual({ asOf: undefined, pending: true });
    // Asked again meanwhile: the same answer, no second job.
    expect(scorer.upToDate(today)).toEqual({ asOf: undefined, pending: true });
    // The count (one chunk), the linked people, then one suspect id a slice (four), then the empty one that ends it.
    expect(slices.runAll()).toBe(7);
    expect(scorer.upToDate(today)).toEqual({ asOf: today, pending: false });
    expect(ranking()).toEqual(fullRescoreOf(today));
    expect(ranking().map((r) => r.partyId)).toEqual(expect.arrayContaining([pty(1), pty(2), pty(4)]));
    expect(ranking()).toHaveLength(3);
  });

  it('ends scoring everyone without a ranking when the read model is rebuilt meanwhile, and starts again on the next read', () => {
    rm.db.exec('DELETE FROM perpetrators_score_meta');
    const slices = handSlices();
    const scorer = new RankingScorer(rm.db, config, { syncLimit: 1, slice: 1, defer: slices.defer });
    expect(scorer.upToDate(today)).toEqual({ asOf: undefined, pending: true });
    rm.db.prepare('UPDATE checkpoints SET generation = generation + 1 WHERE projection = ?').run('perpetrators');
    expect(slices.runAll()).toBe(1);
    expect(scorer.progress()).toBeUndefined(); // the job ended: nothing in progress
    expect(scorer.upToDate(today)).toEqual({ asOf: undefined, pending: true });
    expect(slices.runAll()).toBe(7);
    expect(scorer.upToDate(today)).toEqual({ asOf: today, pending: false });
    expect(ranking()).toEqual(fullRescoreOf(today));
  });

  it('says how far scoring everyone has come: counted first, then each person scored, and nothing once done', () => {
    rm.db.exec('DELETE FROM perpetrators_score_meta');
    const queue: (() => void)[] = [];
    let clock = 1_000;
    // Slices of two people, the count in chunks of 100 (50 slices' worth): one chunk here.
    const scorer = new RankingScorer(rm.db, config, { syncLimit: 1, slice: 2, defer: (run) => void queue.push(run), clock: () => clock });
    expect(scorer.progress()).toBeUndefined();
    expect(scorer.upToDate(today).asOf).toBeUndefined();
    clock += 40;
    expect(scorer.progress()).toEqual({ scored: 0, people: undefined, elapsedMs: 40 });
    const seen: { scored: number; people: number | undefined }[] = [];
    while (queue.length > 0) {
      queue.shift()!();
      const progress = scorer.progress();
      if (progress) seen.push({ scored: progress.scored, people: progress.people });
    }
    // Four suspect ids, two of them (pty(2), pty(3)) one linked person: three people. Counted, then the linked person,
    // then the ids two a slice in order (pty(1) with pty(2), skipped as linked; pty(3), skipped, with pty(4)), then the
    // empty slice that ends it (no progress after it).
    expect(seen).toEqual([
      { scored: 0, people: 3 },
      { scored: 1, people: 3 },
      { scored: 2, people: 3 },
      { scored: 3, people: 3 },
    ]);
    expect(scorer.progress()).toBeUndefined();
    expect(scorer.upToDate(today)).toEqual({ asOf: today, pending: false });
  });

  it('on a new day rescores only the people whose day has come, serving the day before until then', () => {
    const slices = handSlices();
    const scorer = new RankingScorer(rm.db, config, { syncLimit: 0, slice: 1, defer: slices.defer });
    expect(scorer.upToDate(today)).toEqual({ asOf: today, pending: false });
    const due = (day: string) => (rm.db.prepare('SELECT count(*) AS n FROM perpetrators_scores WHERE changes_on <= ?').get(day) as { n: number }).n;
    // pty(1)'s last incident (03-01) leaves the 30-day band on 04-01, pty(4)'s (03-14) on 04-14; the linked person's
    // (2025-12-01) stays in its band until 2026-05-31.
    const next = '2026-04-14';
    expect(due(next)).toBe(2);
    const before = ranking();
    expect(scorer.upToDate(next)).toEqual({ asOf: today, pending: true });
    expect(ranking()).toEqual(before); // the day before, whole, while the slices run
    expect(slices.runAll()).toBe(3); // one person a slice, then the empty read that ends it
    expect(scorer.upToDate(next)).toEqual({ asOf: next, pending: false });
    expect(ranking()).toEqual(fullRescoreOf(next));
    expect(ranking()).not.toEqual(before);
  });
});

/**
 * How a parallel rebuild shares its projections between threads (rebuild/plan.ts): the cheapest slowest thread by
 * its cost model (declared weights for the applies, the log's mix of event types for the reading), what only this
 * thread can build on the first part, and the projections that split by stream as shares of the streams only on
 * threads of their own.
 */
import { describe, expect, it } from 'vitest';
import { allProjections, caseloadProjection, defineProjection, planParts, statsProjection, threadCost, type AnyProjection, type PlannedPart, type TypeShares } from '@hru/projections';

const weight = (part: PlannedPart) => part.projections.reduce((sum, p) => sum + (p.rebuildWeight ?? 1), 0);
const names = (part: PlannedPart) => part.projections.map((p) => p.name);

/** A projection a worker cannot build (not in `allProjections`), as the alerts and research models are. */
const local = (name: string, splits: boolean): AnyProjection =>
  defineProjection({
    name,
    version: 1,
    eventTypes: ['ReferralReceived'],
    tables: [`${name}_rows`],
    schema: `CREATE TABLE ${name}_rows (id TEXT PRIMARY KEY)`,
    ...(splits ? {} : { splitsByStream: false as const }),
    apply() {},
  });

/** Every projection is loaded over the whole log exactly once, or once in each share of the streams. */
function expectCovered(parts: readonly PlannedPart[], projections: readonly AnyProjection[]) {
  for (const projection of projections) {
    const holding = parts.filter((part) => part.projections.includes(projection));
    if (holding.length === 1) {
      expect(holding[0]!.partition).toBeUndefined();
      continue;
    }
    expect(projection.splitsByStream).not.toBe(false);
    expect(holding.map((part) => part.partition?.index).sort()).toEqual(holding.map((_, i) => i));
    expect(new Set(holding.map((part) => part.partition?.count))).toEqual(new Set([holding.length]));
  }
}

describe('the parallel rebuild plan', () => {
  it('on one thread, one part of every projection in the order given', () => {
    expect(planParts(allProjections, 1)).toEqual([{ projections: [...allProjections] }]);
  });

  /** The bench log's mix: twenty events a referral's life, seven of them interventions. */
  const benchMix = new Map<string, number>([
    ...[
      'ReferralReceived', 'TriageCompleted', 'ScreeningCompleted', 'ReferralAssigned', 'CaseDiscussionHeld', 'ManagementPlanAgreed', 'CaseReviewed',
      'CrimeOutcomeRecorded', 'DirectedToService', 'ReferralClosed', 'UrgentActionRaised', 'UrgentActionAcknowledged', 'UrgentActionResolved',
    ].map((t) => [t, 0.05] as const),
    ['InterventionRecorded', 0.35],
  ]);
  const slowest = (parts: readonly PlannedPart[], mix: TypeShares) =>
    Math.max(...parts.map((part, i) => threadCost(part.projections, mix, { worker: i > 0, streamShares: part.partition?.count })));

  it('on two threads over the bench log, the statistics and re-offending together on this thread: both read its interventions', () => {
    const parts = planParts(allProjections, 2, benchMix);
    expect(parts.map(names)).toEqual([['stats', 'reoffending'], allProjections.map((p) => p.name).filter((n) => n !== 'stats' && n !== 'reoffending')]);
    expectCovered(parts, allProjections);
  });

  it('when reading costs next to nothing, the heavy ones apart, by weight', () => {
    const parts = planParts(allProjections, 2, new Map([['ReferralReceived', 0.001]]));
    const withStats = parts.find((part) => part.projections.includes(statsProjection))!;
    expect(names(withStats)).not.toContain('reoffending');
  });

  it('no other way of sharing out has a faster slowest thread, by the cost model', () => {
    const whole = allProjections.filter((p) => p.splitsByStream === false);
    const units = [...whole.map((p) => [p]), allProjections.filter((p) => p.splitsByStream !== false)];
    for (const mix of [benchMix, new Map([['ReferralReceived', 0.001]]), new Map([['InterventionRecorded', 0.9], ['ReferralReceived', 0.1]])]) {
      const planned = slowest(planParts(allProjections, 2, mix), mix);
      let best = Number.POSITIVE_INFINITY;
      for (let mask = 0; mask < 2 ** units.length; mask++) {
        const sides = [0, 1].map((side) => units.filter((_, u) => ((mask >> u) & 1) === side).flat());
        best = Math.min(best, Math.max(threadCost(sides[0]!, mix, { worker: false }), threadCost(sides[1]!, mix, { worker: true })));
      }
      expect(planned).toBeCloseTo(best, 9);
    }
  });

  it('beyond the ways it tries one by one, the greedy: every projection placed, the slowest thread within a third of the best', () => {
    for (const threads of [2, 3]) {
      const greedy = planParts(allProjections, threads, benchMix, { tryUpTo: 1 });
      expectCovered(greedy, allProjections);
      expect(greedy.length).toBeGreaterThan(1);
      expect(slowest(greedy, benchMix)).toBeLessThan((4 / 3) * slowest(planParts(allProjections, threads, benchMix), benchMix));
    }
  });

  it('is the same plan every time', () => {
    expect(planParts(allProjections, 2)).toEqual(planParts(allProjections, 2));
    expect(planParts(allProjections, 3)).toEqual(planParts(allProjections, 3));
  });

  it('keeps a projection only this thread can build on the first part, whatever its weight', () => {
    const alerts = local('local_alerts', false);
    const parts = planParts([...allProjections, alerts], 2);
    expect(parts[0]!.projections).toContain(alerts);
    expectCovered(parts, [...allProjections, alerts]);
  });

  it('keeps projections that split by stream on the first part, together, when one of them is not for a worker to build', () => {
    const perReferral = local('per_referral', true);
    const projections = [...allProjections.filter((p) => p.splitsByStream !== false), perReferral];
    const parts = planParts(projections, 2);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.projections).toEqual(projections);
    expect(parts[0]!.partition).toBeUndefined();
    const mixed = planParts([...allProjections, perReferral], 2);
    expect(mixed[0]!.projections).toEqual(expect.arrayContaining(projections));
    expectCovered(mixed, [...allProjections, perReferral]);
  });

  it('reads projections that split by stream as shares of the streams on threads of their own when they are most of the work', () => {
    const acrossStreams = local('across_streams', false);
    const parts = planParts([caseloadProjection, acrossStreams], 3);
    expect(parts).toHaveLength(3);
    expectCovered(parts, [caseloadProjection, acrossStreams]);
    expect(names(parts[0]!)).toEqual(['across_streams']);
    expect(parts.slice(1).map((part) => [names(part), part.partition])).toEqual([
      [['caseload'], { index: 0, count: 2 }],
      [['caseload'], { index: 1, count: 2 }],
    ]);
  });

  it('shares only projections that split by stream over every thread when they are all there is', () => {
    const split = allProjections.filter((p) => p.splitsByStream !== false);
    const parts = planParts(split, 2);
    expect(parts.map((part) => part.partition)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    expectCovered(parts, split);
  });

  it('never gives a thread more parts than threads, nor an empty part', () => {
    for (const threads of [1, 2, 3, 4, 8]) {
      const parts = planParts(allProjections, threads);
      expect(parts.length).toBeLessThanOrEqual(threads);
      expect(parts.every((part) => part.projections.length > 0)).toBe(true);
      expectCovered(parts, allProjections);
    }
  });
});

/**
 * How a parallel rebuild shares its projections between threads. A thread reads the log once for all the
 * projections it holds (every event of their types) and applies each; its time is a pass over the log, the reading
 * of those events, the projections' applies and `finish` passes, and for a worker its start. Two things pull against
 * each other: projections that read the same events save a read when together (the statistics and re-offending both
 * read the 350,000 interventions of the bench's 1,000,000-event log), and the heavy ones balance the threads when
 * apart. With the whole-log projections on one thread and the others on the second, that log took 10.0 s on one
 * thread against 5.2 s on the other.
 *
 * So the plan prices each way of sharing out with a cost model (`threadCost`: declared `rebuildWeight`s for the
 * applies, the log's mix of event types for the reading, sampled from its latest events) and takes the cheapest
 * slowest thread, trying every way when there are few (2 threads and the engine's models: 32), else the greedy
 * longest-first. The units are the projections that do not split by stream, one each, and those that do, together;
 * when these alone outweigh a thread's fair share (a rebuild of only them, say), they are read instead as shares of
 * the streams, a thread each, and the others share the other threads.
 */
import type { LogPartition } from '@hru/application';
import { allProjections } from '../fixed-projections.js';
import type { AnyProjection } from '../framework/projection.js';

/** What one thread loads into its own shadow: some projections, over the whole log or one share of its streams. */
export interface PlannedPart {
  projections: AnyProjection[];
  partition?: LogPartition;
}

/**
 * The cost model, in seconds over a 1,000,000-event log (the unit of `rebuildWeight`), measured on the bench's sealed
 * log with tests/bench/rebuild-weights.ts: a pass over the log that keeps nothing, reading and parsing the events a
 * thread keeps, and a worker's start: loading its modules, 1.1 s from the TypeScript sources while this thread reads
 * (the bench, the tests) and about 0.3 s from the build, taken between the two.
 */
export const COST_MODEL = { passSeconds: 0.3, readSecondsPerMillion: 2.6, workerStartSeconds: 0.55 } as const;

/** Each event type's share of the log's events (0 to 1); unknown types count as none. */
export type TypeShares = ReadonlyMap<string, number>;

const weightOf = (projection: AnyProjection) => projection.rebuildWeight ?? 1;
const sum = (projections: readonly AnyProjection[]) => projections.reduce((total, p) => total + weightOf(p), 0);

/** The modelled seconds of a thread holding `projections` (over a share `1 / shares` of the streams). */
export function threadCost(projections: readonly AnyProjection[], shares: TypeShares, options: { worker: boolean; streamShares?: number }): number {
  if (projections.length === 0) return 0;
  const types = new Set(projections.flatMap((p) => p.eventTypes as readonly string[]));
  let read = 0;
  for (const type of types) read += shares.get(type) ?? 0;
  const part = 1 / (options.streamShares ?? 1);
  return (
    COST_MODEL.passSeconds + (COST_MODEL.readSecondsPerMillion * read + sum(projections)) * part + (options.worker ? COST_MODEL.workerStartSeconds : 0)
  );
}

/** Ways of sharing out tried one by one at most; beyond, the greedy (`PlanOptions.tryUpTo`). */
const TRY_UP_TO = 50_000;

export interface PlanOptions {
  /** Ways of sharing out to try one by one at most, beyond which the greedy decides (default 50,000). */
  tryUpTo?: number;
}

/** A thread's projections as the plan fills them in; the first bin is this thread's, the others workers'. */
interface Bin {
  projections: AnyProjection[];
  partition?: LogPartition;
}

/**
 * At most `threads` parts, none empty, the first for this thread (with the projections that are not in
 * `allProjections`, which a worker cannot find by name). `shares`: the log's mix of event types; without it, every
 * type counts alike and only the weights decide.
 */
export function planParts(projections: readonly AnyProjection[], threads: number, shares?: TypeShares, options: PlanOptions = {}): PlannedPart[] {
  const typeShares = shares ?? evenShares(projections);
  const bins: Bin[] = Array.from({ length: Math.max(1, threads) }, () => ({ projections: [] }));
  const whole = projections.filter((p) => p.splitsByStream === false);
  const split = projections.filter((p) => p.splitsByStream !== false);
  // Only this thread can load what a worker cannot find by name: the first bin takes it before anything is shared out.
  const pinnedWhole = whole.filter((p) => !allProjections.includes(p));
  const splitPinned = split.some((p) => !allProjections.includes(p));
  bins[0]!.projections.push(...pinnedWhole, ...(splitPinned ? split : []));

  // The projections that split by stream, as shares of the streams when they alone outweigh a thread's fair share
  // (a rebuild of those alone, say), leaving a thread for the others if there are any.
  const total = sum(projections);
  const splitWeight = sum(split);
  const streamShares =
    split.length === 0 || splitPinned
      ? 1
      : Math.max(1, Math.min(bins.length - (whole.length > 0 ? 1 : 0), Math.ceil(splitWeight / (total / bins.length) - 1e-9)));
  const others = whole.filter((p) => !pinnedWhole.includes(p));
  if (streamShares > 1) {
    // A share's thread reads only its streams, so it holds nothing else: the others share the threads left.
    const shareBins = bins.slice(bins.length - streamShares);
    shareBins.forEach((bin, index) => {
      bin.projections.push(...split);
      bin.partition = { index, count: streamShares };
    });
    assign(bins.slice(0, bins.length - streamShares), others.map((p) => [p]), typeShares, bins, options.tryUpTo ?? TRY_UP_TO);
  } else {
    const units = [...others.map((p) => [p]), ...(split.length > 0 && !splitPinned ? [split] : [])];
    assign(bins, units, typeShares, bins, options.tryUpTo ?? TRY_UP_TO);
  }

  const used = bins.filter((b) => b.projections.length > 0);
  return used.map(({ projections: members, partition }) => ({
    // In the order given: the order a thread applies its projections in does not change their rows.
    projections: projections.filter((p) => members.includes(p)),
    ...(partition ? { partition } : {}),
  }));
}

/** Puts each unit (projections that go together) in one of `candidates`, so that the slowest of `all` is fastest. */
function assign(candidates: readonly Bin[], units: readonly AnyProjection[][], shares: TypeShares, all: readonly Bin[], tryUpTo: number): void {
  if (units.length === 0 || candidates.length === 0) return;
  const slowest = (choice: readonly number[]) => {
    const members = all.map((bin) => [...bin.projections]);
    choice.forEach((c, u) => members[all.indexOf(candidates[c]!)]!.push(...units[u]!));
    return Math.max(...members.map((m, i) => threadCost(m, shares, { worker: i > 0, streamShares: all[i]!.partition?.count })));
  };
  let best: number[];
  if (candidates.length ** units.length <= tryUpTo) {
    // Every way, in a fixed order: the first of the cheapest wins, so a plan does not change from run to run.
    best = units.map(() => 0);
    let bestCost = slowest(best);
    const choice = units.map(() => 0);
    for (;;) {
      let u = 0;
      while (u < choice.length && ++choice[u]! === candidates.length) choice[u++] = 0;
      if (u === choice.length) break;
      const cost = slowest(choice);
      if (cost < bestCost - 1e-9) [best, bestCost] = [[...choice], cost];
    }
  } else {
    // Longest first, each to the thread it leaves fastest (the units not placed yet left out of the costs).
    const order = units.map((_, u) => u).sort((a, b) => sum(units[b]!) - sum(units[a]!));
    best = units.map(() => 0);
    const placed = new Set<number>();
    const costWith = (u: number, c: number) => {
      const members = all.map((bin) => [...bin.projections]);
      for (const v of [...placed, u]) members[all.indexOf(candidates[v === u ? c : best[v]!]!)]!.push(...units[v]!);
      return Math.max(...members.map((m, i) => threadCost(m, shares, { worker: i > 0, streamShares: all[i]!.partition?.count })));
    };
    for (const u of order) {
      let pick = 0;
      for (let c = 1; c < candidates.length; c++) if (costWith(u, c) < costWith(u, pick) - 1e-9) pick = c;
      best[u] = pick;
      placed.add(u);
    }
  }
  best.forEach((c, u) => candidates[c]!.projections.push(...units[u]!));
}

/** Without a sample of the log: every type the projections read, an equal share. */
function evenShares(projections: readonly AnyProjection[]): TypeShares {
  const types = [...new Set(projections.flatMap((p) => p.eventTypes as readonly string[]))];
  return new Map(types.map((t) => [t, 1 / types.length]));
}

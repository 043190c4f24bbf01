/**
 * How a parallel rebuild shares its projections between threads. A thread reads the log once for all the
 * projections it holds and then applies each; its time is its reading plus their applies and their `finish`
 * passes. Those passes are the serial end of the heaviest projections (the statistics' recount, re-offending's
 * members), so two of them on one thread make that thread the rebuild's whole critical path while the other waits:
 * with the whole-log projections on one thread and the others on the second, the bench's 1,000,000-event log took
 * 10.0 s on one thread against 5.2 s on the other, and 8.0 s on both once balanced.
 *
 * The plan is the classic longest-processing-time-first greedy over declared weights (`rebuildWeight`): units in
 * decreasing weight, each to the thread with the least so far. The units are the projections that do not split by
 * stream, one each, and those that do, together. When these alone outweigh a thread's fair share (a rebuild of only
 * them, say), they are read instead as shares of the streams, a thread each, and the others share the other threads.
 */
import type { LogPartition } from '@hru/application';
import { allProjections } from '../all-projections.js';
import type { AnyProjection } from '../framework/projection.js';

/** What one thread loads into its own shadow: some projections, over the whole log or one share of its streams. */
export interface PlannedPart {
  projections: AnyProjection[];
  partition?: LogPartition;
}

const weightOf = (projection: AnyProjection) => projection.rebuildWeight ?? 1;
const sum = (projections: readonly AnyProjection[]) => projections.reduce((total, p) => total + weightOf(p), 0);

interface Bin {
  projections: AnyProjection[];
  partition?: LogPartition;
  load: number;
  /** Holds a projection only this thread has (a worker builds its projections by name from `allProjections`). */
  pinned: boolean;
}

/**
 * At most `threads` parts, none empty, the first for this thread: the one holding projections that are not in
 * `allProjections` (a worker finds its projections there by name, so those stay here), or else the heaviest (a worker
 * also pays for its start).
 */
export function planParts(projections: readonly AnyProjection[], threads: number): PlannedPart[] {
  const bins: Bin[] = Array.from({ length: Math.max(1, threads) }, () => ({ projections: [], load: 0, pinned: false }));
  const place = (bin: Bin, members: readonly AnyProjection[], weight: number) => {
    bin.projections.push(...members);
    bin.load += weight;
  };
  const lightest = (candidates: readonly Bin[]) => candidates.reduce((a, b) => (b.load < a.load ? b : a));

  const whole = projections.filter((p) => p.splitsByStream === false);
  const split = projections.filter((p) => p.splitsByStream !== false);
  // Only this thread can load what a worker cannot find by name: the first bin takes it before anything is shared out.
  const pinned = whole.filter((p) => !allProjections.includes(p));
  if (pinned.length > 0) {
    place(bins[0]!, pinned, sum(pinned));
    bins[0]!.pinned = true;
  }

  // The projections that split by stream, as shares of the streams when they alone outweigh a thread's fair share
  // (a rebuild of those alone, say), leaving a thread for the others if there are any; on this thread, together, when
  // one of them is not for a worker to build.
  const total = sum(projections);
  const splitWeight = sum(split);
  const splitPinned = split.some((p) => !allProjections.includes(p));
  const shares =
    split.length === 0
      ? 0
      : splitPinned
        ? 1
        : Math.max(1, Math.min(bins.length - (whole.length > 0 ? 1 : 0), Math.ceil(splitWeight / (total / bins.length) - 1e-9)));
  if (splitPinned) {
    place(bins[0]!, split, splitWeight);
    bins[0]!.pinned = true;
  }
  const others = whole.filter((p) => !pinned.includes(p));
  if (shares <= 1) {
    // One unit each, heaviest first; among equals, in the order given (a stable sort), so a plan does not change from
    // run to run.
    const units = [...others.map((p) => ({ weight: weightOf(p), members: [p] })), ...(shares === 1 && !splitPinned ? [{ weight: splitWeight, members: split }] : [])];
    units.sort((a, b) => b.weight - a.weight);
    for (const unit of units) place(lightest(bins), unit.members, unit.weight);
  } else {
    // A share's thread reads only its streams, so it holds nothing else: the others share the threads left.
    const wholeBins = bins.slice(0, bins.length - shares);
    for (const p of [...others].sort((a, b) => weightOf(b) - weightOf(a))) place(lightest(wholeBins), [p], weightOf(p));
    bins.slice(bins.length - shares).forEach((bin, index) => {
      place(bin, split, splitWeight / shares);
      bin.partition = { index, count: shares };
    });
  }

  const used = bins.filter((b) => b.projections.length > 0);
  const first = used.find((b) => b.pinned) ?? used.reduce((a, b) => (b.load > a.load ? b : a));
  return [first, ...used.filter((b) => b !== first)].map(({ projections: members, partition }) => ({
    // In the order given: the order a thread applies its projections in does not change their rows.
    projections: projections.filter((p) => members.includes(p)),
    ...(partition ? { partition } : {}),
  }));
}

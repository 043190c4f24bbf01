/**
 * What one referral adds to the statistics' pre-aggregated counts (./aggregates.ts), worked out from its own rows
 * in the fact tables. Every figure of a period is a sum over these, so a year is a sum over at most a few rows per
 * day instead of a count over every fact of the year:
 *
 * - day counts: a counter on a date (a fact, a measure step, a clock by how it ended, a referral first received, an
 *   interval closed) and, for the open caseload, +1 on the day a case opens and -1 on the day it closes, so the
 *   cases open at a date are a prefix sum;
 * - first days: for "distinct cases with a fact in the period", each distinct date of a case's facts of a kind
 *   with the date before it (or ''), so a case counts once, on its first date in the period: the one whose
 *   previous date lies before the period's start;
 * - open segments: for "cases open during the period with the fact by its end", the ranges of period ends over
 *   which the case has the fact and has been opened, each with how late its intervals reach (see `openSegments`).
 *
 * Ids never leave the referral's rows: the counts hold counters, dates and numbers only.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { factKinds } from './schema.js';

/** Later than every ISO date: an interval not closed yet reaches it. */
export const OPEN_END = '~';

export type AggregateTable = 'stats_day_counts' | 'stats_first_days' | 'stats_open_segments';

/** A referral's contribution: how much it adds to each aggregate row, by table and key (`\u0000`-joined). */
export type Contribution = Map<string, number>;

const SEP = '\u0000';
/** Adds `n` to the contribution's row of `table` at `key` (a row that comes to zero is dropped). */
export const addTo = (c: Contribution, table: AggregateTable, key: readonly string[], n = 1) => {
  // Concatenated, not `[table, ...key].join(SEP)`: a recount calls this for every interval of the log.
  let at: string = table;
  for (const part of key) at += SEP + part;
  const sum = (c.get(at) ?? 0) + n;
  if (sum === 0) c.delete(at);
  else c.set(at, sum);
};
export const splitKey = (at: string) => at.split(SEP) as [AggregateTable, ...string[]];

export interface Interval {
  problem_behaviour: string;
  opened_on: string;
  closed_on: string | null;
}
interface Step {
  measure_id: string | null;
  measure_kind: string;
  step: string;
  on_date: string;
  detail: string | null;
}
interface Clock {
  kind: string;
  due_on: string;
  status: string;
  missed: number;
  late: number;
}

/** The figures whose "open during the period" count is kept: the headline's two. */
export const openDuringCounters = { health: 'fact:health_involvement', mappa: 'step:mappa:accepted' } as const;

/** +1 where each merged half-open interval [opened, closed) starts, -1 where it ends: open at D = sum up to D. */
function openDeltas(c: Contribution, counter: string, intervals: readonly Interval[]): void {
  const sorted = [...intervals].sort((a, b) => (a.opened_on < b.opened_on ? -1 : a.opened_on > b.opened_on ? 1 : 0));
  let start: string | null = null;
  let end = '';
  const flush = () => {
    if (start === null) return;
    addTo(c, 'stats_day_counts', [counter, start]);
    if (end !== OPEN_END) addTo(c, 'stats_day_counts', [counter, end], -1);
  };
  for (const i of sorted) {
    const closed = i.closed_on ?? OPEN_END;
    if (closed <= i.opened_on) continue; // closed the day it opened: open at no day's end
    if (start !== null && i.opened_on <= end) {
      if (closed > end) end = closed;
      continue;
    }
    flush();
    start = i.opened_on;
    end = closed;
  }
  flush();
}

/**
 * A case counts for a period [from, to] when it had the fact by `to` (first on `first`) and some interval opened
 * by `to` closes on or after `from` (or is open). With the intervals by opening date o1 < o2 < …, for `to` in
 * [max(ok, first), ok+1) the intervals opened by `to` are the first k, so the case counts exactly when the latest
 * of their closings (`reach`) is on or after `from`. These ranges of `to` do not overlap, so one case counts at most
 * once: counting segments with seg_from <= to < seg_until and reach >= from counts cases.
 */
function openSegments(c: Contribution, counter: string, first: string | undefined, intervals: readonly Interval[]): void {
  if (first === undefined) return;
  const sorted = [...intervals].sort((a, b) => (a.opened_on < b.opened_on ? -1 : a.opened_on > b.opened_on ? 1 : 0));
  let reach = '';
  sorted.forEach((i, k) => {
    const closed = i.closed_on ?? OPEN_END;
    if (closed > reach) reach = closed;
    const from = i.opened_on > first ? i.opened_on : first;
    const until = sorted[k + 1]?.opened_on ?? OPEN_END;
    if (from < until) addTo(c, 'stats_open_segments', [counter, reach, from, until]);
  });
}

const earliest = (dates: Iterable<string>): string | undefined => {
  let min: string | undefined;
  for (const d of dates) if (min === undefined || d < min) min = d;
  return min;
};

export function contributionOf(db: Database.Database, referralId: string): Contribution {
  const c: Contribution = new Map();
  const intervals = statement<[string], Interval>(db, 'SELECT problem_behaviour, opened_on, closed_on FROM stats_open_intervals WHERE referral_id = ?').all(referralId);
  const facts = statement<[string], { kind: string; on_date: string }>(db, 'SELECT kind, on_date FROM stats_facts WHERE referral_id = ?').all(referralId);
  const steps = statement<[string], Step>(db, 'SELECT measure_id, measure_kind, step, on_date, detail FROM stats_measure_steps WHERE referral_id = ?').all(referralId);
  const clocks = statement<[string], Clock>(db, 'SELECT kind, due_on, status, missed, late FROM stats_deadlines WHERE referral_id = ?').all(referralId);

  intervalsContribution(
    c,
    intervals,
    earliest(facts.filter((f) => f.kind === 'health_involvement').map((f) => f.on_date)),
    earliest(steps.filter((s) => s.measure_kind === 'mappa' && s.step === 'accepted').map((s) => s.on_date)),
  );

  // Facts: events by day, and cases by their first day in a period. (recount.ts counts these for every referral at
  // once, the facts in one read of them, the steps' and the clocks' in SQL: keep the two in step.)
  for (const f of facts) addTo(c, 'stats_day_counts', [`fact:${f.kind}`, f.on_date]);
  for (const kind of factKinds) {
    const days = [...new Set(facts.filter((f) => f.kind === kind).map((f) => f.on_date))].sort();
    days.forEach((day, k) => addTo(c, 'stats_first_days', [`cases:${kind}`, day, days[k - 1] ?? '']));
  }

  // Measures' steps; a DVPN counts as converted when its measure has an order granted, whenever.
  const granted = new Set(steps.filter((s) => s.step === 'order_granted' && s.measure_id !== null).map((s) => s.measure_id));
  for (const s of steps) {
    addTo(c, 'stats_day_counts', [`step:${s.measure_kind}:${s.step}`, s.on_date]);
    if (s.detail !== null) addTo(c, 'stats_day_counts', [`step:${s.measure_kind}:${s.step}:${s.detail}`, s.on_date]);
    if (s.measure_kind === 'dvpo' && s.step === 'notice_issued' && s.measure_id !== null && granted.has(s.measure_id)) {
      addTo(c, 'stats_day_counts', ['dvpo:notice_converted', s.on_date]);
    }
  }

  // Clocks by how they ended, on their due date (cancelled and expired ones count nowhere).
  for (const k of clocks) {
    if (k.status === 'cancelled' || k.status === 'expired') continue;
    addTo(c, 'stats_day_counts', [`deadline:${k.kind}:${k.status}:${k.missed}:${k.late}`, k.due_on]);
  }

  return c;
}

/**
 * What a referral's open intervals add (to `c`): the caseload, the trend, and the cases open during a period with
 * their first health involvement (`health`) or accepted MAPPA step (`mappa`) by its end.
 */
export function intervalsContribution(c: Contribution, intervals: readonly Interval[], health: string | undefined, mappa: string | undefined): void {
  const received = earliest(intervals.map((i) => i.opened_on));
  if (received !== undefined) addTo(c, 'stats_day_counts', ['received', received]);
  for (const i of intervals) if (i.closed_on !== null) addTo(c, 'stats_day_counts', ['closed', i.closed_on]);
  openDeltas(c, 'open', intervals);
  for (const pb of new Set(intervals.map((i) => i.problem_behaviour))) openDeltas(c, `open:${pb}`, intervals.filter((i) => i.problem_behaviour === pb));
  openSegments(c, openDuringCounters.health, health, intervals);
  openSegments(c, openDuringCounters.mappa, mappa, intervals);
}

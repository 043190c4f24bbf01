/**
 * The statistics' pre-aggregated counts, kept in step with the fact tables: every change to a referral's rows
 * takes its old contribution (./contributions.ts) out of the counts and puts its new one in. Rows whose count falls
 * to zero are deleted, so the counts are the same whatever order they were reached in.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { contributionOf, splitKey, type AggregateTable, type Contribution } from './contributions.js';

const upserts: Record<AggregateTable, { upsert: string; prune: string }> = {
  stats_day_counts: {
    upsert: 'INSERT INTO stats_day_counts VALUES (?, ?, ?) ON CONFLICT (counter, on_date) DO UPDATE SET n = n + excluded.n RETURNING n',
    prune: 'DELETE FROM stats_day_counts WHERE counter = ? AND on_date = ? AND n = 0',
  },
  stats_first_days: {
    upsert: 'INSERT INTO stats_first_days VALUES (?, ?, ?, ?) ON CONFLICT (counter, on_date, prev_on) DO UPDATE SET n = n + excluded.n RETURNING n',
    prune: 'DELETE FROM stats_first_days WHERE counter = ? AND on_date = ? AND prev_on = ? AND n = 0',
  },
  stats_open_segments: {
    upsert: 'INSERT INTO stats_open_segments VALUES (?, ?, ?, ?, ?) ON CONFLICT (counter, reach, seg_from, seg_until) DO UPDATE SET n = n + excluded.n RETURNING n',
    prune: 'DELETE FROM stats_open_segments WHERE counter = ? AND reach = ? AND seg_from = ? AND seg_until = ? AND n = 0',
  },
};

function addToCounts(db: Database.Database, at: string, n: number): void {
  const [table, ...key] = splitKey(at);
  // The open caseload's rows go negative and back: any change may bring a row to zero, and only then is it pruned
  // (the count the upsert left is returned, so a row that stays non-zero costs one statement, not two).
  const left = statement<unknown[], { n: number }>(db, upserts[table].upsert).get(...key, n);
  if (left?.n === 0) statement(db, upserts[table].prune).run(...key);
}

/** The difference between two contributions, added to the counts (or to `into`, to add to them later). */
function applyDifference(db: Database.Database, before: Contribution, after: Contribution, into?: Contribution): void {
  const move = (at: string, delta: number) => {
    if (delta === 0) return;
    if (into) into.set(at, (into.get(at) ?? 0) + delta);
    else addToCounts(db, at, delta);
  };
  for (const [at, n] of after) move(at, n - (before.get(at) ?? 0));
  for (const [at, n] of before) if (!after.has(at)) move(at, -n);
}

/** Runs `change` on the referral's fact rows and moves the counts by what it changed. */
export function keepingCounts(db: Database.Database, referralId: string, change: () => void): void {
  const before = contributionOf(db, referralId);
  change();
  applyDifference(db, before, contributionOf(db, referralId));
}

/** Referrals a rebuild holds back before it moves their counts (bounded memory; the counts wait only this long). */
const HELD_REFERRALS = 4_000;

/**
 * For a rebuild: each referral's contribution is taken when its first event of a batch comes and compared when
 * the batch is flushed, so the counts move once per batch rather than once per event. The counts are a
 * function of the rows as they stand, so they end exactly where `keepingCounts`, event by event, leaves them.
 */
export function countsHeldBack(db: Database.Database): { before(referralId: string): void; flush(): void } {
  const held = new Map<string, Contribution>();
  const flush = () => {
    // The batch's changes summed first: a day's counter moved by many referrals is written once.
    const moved: Contribution = new Map();
    for (const [id, before] of held) applyDifference(db, before, contributionOf(db, id), moved);
    held.clear();
    for (const [at, n] of moved) if (n !== 0) addToCounts(db, at, n);
  };
  return {
    before(referralId) {
      if (held.has(referralId)) return;
      if (held.size >= HELD_REFERRALS) flush();
      held.set(referralId, contributionOf(db, referralId));
    },
    flush,
  };
}

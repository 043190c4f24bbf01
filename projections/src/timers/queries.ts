/** Reads of the open-timers read model. */
import type Database from 'better-sqlite3';
import type { Timer } from '@hru/application';
import { statement } from '../framework/statements.js';

/** Open timers (of the given referrals, or all), soonest first: each needs its delayed job armed. */
export function openTimers(db: Database.Database, referralIds?: readonly string[]): Timer[] {
  const only = referralIds ? 'WHERE referral_id IN (SELECT value FROM json_each(?))' : '';
  const rows = db
    .prepare(`SELECT timer FROM timers_open ${only} ORDER BY due_at, job_id`)
    .all(...(referralIds ? [JSON.stringify(referralIds)] : [])) as { timer: string }[];
  return rows.map((r) => JSON.parse(r.timer) as Timer);
}

/** Where a page of open timers ended: the next page starts after it. */
export interface TimerCursor {
  dueAt: string;
  jobId: string;
}

/**
 * One page of every open timer, soonest first (a re-arm after a restart arms the timers about to fire before the
 * ones due next year). Keyset pages, not one cursor held open: the projector writes to the same connection between
 * pages, and a page of 100,000 timers at once would hold them all in memory.
 */
export function openTimersPage(db: Database.Database, after: TimerCursor | null, limit: number): { timers: Timer[]; next: TimerCursor | null } {
  const rows = (
    after
      ? statement(db, 'SELECT job_id, due_at, timer FROM timers_open WHERE (due_at, job_id) > (?, ?) ORDER BY due_at, job_id LIMIT ?').all(after.dueAt, after.jobId, limit)
      : statement(db, 'SELECT job_id, due_at, timer FROM timers_open ORDER BY due_at, job_id LIMIT ?').all(limit)
  ) as { job_id: string; due_at: string; timer: string }[];
  const last = rows.at(-1);
  return { timers: rows.map((r) => JSON.parse(r.timer) as Timer), next: last && rows.length === limit ? { dueAt: last.due_at, jobId: last.job_id } : null };
}

/** How many timers are open: the reactor compares it with the jobs Redis holds. */
export function openTimerCount(db: Database.Database): number {
  return (statement(db, 'SELECT count(*) AS n FROM timers_open').get() as { n: number }).n;
}

/** The open timers among these job ids (failed jobs whose timer still has to fire). */
export function openTimersByJobId(db: Database.Database, jobIds: readonly string[]): Timer[] {
  if (jobIds.length === 0) return [];
  const rows = statement(db, 'SELECT timer FROM timers_open WHERE job_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(jobIds)) as { timer: string }[];
  return rows.map((r) => JSON.parse(r.timer) as Timer);
}

/** Reads of the open-timers read model. */
import type Database from 'better-sqlite3';
import type { Timer } from '@hru/application';

/** Open timers (of the given referrals, or all), soonest first: each needs its delayed job armed. */
export function openTimers(db: Database.Database, referralIds?: readonly string[]): Timer[] {
  const only = referralIds ? 'WHERE referral_id IN (SELECT value FROM json_each(?))' : '';
  const rows = db
    .prepare(`SELECT timer FROM timers_open ${only} ORDER BY due_at, job_id`)
    .all(...(referralIds ? [JSON.stringify(referralIds)] : [])) as { timer: string }[];
  return rows.map((r) => JSON.parse(r.timer) as Timer);
}

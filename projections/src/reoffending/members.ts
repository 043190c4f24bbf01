/**
 * Keeps each cohort member's first re-offence and the members' counts by day (./members-schema.ts) in step with the
 * referrals' rows. A member's first re-offence depends on other referrals (those naming one of its perpetrators,
 * and those that reopened it), so a change to one referral is worked out again for every member it may matter to:
 * itself, the referrals naming one of its perpetrators before or after the change, and the cases it reopened.
 * (That reaches across streams: the projection is rebuilt in one pass over the log, `splitsByStream: false`.)
 *
 * The first re-offence is the earliest (by crime date, then referral id) of the referrals that would count in some
 * window, as `queries.ts` defines them; a window of N months holds it exactly when its crime date is on or before
 * date(follow_from, '+N months'), so it is kept once, with the shortest such N.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { NO_REOFFENCE } from './members-schema.js';
import { reoffenceBehaviours } from './behaviours.js';

export type Cohort = 'start' | 'therapy';
const cohorts: readonly { cohort: Cohort; column: 'started_on' | 'therapy_completed_on' }[] = [
  { cohort: 'start', column: 'started_on' },
  { cohort: 'therapy', column: 'therapy_completed_on' },
];

/** The longest window a query may ask for (`queries.ts`): a first re-offence further out is outside every window. */
export const MAX_WINDOW_MONTHS = 120;

interface MemberRow {
  follow_from: string;
  problem_behaviour: string;
  first_id: string | null;
  first_on: string | null;
  same_victim: number;
  months: number;
}

/** date(day, '+N months') as SQLite computes it: a day past the month's end runs on into the next month. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/** The shortest window in whole months holding a re-offence on `on` after a follow-up from `from`. */
export function monthsTo(from: string, on: string): number {
  for (let n = 0; n <= MAX_WINDOW_MONTHS; n++) if (addMonths(from, n) >= on) return n;
  return NO_REOFFENCE;
}

const behaviourList = reoffenceBehaviours.map((b) => `'${b}'`).join(', ');

/** The referral's first re-offence after `from` (the earliest crime, then the lowest id), and whether it shares a victim. */
function firstReoffence(db: Database.Database, referralId: string, from: string): { id: string; on: string; sameVictim: number } | undefined {
  const first = statement<[string, string, string, string], { id: string; on: string }>(
    db,
    `SELECT n.referral_id AS id, n.crime_on AS "on" FROM (
       SELECT q.referral_id AS id FROM reoffending_parties p
       JOIN reoffending_party_referrals q ON q.party_id = p.party_id AND q.role = 'perpetrator'
       WHERE p.referral_id = ? AND p.role = 'perpetrator'
       UNION
       SELECT linked_referral_id FROM reoffending_links WHERE referral_id = ?
     ) c JOIN reoffending_referrals n ON n.referral_id = c.id
     WHERE n.referral_id <> ? AND n.crime_on > ? AND (n.problem_behaviour IN (${behaviourList}) OR n.breach_of_order = 1)
     ORDER BY n.crime_on, n.referral_id LIMIT 1`,
  ).get(referralId, referralId, referralId, from);
  if (!first) return undefined;
  const shared = statement<[string, string], unknown>(
    db,
    `SELECT 1 FROM reoffending_parties a JOIN reoffending_parties b ON b.referral_id = ? AND b.role = 'victim' AND b.party_id = a.party_id
     WHERE a.referral_id = ? AND a.role = 'victim' LIMIT 1`,
  ).get(first.id, referralId);
  return { ...first, sameVictim: shared ? 1 : 0 };
}

function count(db: Database.Database, cohort: Cohort, m: MemberRow, n: 1 | -1): void {
  statement(
    db,
    `INSERT INTO reoffending_daily VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (cohort, follow_from, problem_behaviour, months, same_victim) DO UPDATE SET n = n + excluded.n`,
  ).run(cohort, m.follow_from, m.problem_behaviour, m.months, m.same_victim, n);
  if (n < 0) {
    statement(db, 'DELETE FROM reoffending_daily WHERE cohort = ? AND follow_from = ? AND problem_behaviour = ? AND months = ? AND same_victim = ? AND n = 0').run(
      cohort,
      m.follow_from,
      m.problem_behaviour,
      m.months,
      m.same_victim,
    );
  }
}

/** Works the referral's membership of each cohort out again from the rows as they stand, and moves the counts. */
function refreshMember(db: Database.Database, referralId: string): void {
  const row = statement<[string], { problem_behaviour: string; started_on: string | null; therapy_completed_on: string | null }>(
    db,
    'SELECT problem_behaviour, started_on, therapy_completed_on FROM reoffending_referrals WHERE referral_id = ?',
  ).get(referralId);
  for (const { cohort, column } of cohorts) {
    const old = statement<[string, string], MemberRow>(
      db,
      'SELECT follow_from, problem_behaviour, first_id, first_on, same_victim, months FROM reoffending_members WHERE cohort = ? AND referral_id = ?',
    ).get(cohort, referralId);
    const from = row?.[column] ?? null;
    let next: MemberRow | undefined;
    if (row && from !== null) {
      const first = firstReoffence(db, referralId, from);
      next = {
        follow_from: from,
        problem_behaviour: row.problem_behaviour,
        first_id: first?.id ?? null,
        first_on: first?.on ?? null,
        same_victim: first?.sameVictim ?? 0,
        months: first ? monthsTo(from, first.on) : NO_REOFFENCE,
      };
    }
    if (JSON.stringify(old) === JSON.stringify(next)) continue;
    if (old) count(db, cohort, old, -1);
    if (next) {
      statement(db, 'INSERT OR REPLACE INTO reoffending_members VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        cohort,
        referralId,
        next.follow_from,
        next.problem_behaviour,
        next.first_id,
        next.first_on,
        next.same_victim,
        next.months,
      );
      count(db, cohort, next, 1);
    } else {
      statement(db, 'DELETE FROM reoffending_members WHERE cohort = ? AND referral_id = ?').run(cohort, referralId);
    }
  }
}

/** Everything of a referral that any member's first re-offence can depend on. */
function stateOf(db: Database.Database, referralId: string): string {
  const row = statement<[string], unknown>(db, 'SELECT * FROM reoffending_referrals WHERE referral_id = ?').get(referralId);
  const parties = statement<[string], unknown>(db, 'SELECT role, party_id FROM reoffending_parties WHERE referral_id = ?').all(referralId);
  const links = statement<[string], unknown>(db, 'SELECT linked_referral_id FROM reoffending_links WHERE referral_id = ?').all(referralId);
  return JSON.stringify([row, parties, links]);
}

function perpetratorsOf(db: Database.Database, referralId: string): string[] {
  return statement<[string], string>(db, "SELECT party_id FROM reoffending_parties WHERE referral_id = ? AND role = 'perpetrator'")
    .pluck()
    .all(referralId);
}

/** The members whose first re-offence the referral may be: those naming one of `perpetrators`, and those it reopened. */
function concerned(db: Database.Database, referralId: string, perpetrators: Iterable<string>, into: Set<string>): void {
  for (const party of perpetrators) {
    for (const id of statement<[string], string>(db, "SELECT referral_id FROM reoffending_party_referrals WHERE party_id = ? AND role = 'perpetrator'").pluck().all(party)) {
      into.add(id);
    }
  }
  for (const id of statement<[string], string>(db, 'SELECT referral_id FROM reoffending_links_back WHERE linked_referral_id = ?').pluck().all(referralId)) into.add(id);
}

/** Runs `change` on the referral's rows and works out again every member whose figures it may have moved. */
export function keepingMembers(db: Database.Database, referralId: string, change: () => void): void {
  const before = stateOf(db, referralId);
  const perpetratorsBefore = perpetratorsOf(db, referralId);
  change();
  if (stateOf(db, referralId) === before) return;
  const members = new Set<string>([referralId]);
  concerned(db, referralId, [...perpetratorsBefore, ...perpetratorsOf(db, referralId)], members);
  for (const id of members) refreshMember(db, id);
}

/**
 * For a rebuild: a referral's state is taken at its first event of a batch and compared when the batch is flushed;
 * the members its changes may matter to are then worked out once per batch rather than once per event. A member's
 * row is a function of the rows as they stand, so they end where `keepingMembers`, event by event, leaves them.
 */
export function membersHeldBack(db: Database.Database): { before(referralId: string): void; flush(): void } {
  const held = new Map<string, { state: string; perpetrators: string[] }>();
  const flush = () => {
    const members = new Set<string>();
    for (const [id, before] of held) {
      if (stateOf(db, id) === before.state) continue;
      members.add(id);
      concerned(db, id, [...before.perpetrators, ...perpetratorsOf(db, id)], members);
    }
    held.clear();
    for (const id of members) refreshMember(db, id);
  };
  return {
    before(referralId) {
      if (held.has(referralId)) return;
      if (held.size >= 4_000) flush();
      held.set(referralId, { state: stateOf(db, referralId), perpetrators: perpetratorsOf(db, referralId) });
    },
    flush,
  };
}

/**
 * Works out every member and the staff minutes by start afresh: for rows written without `apply` (a benchmark's
 * bulk load of the referral rows). `apply` keeps them itself.
 */
export function recountReoffending(db: Database.Database): void {
  for (const table of ['reoffending_members', 'reoffending_daily', 'reoffending_staff_daily']) db.exec(`DELETE FROM ${table}`);
  const ids = db.prepare('SELECT referral_id FROM reoffending_referrals WHERE started_on IS NOT NULL OR therapy_completed_on IS NOT NULL').pluck().all() as string[];
  for (const id of ids) refreshMember(db, id);
  db.exec(`INSERT INTO reoffending_staff_daily
    SELECT r.started_on, m.agency, sum(m.minutes), count(*) FROM reoffending_referrals r JOIN reoffending_staff_minutes m ON m.referral_id = r.referral_id
    WHERE r.started_on IS NOT NULL GROUP BY 1, 2`);
}

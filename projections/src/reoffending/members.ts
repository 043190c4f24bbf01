/**
 * Keeps each cohort member's first re-offence and the members' counts by day (./members-schema.ts) in step with the
 * referrals' rows, with a bounded amount of work per event (issue #20).
 *
 * The first re-offence of a member is the earliest (by crime date, then referral id) of the referrals that would count
 * in some window as `queries.ts` defines them: one naming one of its perpetrators, or one that reopened it, that is a
 * re-offence by its behaviour or a breach flag, recorded after the follow-up start and within the longest window.
 *
 * A change to referral X is worked out in two directions:
 * - X as a member (its start dates, behaviour, parties or links moved): its first re-offence is looked up afresh in
 *   `reoffending_offences`, a seek per perpetrator, plus its few links.
 * - X as a re-offence (it counts now, or its crime date, perpetrators or victims moved): the members whose first it
 *   was are looked up afresh (`reoffending_first_of`), and X is offered to the members it may now come first for:
 *   the cases it reopened, and per perpetrator the members by follow-up start from X's crime date back, until one
 *   whose first re-offence is an earlier offence of the same perpetrator (`offerToMembers` says why that one ends it).
 *   The rows read are the members whose first re-offence becomes X, plus those whose first came through another
 *   perpetrator or a reopening, plus one. When referrals arrive in crime-date order each member is given a first
 *   re-offence once, so a suspect on N referrals costs O(N) rows over a whole log, not O(N²)
 *   (tests/projections/reoffending-linear.spec.ts counts them); a crime reported late moves only the members whose
 *   first re-offence it now is.
 * (That reaches across streams: the projection is rebuilt in one pass over the log, `splitsByStream: false`.)
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

/** A referral's own row (`reoffending_referrals`). */
export interface ReferralRow {
  referral_id: string;
  crime_on: string;
  problem_behaviour: string;
  breach_of_order: number;
  started_on: string | null;
  therapy_completed_on: string | null;
}

interface MemberRow {
  follow_from: string;
  problem_behaviour: string;
  first_id: string | null;
  first_on: string | null;
  same_victim: number;
  months: number;
}

/** What of a referral the members depend on, taken before an event changes it. */
export interface ReferralSnapshot {
  row: ReferralRow | undefined;
  perpetrators: string[];
  victims: string[];
  links: string[];
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number) =>
  month === 1 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The day `months` after year, month (0 to 11) and date, as SQLite's date(day, '+N months') computes it: a day past
 * the month's end runs on into the next month. As a number, yyyymmdd, so that it compares as the ISO dates do.
 */
function monthsOn(year: number, month0: number, date: number, months: number): number {
  const months0 = year * 12 + month0 + months;
  let y = Math.floor(months0 / 12);
  let m = months0 - y * 12;
  let d = date;
  const length = daysIn(y, m);
  if (d > length) {
    // At most three days over, and every month is longer than that.
    d -= length;
    if (++m === 12) [y, m] = [y + 1, 0];
  }
  return y * 10_000 + (m + 1) * 100 + d;
}

const dayNumber = (day: string) => Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));

/**
 * date(day, '+N months') as SQLite computes it. In whole numbers rather than through a Date: a rebuild works out
 * every member's window with it.
 */
export function addMonths(day: string, months: number): string {
  const n = monthsOn(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), months);
  return `${pad(Math.floor(n / 10_000), 4)}-${pad(Math.floor(n / 100) % 100, 2)}-${pad(n % 100, 2)}`;
}

/** The shortest window in whole months holding a re-offence on `on` after a follow-up from `from`; NO_REOFFENCE past the longest. */
export function monthsTo(from: string, on: string): number {
  const fy = Number(from.slice(0, 4));
  const fm = Number(from.slice(5, 7)) - 1;
  const fd = Number(from.slice(8, 10));
  const target = dayNumber(on);
  // Two months short of the calendar distance is always too short (a day runs on by three at most), and
  // date(from, '+N months') grows with N: count up from there, comparing numbers, not formatted dates.
  const distance = (Math.floor(target / 10_000) - fy) * 12 + (Math.floor(target / 100) % 100) - 1 - fm;
  for (let n = Math.max(0, distance - 2); n <= MAX_WINDOW_MONTHS; n++) if (monthsOn(fy, fm, fd, n) >= target) return n;
  return NO_REOFFENCE;
}

const counts = (row: Pick<ReferralRow, 'problem_behaviour' | 'breach_of_order'>) =>
  row.breach_of_order === 1 || (reoffenceBehaviours as readonly string[]).includes(row.problem_behaviour);

const referralRow = (db: Database.Database, id: string) =>
  statement<[string], ReferralRow>(db, 'SELECT * FROM reoffending_referrals WHERE referral_id = ?').get(id);

function partiesOf(db: Database.Database, id: string, role: 'perpetrator' | 'victim'): string[] {
  return statement<[string, string], string>(db, 'SELECT party_id FROM reoffending_parties WHERE referral_id = ? AND role = ?').pluck().all(id, role);
}

const linksOf = (db: Database.Database, id: string) =>
  statement<[string], string>(db, 'SELECT linked_referral_id FROM reoffending_links WHERE referral_id = ?').pluck().all(id);

export function snapshot(db: Database.Database, id: string): ReferralSnapshot {
  return { row: referralRow(db, id), perpetrators: partiesOf(db, id, 'perpetrator'), victims: partiesOf(db, id, 'victim'), links: linksOf(db, id) };
}

function sharesVictim(db: Database.Database, member: string, reoffence: string): number {
  const shared = statement<[string, string], unknown>(
    db,
    `SELECT 1 FROM reoffending_parties a JOIN reoffending_parties b ON b.referral_id = ? AND b.role = 'victim' AND b.party_id = a.party_id
     WHERE a.referral_id = ? AND a.role = 'victim' LIMIT 1`,
  ).get(reoffence, member);
  return shared ? 1 : 0;
}

interface Candidate {
  id: string;
  on: string;
}
const before = (a: Candidate, b: Candidate) => a.on < b.on || (a.on === b.on && a.id < b.id);

/** The member's first re-offence after `from` within the longest window, or none. */
function firstReoffence(db: Database.Database, member: string, perpetrators: readonly string[], from: string): (Candidate & { months: number }) | undefined {
  let first: Candidate | undefined;
  const consider = (c: Candidate) => {
    if (c.id !== member && c.on > from && (!first || before(c, first))) first = c;
  };
  for (const party of perpetrators) {
    // Two: the member's own referral may be the first after its start (a corrected crime date), and it never counts.
    const rows = statement<[string, string], Candidate>(
      db,
      'SELECT referral_id AS id, crime_on AS "on" FROM reoffending_offences WHERE party_id = ? AND crime_on > ? ORDER BY crime_on, referral_id LIMIT 2',
    ).all(party, from);
    rows.forEach(consider);
  }
  for (const linked of linksOf(db, member)) {
    const row = referralRow(db, linked);
    if (row && counts(row)) consider({ id: row.referral_id, on: row.crime_on });
  }
  if (!first) return undefined;
  const months = monthsTo(from, first.on);
  return months <= MAX_WINDOW_MONTHS ? { ...first, months } : undefined;
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

/** Files the member under each perpetrator by its follow-up start (`reoffending_by_start`). */
function file(db: Database.Database, cohort: Cohort, id: string, followFrom: string, perpetrators: readonly string[], add: boolean): void {
  for (const party of perpetrators) {
    if (add) statement(db, 'INSERT OR IGNORE INTO reoffending_by_start VALUES (?, ?, ?, ?)').run(party, cohort, followFrom, id);
    else statement(db, 'DELETE FROM reoffending_by_start WHERE party_id = ? AND cohort = ? AND follow_from = ? AND referral_id = ?').run(party, cohort, followFrom, id);
  }
}

const memberRow = (db: Database.Database, cohort: Cohort, id: string) =>
  statement<[string, string], MemberRow>(
    db,
    'SELECT follow_from, problem_behaviour, first_id, first_on, same_victim, months FROM reoffending_members WHERE cohort = ? AND referral_id = ?',
  ).get(cohort, id);

const sameMember = (a: MemberRow | undefined, b: MemberRow | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.follow_from === b.follow_from &&
    a.problem_behaviour === b.problem_behaviour &&
    a.first_id === b.first_id &&
    a.first_on === b.first_on &&
    a.same_victim === b.same_victim &&
    a.months === b.months);

/** Replaces a member's row, its index rows (filed under its perpetrators then and now) and its count. */
function write(db: Database.Database, cohort: Cohort, id: string, old: MemberRow | undefined, next: MemberRow | undefined, was: readonly string[], is: readonly string[]): void {
  const samePerpetrators = was.join('\0') === is.join('\0');
  if (sameMember(old, next) && samePerpetrators) return;
  if (old) count(db, cohort, old, -1);
  if (next) {
    statement(db, 'INSERT OR REPLACE INTO reoffending_members VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      cohort,
      id,
      next.follow_from,
      next.problem_behaviour,
      next.first_id,
      next.first_on,
      next.same_victim,
      next.months,
    );
    count(db, cohort, next, 1);
  } else if (old) {
    statement(db, 'DELETE FROM reoffending_members WHERE cohort = ? AND referral_id = ?').run(cohort, id);
  }
  // A new first re-offence alone (the common change) leaves the member filed where it was.
  if (!(old && next && old.follow_from === next.follow_from && samePerpetrators)) {
    if (old) file(db, cohort, id, old.follow_from, was, false);
    if (next) file(db, cohort, id, next.follow_from, is, true);
  }
  if (old?.first_id !== next?.first_id) {
    if (old?.first_id) statement(db, 'DELETE FROM reoffending_first_of WHERE first_id = ? AND cohort = ? AND referral_id = ?').run(old.first_id, cohort, id);
    if (next?.first_id) statement(db, 'INSERT OR IGNORE INTO reoffending_first_of VALUES (?, ?, ?)').run(next.first_id, cohort, id);
  }
}

/** The referral's row as a member of the cohort (its first re-offence worked out afresh), or none. */
function memberOf(db: Database.Database, id: string, row: ReferralRow | undefined, perpetrators: readonly string[], column: 'started_on' | 'therapy_completed_on'): MemberRow | undefined {
  const from = row?.[column] ?? null;
  if (!row || from === null) return undefined;
  const first = firstReoffence(db, id, perpetrators, from);
  return {
    follow_from: from,
    problem_behaviour: row.problem_behaviour,
    first_id: first?.id ?? null,
    first_on: first?.on ?? null,
    same_victim: first ? sharesVictim(db, id, first.id) : 0,
    months: first?.months ?? NO_REOFFENCE,
  };
}

/** Works the referral's membership of each cohort out afresh; `was` are the perpetrators its index rows are filed under. */
export function refreshMember(db: Database.Database, id: string, was?: readonly string[]): void {
  const row = referralRow(db, id);
  const perpetrators = partiesOf(db, id, 'perpetrator');
  for (const { cohort, column } of cohorts) {
    write(db, cohort, id, memberRow(db, cohort, id), memberOf(db, id, row, perpetrators, column), was ?? perpetrators, perpetrators);
  }
}

/** Makes `offence` the member's first re-offence when it is in its window and comes before the one it has. */
function offer(db: Database.Database, cohort: Cohort, member: string, offence: Candidate): void {
  if (member === offence.id) return;
  const m = memberRow(db, cohort, member);
  if (!m || offence.on <= m.follow_from) return;
  if (m.first_id !== null && !before(offence, { id: m.first_id, on: m.first_on! })) return;
  const months = monthsTo(m.follow_from, offence.on);
  if (months > MAX_WINDOW_MONTHS) return;
  const perpetrators = partiesOf(db, member, 'perpetrator');
  write(db, cohort, member, m, { ...m, first_id: offence.id, first_on: offence.on, same_victim: sharesVictim(db, member, offence.id), months }, perpetrators, perpetrators);
}

/** The referral as a re-offence: its crime date and perpetrators when it counts as one, else null. */
function asOffence(s: ReferralSnapshot): { on: string; perpetrators: string[] } | null {
  return s.row && counts(s.row) ? { on: s.row.crime_on, perpetrators: s.perpetrators } : null;
}

const asMember = (s: ReferralSnapshot) =>
  JSON.stringify([s.row?.started_on, s.row?.therapy_completed_on, s.row?.problem_behaviour, s.perpetrators, s.victims, s.links]);

/** After an event changed referral `id` (its state before is `was`): moves every member the change may matter to. */
export function referralChanged(db: Database.Database, id: string, was: ReferralSnapshot): void {
  const is = snapshot(db, id);
  const offenceWas = asOffence(was);
  const offenceIs = asOffence(is);
  if (JSON.stringify([offenceWas, was.victims]) !== JSON.stringify([offenceIs, is.victims])) {
    if (offenceWas) for (const party of offenceWas.perpetrators) statement(db, 'DELETE FROM reoffending_offences WHERE party_id = ? AND crime_on = ? AND referral_id = ?').run(party, offenceWas.on, id);
    if (offenceIs) for (const party of offenceIs.perpetrators) statement(db, 'INSERT OR IGNORE INTO reoffending_offences VALUES (?, ?, ?)').run(party, offenceIs.on, id);
    // The members it came first for: their first may now be another referral (or none), or its victims moved.
    const firstFor = statement<[string], string>(db, 'SELECT referral_id FROM reoffending_first_of WHERE first_id = ?').pluck().all(id);
    for (const member of new Set(firstFor)) refreshMember(db, member);
    if (offenceIs) offerToMembers(db, { id, on: offenceIs.on }, offenceIs.perpetrators);
  }
  if (asMember(was) !== asMember(is)) refreshMember(db, id, was.perpetrators);
}

/**
 * Offers a re-offence to the members it may come first for. Per perpetrator P, the members are read by follow-up
 * start from the crime date back, and the walk stops at the first member whose first re-offence is another of P's
 * offences, before this one: that offence lies between every earlier start and this crime date, so every member
 * started earlier already has a re-offence before this one (bar that offence's own referral, offered on its own).
 * The rows read are then the members this one becomes first for, plus those whose first came through another
 * perpetrator or a reopening, plus one: as many as will change, not as many as P has.
 */
function offerToMembers(db: Database.Database, offence: Candidate, perpetrators: readonly string[]): void {
  // A follow-up start more than the longest window (plus a month's slack, checked exactly by `offer`) before the crime cannot hold it.
  const earliestStart = addMonths(offence.on, -(MAX_WINDOW_MONTHS + 1));
  for (const { cohort } of cohorts) {
    const offers = new Set<string>();
    for (const party of perpetrators) {
      const walk = statement<[string, string, string, string], string>(
        db,
        `SELECT referral_id FROM reoffending_by_start WHERE party_id = ? AND cohort = ? AND follow_from >= ? AND follow_from < ?
         ORDER BY follow_from DESC, referral_id DESC`,
      ).pluck();
      for (const member of walk.iterate(party, cohort, earliestStart, offence.on)) {
        const m = memberRow(db, cohort, member);
        if (m?.first_id && before({ id: m.first_id, on: m.first_on! }, offence) && isOffenceOf(db, party, m.first_id, m.first_on!)) {
          offers.add(m.first_id);
          break;
        }
        offers.add(member);
      }
    }
    const reopened = statement<[string], string>(db, 'SELECT referral_id FROM reoffending_links_back WHERE linked_referral_id = ?').pluck().all(offence.id);
    for (const member of reopened) offers.add(member);
    for (const member of offers) offer(db, cohort, member, offence);
  }
}

const isOffenceOf = (db: Database.Database, party: string, id: string, on: string) =>
  statement<[string, string, string], unknown>(db, 'SELECT 1 FROM reoffending_offences WHERE party_id = ? AND crime_on = ? AND referral_id = ?').get(party, on, id) !== undefined;

/**
 * For a rebuild into an empty shadow that loaded only the referrals' own rows (`applyEvent` without members): the
 * offences, then every member as `refreshMember` works it out, each once, instead of moving the members event by
 * event. The members are a function of the referrals' rows, whatever order the events came in, so this leaves the
 * rows the events applied one by one leave (the rebuild-equivalence spec compares them). A referral's members read
 * the offences and the referrals' rows, never another member, so one pass in any order will do; and with no member
 * there before it, what `write` keeps beside each (its count by day, its filing under its perpetrators, its first
 * re-offence's back reference) is worked out at the end for all of them, a statement a table.
 */
export function deriveMembers(db: Database.Database): void {
  statement(
    db,
    `INSERT OR IGNORE INTO reoffending_offences
     SELECT p.party_id, r.crime_on, r.referral_id FROM reoffending_referrals r
     JOIN reoffending_parties p ON p.referral_id = r.referral_id AND p.role = 'perpetrator'
     WHERE r.breach_of_order = 1 OR r.problem_behaviour IN (${reoffenceBehaviours.map(() => '?').join(', ')})`,
  ).run(...reoffenceBehaviours);
  // In pages by key: a statement still reading cannot share the connection with the members' writes.
  const page = statement<[string], ReferralRow>(
    db,
    'SELECT * FROM reoffending_referrals WHERE referral_id > ? AND (started_on IS NOT NULL OR therapy_completed_on IS NOT NULL) ORDER BY referral_id LIMIT 1000',
  );
  const insert = statement(db, 'INSERT INTO reoffending_members VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (let after = ''; ; ) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const row of rows) {
      const id = row.referral_id;
      const perpetrators = partiesOf(db, id, 'perpetrator');
      for (const { cohort, column } of cohorts) {
        const m = memberOf(db, id, row, perpetrators, column);
        if (m) insert.run(cohort, id, m.follow_from, m.problem_behaviour, m.first_id, m.first_on, m.same_victim, m.months);
      }
    }
    after = rows[rows.length - 1]!.referral_id;
  }
  statement(
    db,
    `INSERT INTO reoffending_daily
     SELECT cohort, follow_from, problem_behaviour, months, same_victim, count(*) FROM reoffending_members GROUP BY 1, 2, 3, 4, 5`,
  ).run();
  statement(
    db,
    `INSERT OR IGNORE INTO reoffending_by_start
     SELECT p.party_id, m.cohort, m.follow_from, m.referral_id FROM reoffending_members m
     JOIN reoffending_parties p ON p.referral_id = m.referral_id AND p.role = 'perpetrator'`,
  ).run();
  statement(db, 'INSERT INTO reoffending_first_of SELECT first_id, cohort, referral_id FROM reoffending_members WHERE first_id IS NOT NULL').run();
}

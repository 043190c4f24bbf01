/**
 * The members for a rebuild into an empty shadow that loaded only the referrals' own rows (`applyEvent` without
 * members): the offences, then every member of each cohort with its first re-offence, its index rows and the daily
 * counts, each worked out once, in a few statements over all the referrals, instead of being moved event by event.
 *
 * The members are a function of the referrals' rows, whatever order the events came in, so this must leave exactly
 * what `refreshMember` (./members.ts) leaves for every member (reoffending-rebuild.spec.ts compares the two paths over
 * histories where order, links, windows and victims matter): the first re-offence is the earliest, by crime date and
 * then referral id, of the offences of the member's perpetrators and the counting referrals that reopened it, after
 * its follow-up start and other than itself, and none when that earliest one is past the longest window. Done
 * member by member through `refreshMember`, it was a dozen statements each, about half a floor of the rebuild's CPU.
 */
import type Database from 'better-sqlite3';
import { reoffenceBehaviours } from './behaviours.js';
import { monthsTo } from './members.js';
import { NO_REOFFENCE } from './members-schema.js';

const counting = `(r.breach_of_order = 1 OR r.problem_behaviour IN (${reoffenceBehaviours.map((b) => `'${b}'`).join(', ')}))`;

/**
 * Each member's candidates for its first re-offence as text keys `crime_on referral_id` (a crime date is always ten
 * characters, so the keys sort as the pairs do): per perpetrator its earliest offence after the start (a seek, the
 * member's own referral skipped), and each counting referral that reopened it; a NULL key keeps every member in.
 */
const firstOfEachMember = `
  WITH members (cohort, referral_id, follow_from, problem_behaviour) AS (
    SELECT 'start', referral_id, started_on, problem_behaviour FROM reoffending_referrals WHERE started_on IS NOT NULL
    UNION ALL
    SELECT 'therapy', referral_id, therapy_completed_on, problem_behaviour FROM reoffending_referrals WHERE therapy_completed_on IS NOT NULL
  ),
  candidates (cohort, referral_id, follow_from, problem_behaviour, first_key) AS (
    SELECT m.cohort, m.referral_id, m.follow_from, m.problem_behaviour, NULL FROM members m
    UNION ALL
    SELECT m.cohort, m.referral_id, m.follow_from, m.problem_behaviour,
      (SELECT o.crime_on || ' ' || o.referral_id FROM reoffending_offences o
       WHERE o.party_id = p.party_id AND o.crime_on > m.follow_from AND o.referral_id <> m.referral_id
       ORDER BY o.crime_on, o.referral_id LIMIT 1)
    FROM members m JOIN reoffending_parties p ON p.referral_id = m.referral_id AND p.role = 'perpetrator'
    UNION ALL
    SELECT m.cohort, m.referral_id, m.follow_from, m.problem_behaviour, r.crime_on || ' ' || r.referral_id
    FROM members m JOIN reoffending_links k ON k.referral_id = m.referral_id JOIN reoffending_referrals r ON r.referral_id = k.linked_referral_id
    WHERE r.crime_on > m.follow_from AND r.referral_id <> m.referral_id AND ${counting}
  ),
  firsts AS (
    SELECT cohort, referral_id, follow_from, problem_behaviour, min(first_key) AS first_key
    FROM candidates GROUP BY cohort, referral_id, follow_from, problem_behaviour
  ),
  windowed AS (
    SELECT *, CASE WHEN first_key IS NULL THEN ${NO_REOFFENCE} ELSE reoffending_months_to(follow_from, substr(first_key, 1, 10)) END AS months FROM firsts
  ),
  chosen AS (
    SELECT cohort, referral_id, follow_from, problem_behaviour, months,
      CASE WHEN months = ${NO_REOFFENCE} THEN NULL ELSE substr(first_key, 12) END AS first_id,
      CASE WHEN months = ${NO_REOFFENCE} THEN NULL ELSE substr(first_key, 1, 10) END AS first_on
    FROM windowed
  )
  SELECT c.cohort, c.referral_id, c.follow_from, c.problem_behaviour, c.first_id, c.first_on,
    CASE WHEN c.first_id IS NULL THEN 0 ELSE EXISTS (
      SELECT 1 FROM reoffending_parties a JOIN reoffending_parties b ON b.referral_id = c.first_id AND b.role = 'victim' AND b.party_id = a.party_id
      WHERE a.referral_id = c.referral_id AND a.role = 'victim') END,
    c.months
  FROM chosen c`;

export function deriveMembers(db: Database.Database): void {
  // monthsTo is the one definition of a window's length (SQLite's date arithmetic, in JS), so SQL calls it.
  db.function('reoffending_months_to', { deterministic: true }, (from, on) => monthsTo(String(from), String(on)));
  db.exec(`
    INSERT OR IGNORE INTO reoffending_offences
      SELECT p.party_id, r.crime_on, r.referral_id FROM reoffending_referrals r
      JOIN reoffending_parties p ON p.referral_id = r.referral_id AND p.role = 'perpetrator'
      WHERE ${counting};
    INSERT INTO reoffending_members (cohort, referral_id, follow_from, problem_behaviour, first_id, first_on, same_victim, months)
      ${firstOfEachMember};
    INSERT OR IGNORE INTO reoffending_by_start
      SELECT p.party_id, m.cohort, m.follow_from, m.referral_id FROM reoffending_members m
      JOIN reoffending_parties p ON p.referral_id = m.referral_id AND p.role = 'perpetrator';
    INSERT OR IGNORE INTO reoffending_first_of SELECT first_id, cohort, referral_id FROM reoffending_members WHERE first_id IS NOT NULL;
    INSERT INTO reoffending_daily
      SELECT cohort, follow_from, problem_behaviour, months, same_victim, count(*) FROM reoffending_members GROUP BY 1, 2, 3, 4, 5;
  `);
}

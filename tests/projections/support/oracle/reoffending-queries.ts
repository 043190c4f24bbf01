/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import type { CohortMember, ReoffendingQuery, ReoffendingRates, ReoffendingStats } from '@hru/projections';
import { reoffenceBehaviours } from '@hru/projections';


type FollowUpColumn = 'started_on' | 'therapy_completed_on';

const behaviourList = reoffenceBehaviours.map((b) => `'${b}'`).join(', ');

/** Candidate re-offences of each cohort referral, earliest first; the caller keeps the first per referral. */
function followUpSql(column: FollowUpColumn): string {
  const inWindow = `n.crime_on > c.follow_from AND n.crime_on <= c.follow_to AND (n.problem_behaviour IN (${behaviourList}) OR n.breach_of_order = 1)`;
  return `
    WITH cohort AS (
      SELECT referral_id, problem_behaviour, ${column} AS follow_from, date(${column}, '+' || @months || ' months') AS follow_to
      FROM reoffending_referrals WHERE ${column} BETWEEN @from AND @to
    ),
    later AS (
      SELECT c.referral_id, n.referral_id AS new_id, n.crime_on
      FROM cohort c
      JOIN reoffending_parties p ON p.referral_id = c.referral_id AND p.role = 'perpetrator'
      JOIN reoffending_parties q ON q.party_id = p.party_id AND q.role = 'perpetrator' AND q.referral_id <> c.referral_id
      JOIN reoffending_referrals n ON n.referral_id = q.referral_id
      WHERE ${inWindow}
      UNION
      SELECT c.referral_id, n.referral_id, n.crime_on
      FROM cohort c
      JOIN reoffending_links l ON l.referral_id = c.referral_id
      JOIN reoffending_referrals n ON n.referral_id = l.linked_referral_id AND n.referral_id <> c.referral_id
      WHERE ${inWindow}
    )
    SELECT c.referral_id AS referralId, c.problem_behaviour AS problemBehaviour, c.follow_from AS followUpFrom, c.follow_to AS followUpTo,
      l.new_id AS newId, l.crime_on AS crimeOn,
      EXISTS (
        SELECT 1 FROM reoffending_parties a JOIN reoffending_parties b ON b.party_id = a.party_id AND b.role = 'victim'
        WHERE a.referral_id = c.referral_id AND a.role = 'victim' AND b.referral_id = l.new_id
      ) AS sameVictim
    FROM cohort c LEFT JOIN later l ON l.referral_id = c.referral_id
    ORDER BY c.referral_id, l.crime_on, l.new_id`;
}

interface CandidateRow {
  referralId: string;
  problemBehaviour: string;
  followUpFrom: string;
  followUpTo: string;
  newId: string | null;
  crimeOn: string | null;
  sameVictim: 0 | 1;
}

export function cohortMembers(db: Database.Database, column: FollowUpColumn, q: Omit<ReoffendingQuery, 'asOf'>): CohortMember[] {
  if (!Number.isInteger(q.windowMonths) || q.windowMonths < 1 || q.windowMonths > 120) throw new RangeError('windowMonths must be 1 to 120');
  const rows = db.prepare(followUpSql(column)).all({ from: q.from, to: q.to, months: q.windowMonths }) as CandidateRow[];
  const members = new Map<string, CohortMember>();
  for (const r of rows) {
    if (members.has(r.referralId)) continue; // rows are earliest first: the first re-offence decides
    members.set(r.referralId, {
      referralId: r.referralId,
      problemBehaviour: r.problemBehaviour,
      followUpFrom: r.followUpFrom,
      followUpTo: r.followUpTo,
      reoffended: r.newId !== null,
      firstReoffenceReferralId: r.newId,
      firstReoffenceOn: r.crimeOn,
      sameVictim: r.newId === null ? null : r.sameVictim === 1,
    });
  }
  return [...members.values()];
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

export function ratesOf(members: readonly CohortMember[], asOf: string): ReoffendingRates {
  const cohort = members.length;
  const reoffended = members.filter((m) => m.reoffended).length;
  const sameVictim = members.filter((m) => m.sameVictim === true).length;
  const newVictim = members.filter((m) => m.sameVictim === false).length;
  return {
    cohort,
    reoffended,
    reoffendedPct: pct(reoffended, cohort),
    sameVictim,
    sameVictimPct: pct(sameVictim, cohort),
    newVictim,
    newVictimPct: pct(newVictim, cohort),
    // A member who already re-offended has its answer; only the others may still change.
    stillInFollowUp: members.filter((m) => !m.reoffended && m.followUpTo > asOf).length,
  };
}

/** `from` and `to` are ISO dates, both inclusive, on the follow-up start. */
export function reoffendingStats(db: Database.Database, q: ReoffendingQuery): ReoffendingStats {
  const members = cohortMembers(db, 'started_on', q);
  const therapeuticMembers = cohortMembers(db, 'therapy_completed_on', q);
  const behaviours = [...new Set(members.map((m) => m.problemBehaviour))].sort();
  return {
    from: q.from,
    to: q.to,
    windowMonths: q.windowMonths,
    asOf: q.asOf,
    afterInterventionStart: {
      ...ratesOf(members, q.asOf),
      byProblemBehaviour: behaviours.map((b) => ({ problemBehaviour: b, ...ratesOf(members.filter((m) => m.problemBehaviour === b), q.asOf) })),
    },
    afterCompletedTherapeuticIntervention: ratesOf(therapeuticMembers, q.asOf),
    members,
    therapeuticMembers,
  };
}

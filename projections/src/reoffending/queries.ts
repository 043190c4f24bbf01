/**
 * Re-offending after the unit's intervention (DOMAIN.md §5), counted per referral.
 *
 * What counts:
 * - The cohort is the referrals whose intervention started in the period (the first intervention recorded,
 *   management plan agreed or direction to a service, whichever came first). A second cohort is the
 *   referrals whose perpetrator completed a therapeutic intervention in the period; their follow-up starts
 *   on the completion date (the seed's "re-offending after completed health interventions").
 * - A cohort referral re-offended when another referral about one of its perpetrators (the same party id,
 *   or a referral staff linked to it when reopening it) has a crime recorded after the follow-up start and no
 *   later than `windowMonths` after it, and that crime is stalking, serial domestic abuse or querulance
 *   (harassment of officials), or was flagged at intake as a breach of an order whatever its behaviour.
 * - A crime recorded on the start date itself does not count: it may be the incident that prompted the step.
 * - Each cohort referral counts once, classed by its first re-offence: "same victim" when that referral
 *   shares a victim party with the cohort referral, otherwise "new victim"; so same + new = re-offended.
 *
 * What the data cannot tell:
 * - Crimes that never became a referral to this unit (other forces, crimes not flagged as stalking,
 *   harassment or domestic abuse, breaches dealt with without a new crime report), so rates are a floor.
 * - The same person recorded in two source systems has two party ids; only a reopening links them.
 * - A cohort referral whose window has not yet ended may still re-offend: `stillInFollowUp` says how many.
 * - Whether the new allegation was proved: a referral is an allegation, not a conviction.
 */
import type Database from 'better-sqlite3';
import { MAX_WINDOW_MONTHS, type Cohort } from './members.js';

/** The behaviours of a new referral that make it a re-offence on their own (DOMAIN.md §5: stalking, harassment, DA). */
export { reoffenceBehaviours } from './behaviours.js';

export const reoffendingWindows = [6, 12, 24, 36] as const;

export interface ReoffendingQuery {
  from: string;
  to: string;
  windowMonths: number;
  /** The day the figures are read on; cohort members whose window ends after it are still in follow-up. */
  asOf: string;
}

/** One cohort referral and what became of it (ids and dates only). */
export interface CohortMember extends Record<string, unknown> {
  referralId: string;
  problemBehaviour: string;
  followUpFrom: string;
  followUpTo: string;
  reoffended: boolean;
  firstReoffenceReferralId: string | null;
  firstReoffenceOn: string | null;
  sameVictim: boolean | null;
}

export interface ReoffendingRates {
  cohort: number;
  reoffended: number;
  reoffendedPct: number | null;
  sameVictim: number;
  sameVictimPct: number | null;
  newVictim: number;
  newVictimPct: number | null;
  stillInFollowUp: number;
}

export interface ReoffendingStats {
  from: string;
  to: string;
  windowMonths: number;
  asOf: string;
  afterInterventionStart: ReoffendingRates & { byProblemBehaviour: (ReoffendingRates & { problemBehaviour: string })[] };
  afterCompletedTherapeuticIntervention: ReoffendingRates;
  /** Every member of the intervention-start cohort, so an analyst can check each count. */
  members: CohortMember[];
  therapeuticMembers: CohortMember[];
}

type FollowUpColumn = 'started_on' | 'therapy_completed_on';
const cohortOf: Record<FollowUpColumn, Cohort> = { started_on: 'start', therapy_completed_on: 'therapy' };

function checkWindow(windowMonths: number): void {
  if (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > MAX_WINDOW_MONTHS) throw new RangeError('windowMonths must be 1 to 120');
}

interface MemberRow {
  referralId: string;
  problemBehaviour: string;
  followUpFrom: string;
  followUpTo: string;
  firstId: string | null;
  firstOn: string | null;
  sameVictim: number;
  months: number;
}

const memberColumns = `referral_id AS referralId, problem_behaviour AS problemBehaviour, follow_from AS followUpFrom,
  date(follow_from, '+' || @months || ' months') AS followUpTo, first_id AS firstId, first_on AS firstOn, same_victim AS sameVictim, months`;

/** A member as the window sees it: its first re-offence counts when the window holds it (./members.ts). */
function memberOf(r: MemberRow, windowMonths: number): CohortMember {
  const reoffended = r.months <= windowMonths;
  return {
    referralId: r.referralId,
    problemBehaviour: r.problemBehaviour,
    followUpFrom: r.followUpFrom,
    followUpTo: r.followUpTo,
    reoffended,
    firstReoffenceReferralId: reoffended ? r.firstId : null,
    firstReoffenceOn: reoffended ? r.firstOn : null,
    sameVictim: reoffended ? r.sameVictim === 1 : null,
  };
}

/** Every member of a cohort whose follow-up started in the period, by referral id. */
export function cohortMembers(db: Database.Database, column: FollowUpColumn, q: Omit<ReoffendingQuery, 'asOf'>): CohortMember[] {
  checkWindow(q.windowMonths);
  const rows = db
    .prepare(`SELECT ${memberColumns} FROM reoffending_members WHERE cohort = @cohort AND follow_from BETWEEN @from AND @to ORDER BY referral_id`)
    .all({ cohort: cohortOf[column], from: q.from, to: q.to, months: q.windowMonths }) as MemberRow[];
  return rows.map((r) => memberOf(r, q.windowMonths));
}

/** A page of members after `after`, and the cursor to the next page (null on the last). */
export interface MemberPage {
  members: CohortMember[];
  next: string | null;
}

/**
 * A page of a cohort's members by referral id. A large cohort is walked in id order (a page needs about
 * limit × all members / cohort rows); a small one is read by start date and sorted: whichever reads fewer rows.
 */
export function cohortPage(
  db: Database.Database,
  column: FollowUpColumn,
  q: Omit<ReoffendingQuery, 'asOf'>,
  page: { limit: number; after?: string | undefined; cohortSize: number },
): MemberPage {
  checkWindow(q.windowMonths);
  if (page.limit === 0 || page.cohortSize === 0) return { members: [], next: null };
  const cohort = cohortOf[column];
  const everyone = (db.prepare('SELECT coalesce(sum(n), 0) FROM reoffending_daily WHERE cohort = ?').pluck().get(cohort) as number) || 1;
  const walk = ((page.limit + 1) * everyone) / page.cohortSize < page.cohortSize;
  // `+follow_from` keeps the planner off the start-date index, so the walk follows the primary key's id order.
  const where = walk ? '+follow_from BETWEEN @from AND @to' : 'follow_from BETWEEN @from AND @to';
  const rows = db
    .prepare(
      `SELECT ${memberColumns} FROM reoffending_members WHERE cohort = @cohort AND ${where} AND referral_id > @after ORDER BY referral_id LIMIT @limit`,
    )
    .all({ cohort, from: q.from, to: q.to, months: q.windowMonths, after: page.after ?? '', limit: page.limit + 1 }) as MemberRow[];
  const members = rows.slice(0, page.limit).map((r) => memberOf(r, q.windowMonths));
  return { members, next: rows.length > page.limit ? members.at(-1)!.referralId : null };
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

interface Counts {
  cohort: number;
  reoffended: number;
  sameVictim: number;
  newVictim: number;
  stillInFollowUp: number;
}

function ratesFrom(c: Counts): ReoffendingRates {
  return {
    cohort: c.cohort,
    reoffended: c.reoffended,
    reoffendedPct: pct(c.reoffended, c.cohort),
    sameVictim: c.sameVictim,
    sameVictimPct: pct(c.sameVictim, c.cohort),
    newVictim: c.newVictim,
    newVictimPct: pct(c.newVictim, c.cohort),
    stillInFollowUp: c.stillInFollowUp,
  };
}

export function ratesOf(members: readonly CohortMember[], asOf: string): ReoffendingRates {
  return ratesFrom({
    cohort: members.length,
    reoffended: members.filter((m) => m.reoffended).length,
    sameVictim: members.filter((m) => m.sameVictim === true).length,
    newVictim: members.filter((m) => m.sameVictim === false).length,
    // A member who already re-offended has its answer; only the others may still change.
    stillInFollowUp: members.filter((m) => !m.reoffended && m.followUpTo > asOf).length,
  });
}

/**
 * A cohort's counts by problem behaviour, summed over the members counted by follow-up start (./members-schema.ts):
 * a row per day, behaviour and outcome, not per member.
 */
export function cohortCounts(db: Database.Database, column: FollowUpColumn, q: ReoffendingQuery): (Counts & { problemBehaviour: string })[] {
  checkWindow(q.windowMonths);
  return db
    .prepare(
      `SELECT problem_behaviour AS problemBehaviour, sum(n) AS cohort,
         sum(CASE WHEN months <= @months THEN n ELSE 0 END) AS reoffended,
         sum(CASE WHEN months <= @months AND same_victim = 1 THEN n ELSE 0 END) AS sameVictim,
         sum(CASE WHEN months <= @months AND same_victim = 0 THEN n ELSE 0 END) AS newVictim,
         sum(CASE WHEN months > @months AND date(follow_from, '+' || @months || ' months') > @asOf THEN n ELSE 0 END) AS stillInFollowUp
       FROM reoffending_daily WHERE cohort = @cohort AND follow_from BETWEEN @from AND @to
       GROUP BY problem_behaviour ORDER BY problem_behaviour`,
    )
    .all({ cohort: cohortOf[column], from: q.from, to: q.to, months: q.windowMonths, asOf: q.asOf }) as (Counts & { problemBehaviour: string })[];
}

const total = (rows: readonly Counts[]): Counts =>
  rows.reduce(
    (t, r) => ({
      cohort: t.cohort + r.cohort,
      reoffended: t.reoffended + r.reoffended,
      sameVictim: t.sameVictim + r.sameVictim,
      newVictim: t.newVictim + r.newVictim,
      stillInFollowUp: t.stillInFollowUp + r.stillInFollowUp,
    }),
    { cohort: 0, reoffended: 0, sameVictim: 0, newVictim: 0, stillInFollowUp: 0 },
  );

export type ReoffendingRatesOnly = Omit<ReoffendingStats, 'members' | 'therapeuticMembers'>;

/** The rates alone (no member lists): sums over the counts, whatever the size of the cohorts. */
export function reoffendingRates(db: Database.Database, q: ReoffendingQuery): ReoffendingRatesOnly {
  const byBehaviour = cohortCounts(db, 'started_on', q);
  return {
    from: q.from,
    to: q.to,
    windowMonths: q.windowMonths,
    asOf: q.asOf,
    afterInterventionStart: {
      ...ratesFrom(total(byBehaviour)),
      byProblemBehaviour: byBehaviour.map(({ problemBehaviour, ...c }) => ({ problemBehaviour, ...ratesFrom(c) })),
    },
    afterCompletedTherapeuticIntervention: ratesFrom(total(cohortCounts(db, 'therapy_completed_on', q))),
  };
}

/** `from` and `to` are ISO dates, both inclusive, on the follow-up start. Every member listed: for a bounded period. */
export function reoffendingStats(db: Database.Database, q: ReoffendingQuery): ReoffendingStats {
  return { ...reoffendingRates(db, q), members: cohortMembers(db, 'started_on', q), therapeuticMembers: cohortMembers(db, 'therapy_completed_on', q) };
}

/** The rates with a page of each cohort's members: what the route answers, in time for a national year. */
export function reoffendingReport(
  db: Database.Database,
  q: ReoffendingQuery,
  pages: { limit: number; membersAfter?: string | undefined; therapeuticMembersAfter?: string | undefined },
): ReoffendingRatesOnly & { members: MemberPage; therapeuticMembers: MemberPage } {
  const rates = reoffendingRates(db, q);
  return {
    ...rates,
    members: cohortPage(db, 'started_on', q, { limit: pages.limit, after: pages.membersAfter, cohortSize: rates.afterInterventionStart.cohort }),
    therapeuticMembers: cohortPage(db, 'therapy_completed_on', q, {
      limit: pages.limit,
      after: pages.therapeuticMembersAfter,
      cohortSize: rates.afterCompletedTherapeuticIntervention.cohort,
    }),
  };
}

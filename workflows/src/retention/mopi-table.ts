/**
 * The MoPI retention rule: which review group a case falls in, and when its review falls due. College of Policing
 * APP "Information management: Review, retention and disposal" (Management of Police Information,
 * https://www.college.police.uk/app/information-management/management-police-information/retention-review-and-disposal)
 * sorts records into three groups:
 *   1. certain public protection matters: kept until the subject is deemed to be 100, reviewed every 10 years to
 *      check the record is still adequate and up to date (not to dispose of it);
 *   2. other sexual, violent or serious offences: reviewed after a 10-year clear period;
 *   3. all other offences: reviewed after a 6-year clear period, then disposed of unless there is a reason to keep.
 * A "clear period" is time in which the subject did not come to notice again, so a case's clock starts on the day
 * the unit closed it; a reopening (a new referral about the same perpetrator) stops it and the next closure
 * starts it afresh. Open cases are not reviewed: the unit working a case is its policing purpose.
 *
 * Forces adapt the grouping, and the date of birth a "deemed 100" needs is personal data the engine does not
 * compute with, so the whole table is configuration (HRU_RETENTION_TABLE, validated in @hru/infra); this is its
 * default, written out in the README. Pure: no clock.
 */
import type { MopiGroup, ProblemBehaviour, RiskIndicator, Service } from '@hru/events';

/** What puts a case in a group: any one of these facts of its classification is enough. */
export interface MopiCriteria {
  problemBehaviours: readonly ProblemBehaviour[];
  /** Home Office offence codes (e.g. `8/65`) matched against the crime's principal offence. */
  principalOffenceCodes: readonly string[];
  indicators: readonly RiskIndicator[];
  /** Services the case was directed to (MAPPA makes a case a public protection matter). */
  services: readonly Service[];
}

/** The table as HRU_RETENTION_TABLE holds it (infra validates the JSON). */
export interface RetentionTable {
  /** Years from the start of the clear period (closure) to the first review, and from a review to the next, per group. */
  reviewYears: Readonly<Record<'1' | '2' | '3', number>>;
  /** Groups whose review may dispose of a case; group 1 is kept until the subject is deemed 100. */
  disposableGroups: readonly MopiGroup[];
  /** Group 1 when any of these match; else group 2 when any of its criteria match; else group 3. */
  group1: MopiCriteria;
  group2: MopiCriteria;
}

export const defaultRetentionTable: RetentionTable = {
  reviewYears: { '1': 10, '2': 10, '3': 6 },
  disposableGroups: [2, 3],
  group1: { problemBehaviours: ['sexual_violence'], principalOffenceCodes: [], indicators: ['sexual_violence'], services: ['mappa'] },
  group2: {
    problemBehaviours: ['stalking', 'serial_domestic_abuse'],
    principalOffenceCodes: [],
    indicators: ['threats_to_kill', 'strangulation', 'weapon'],
    services: [],
  },
};

/** The classification of a case the rule reads: no personal data. */
export interface RetentionFacts {
  problemBehaviour: ProblemBehaviour | null;
  principalOffenceCode: string | null;
  indicators: readonly RiskIndicator[];
  services: readonly Service[];
}

function matches(criteria: MopiCriteria, facts: RetentionFacts): boolean {
  return (
    (facts.problemBehaviour !== null && criteria.problemBehaviours.includes(facts.problemBehaviour)) ||
    (facts.principalOffenceCode !== null && criteria.principalOffenceCodes.includes(facts.principalOffenceCode)) ||
    facts.indicators.some((i) => criteria.indicators.includes(i)) ||
    facts.services.some((s) => criteria.services.includes(s))
  );
}

/** The case's group: the most protective one whose criteria it meets. */
export function mopiGroupOf(table: RetentionTable, facts: RetentionFacts): MopiGroup {
  if (matches(table.group1, facts)) return 1;
  if (matches(table.group2, facts)) return 2;
  return 3;
}

/**
 * The ISO date `years` after `from` (an ISO date or time; its calendar day counts). 29 February falls back to
 * 28 February in a year without one: a review is never later than the period says.
 */
export function addYears(from: string, years: number): string {
  const [y, m, d] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return new Date(Date.UTC(y + years, m - 1, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** When a review falls due, `from` the start of the clear period or the last review. */
export function reviewDueFrom(table: RetentionTable, group: MopiGroup, from: string): string {
  return addYears(from, table.reviewYears[group]);
}

export function mayDispose(table: RetentionTable, group: MopiGroup): boolean {
  return table.disposableGroups.includes(group);
}

/** The rule over one table, as the retention queue applies it (projections know the shape, not the workflow). */
export function retentionRuleOf(table: RetentionTable) {
  return {
    groupOf: (facts: RetentionFacts) => mopiGroupOf(table, facts),
    reviewDue: (group: MopiGroup, from: string) => reviewDueFrom(table, group, from),
    shortestYears: Math.min(...Object.values(table.reviewYears)),
  };
}

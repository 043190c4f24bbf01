/**
 * The retention queue: closed cases whose MoPI review falls due on or before a date, each with its group and due
 * date worked out by the configured rule: the caller passes `retentionRuleOf(table)` of @hru/workflows, the very
 * rule the `review-retention` decision applies (the read model needs nothing of the workflow but its events).
 */
import type Database from 'better-sqlite3';
import type { MopiGroup, ProblemBehaviour, RiskIndicator, Service } from '@hru/events';
import type { RetentionCaseRow } from './schema.js';

/** The MoPI rule as the queue uses it. */
export interface RetentionRule {
  groupOf(facts: { problemBehaviour: ProblemBehaviour | null; principalOffenceCode: string | null; indicators: readonly RiskIndicator[]; services: readonly Service[] }): MopiGroup;
  /** The date a review falls due, `from` the start of the clear period. */
  reviewDue(group: MopiGroup, from: string): string;
  /** The shortest review period, in years: a case closed more recently than that is not due. */
  shortestYears: number;
}

export interface RetentionDue {
  referralId: string;
  mopiGroup: MopiGroup;
  /** When the review falls due: the date a retain set, else the closure plus the group's review period. */
  reviewDue: string;
  closedOn: string;
  lastDecision: 'retain' | null;
  lastReviewedOn: string | null;
}

function dueOf(rule: RetentionRule, row: RetentionCaseRow): RetentionDue | undefined {
  if (row.closed_on === null || row.last_decision === 'dispose') return undefined;
  const mopiGroup = rule.groupOf({
    problemBehaviour: row.problem_behaviour as ProblemBehaviour,
    principalOffenceCode: row.principal_offence_code,
    indicators: JSON.parse(row.indicators) as RiskIndicator[],
    services: JSON.parse(row.services) as Service[],
  });
  return {
    referralId: row.referral_id,
    mopiGroup,
    reviewDue: row.next_review_due ?? rule.reviewDue(mopiGroup, row.closed_on),
    closedOn: row.closed_on,
    lastDecision: row.last_decision,
    lastReviewedOn: row.last_decision ? row.reviewed_on : null,
  };
}

/**
 * Cases due for review on or before `on` (ISO date), the longest overdue first. SQL keeps only the rows that can
 * be due (a retain's date, or a closure at least the shortest period before `on`; a day's slack for 29 February);
 * the group, which the table decides, is worked out here.
 */
export function retentionDue(db: Database.Database, rule: RetentionRule, on: string, limit = 1_000): RetentionDue[] {
  const rows = db
    .prepare<{ on: string; years: string }, RetentionCaseRow>(
      `SELECT * FROM retention_cases
       WHERE closed_on IS NOT NULL AND last_decision IS NOT 'dispose'
         AND CASE WHEN next_review_due IS NOT NULL THEN next_review_due <= @on
                  ELSE date(closed_on, @years, '-1 day') <= @on END`,
    )
    .all({ on, years: `+${rule.shortestYears} years` });
  return rows
    .map((row) => dueOf(rule, row))
    .filter((due): due is RetentionDue => due !== undefined && due.reviewDue <= on)
    .sort((a, b) => a.reviewDue.localeCompare(b.reviewDue) || a.referralId.localeCompare(b.referralId))
    .slice(0, limit);
}

/** One case as the queue would show it, due or not; undefined while it is open, once disposed of, or unknown. */
export function retentionOf(db: Database.Database, rule: RetentionRule, referralId: string): RetentionDue | undefined {
  const row = db.prepare<[string], RetentionCaseRow>('SELECT * FROM retention_cases WHERE referral_id = ?').get(referralId);
  return row ? dueOf(rule, row) : undefined;
}

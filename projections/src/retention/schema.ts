/**
 * The retention read model (MoPI): one row per case with the facts its review date follows from. The group and
 * the due date are worked out when asked, with the configured table (see queries.ts), so a change to
 * HRU_RETENTION_TABLE applies at once, without a rebuild, and the model splits by stream like the others. No
 * personal data: ids, dates, the classification, the last decision.
 */
export const retentionTables = ['retention_cases'] as const;

export const retentionEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'DirectedToService',
  'ReferralClosed',
  'ReferralReopened',
  'RetentionReviewed',
] as const;
export type RetentionEventType = (typeof retentionEventTypes)[number];

export interface RetentionCaseRow {
  referral_id: string;
  problem_behaviour: string;
  principal_offence_code: string | null;
  indicators: string;
  services: string;
  closed_on: string | null;
  last_decision: 'retain' | 'dispose' | null;
  reviewed_group: number | null;
  reviewed_on: string | null;
  next_review_due: string | null;
}

export const retentionSchema = `
  CREATE TABLE retention_cases (
    referral_id            TEXT PRIMARY KEY,
    problem_behaviour      TEXT NOT NULL,
    principal_offence_code TEXT,
    indicators             TEXT NOT NULL DEFAULT '[]',  -- JSON array of risk indicators
    services               TEXT NOT NULL DEFAULT '[]',  -- JSON array of services the case was directed to
    closed_on              TEXT,   -- ISO date of the last closure: the clear period runs from it; NULL while open
    last_decision          TEXT,   -- retain | dispose; NULL before the first review (or since a reopening)
    reviewed_group         INTEGER, -- the MoPI group the last review recorded
    reviewed_on            TEXT,
    next_review_due        TEXT    -- set by a retain after the last closure; NULL = closure + the group's period
  ) WITHOUT ROWID;
  CREATE INDEX retention_cases_by_closure ON retention_cases (closed_on) WHERE closed_on IS NOT NULL
`;

/** One row per referral, open or closed: the stage it is in (as the workflow machine names it) and since when. */
export const caseloadTables = ['caseload_cases'] as const;

/** The events that move a case or change its row. */
export const caseloadEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'TriageCompleted',
  'ScreeningCompleted',
  'CaseDiscussionHeld',
  'ManagementPlanAgreed',
  'DirectedToService',
  'ReferralAssigned',
  'CaseReviewed',
  'UrgentActionRaised',
  'UrgentActionResolved',
  'ReferralClosed',
  'ReferralReopened',
  'RetentionReviewed',
] as const;
export type CaseloadEventType = (typeof caseloadEventTypes)[number];

/**
 * The stages a case is shown in, in the order the work moves. They are the workflow machine's stage names (a spec
 * holds the two lists equal), declared here so that the read model needs nothing of the workflow but its events.
 */
export const caseloadStages = [
  'awaiting_triage',
  'awaiting_screening',
  'advice_only',
  'awaiting_case_discussion',
  'case_discussion_held',
  'under_management',
  'closed',
] as const;
export type CaseloadStage = (typeof caseloadStages)[number];

/** One row of `caseload_cases`, as SQLite returns it. */
export interface CaseloadCaseRow {
  referral_id: string;
  problem_behaviour: string;
  stage: string;
  stage_since: string;
  received_at: string;
  owner_sub: string | null;
  owner_agency: string | null;
  open_alerts: number;
  next_review_due: string | null;
  closed_at: string | null;
  crime_reference: string | null;
  offence_code: string | null;
  principal_offence: string | null;
  dash_yes_count: number | null;
  indicators: string | null;
}

export const caseloadSchema = `
  CREATE TABLE caseload_cases (
  referral_id       TEXT PRIMARY KEY,
  problem_behaviour TEXT NOT NULL,
  stage             TEXT NOT NULL,
    stage_since       TEXT NOT NULL,   -- occurredAt of the event that moved it there
  received_at       TEXT NOT NULL,
  owner_sub         TEXT,
  owner_agency      TEXT,
    open_alerts       INTEGER NOT NULL DEFAULT 0,  -- raised and not yet resolved
    next_review_due   TEXT,            -- ISO date from the last review
    closed_at         TEXT,
    -- The case's context (version 2; no personal data: the crime reference is the source system's, outside
    -- \`personal\`), shown wherever a case is listed.
    crime_reference   TEXT,
    offence_code      TEXT,            -- the principal offence's Home Office classification
    principal_offence TEXT,
    dash_yes_count    INTEGER,
    indicators        TEXT             -- JSON array of risk indicator names
  ) WITHOUT ROWID;
  CREATE INDEX caseload_cases_by_stage ON caseload_cases (stage, stage_since);
  CREATE INDEX caseload_cases_by_owner ON caseload_cases (owner_sub) WHERE owner_sub IS NOT NULL;
  CREATE INDEX caseload_cases_by_crime ON caseload_cases (crime_reference);
  CREATE INDEX caseload_cases_by_order ON caseload_cases (open_alerts > 0 DESC, received_at, referral_id);
`;

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
  /** 0 while an alert is open, 1 otherwise (version 3): see the schema. */
  urgency_rank: number;
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
    -- 0 while an alert is open, 1 otherwise (version 3): the lists' first sort key, urgent first. A column, not
    -- the expression \`open_alerts > 0 DESC\`: a keyset cursor is then one ascending row-value range over an index
    -- (SQLite does not range-seek a row value over an expression, nor mixed ASC and DESC keys).
    urgency_rank      INTEGER NOT NULL DEFAULT 1,
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
  -- Each list's filter then its order (urgency_rank, then a date, then referral_id): a page, and a page after a
  -- keyset cursor, is one index range read for as many rows as it holds, whatever the table's size (version 3).
  -- The active caseload (the default list; \`urgent\` filters on its first column). Problem behaviour and owner
  -- last: \`problemBehaviour\` and \`unassigned\` are checked in the index, without reading rows the page leaves out.
  CREATE INDEX caseload_cases_active_order ON caseload_cases (urgency_rank, received_at, referral_id, problem_behaviour, owner_sub) WHERE stage <> 'closed';
  -- With closed cases (\`includeClosed\`).
  CREATE INDEX caseload_cases_order ON caseload_cases (urgency_rank, received_at, referral_id);
  -- next_review_due last: \`reviewDue\` checks it in the index, without reading the row of a case not yet due.
  CREATE INDEX caseload_cases_by_stage ON caseload_cases (stage, urgency_rank, received_at, referral_id, next_review_due);
  CREATE INDEX caseload_cases_by_owner ON caseload_cases (owner_sub, urgency_rank, received_at, referral_id) WHERE owner_sub IS NOT NULL;
  -- The stage queues, oldest in the stage first; and their counts (a covering range per stage).
  CREATE INDEX caseload_cases_queue_order ON caseload_cases (stage, urgency_rank, stage_since, referral_id);
  -- The reviews-due queue, by due date; its count is two covering ranges (urgency_rank IN (0, 1), due <= today).
  CREATE INDEX caseload_cases_reviews ON caseload_cases (stage, urgency_rank, next_review_due, referral_id) WHERE next_review_due IS NOT NULL;
  CREATE INDEX caseload_cases_by_crime ON caseload_cases (crime_reference, urgency_rank, received_at, referral_id);
`;

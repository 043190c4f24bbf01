/**
 * Countable facts, one row each with the date it counts on, and the intervals each case was open: enough to
 * answer the headline statistics for any past period exactly as the events would.
 */
export const statsTables = ['stats_facts', 'stats_open_intervals'] as const;

export const factKinds = [
  'advocate_contact_offered',
  'advocate_contact_engaged',
  'tactical_or_investigative_review',
  'spo_advised',
  'spo_applied',
  'mappa_support',
  'da_disclosure_to_probation',
  'direct_constable_intervention',
  'health_involvement',
  'therapeutic_intervention_started',
] as const;
export type FactKind = (typeof factKinds)[number];

export const statsSchema = `
  CREATE TABLE stats_facts (
    referral_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,    -- ISO date the fact counts on
    position    INTEGER NOT NULL  -- the event it came from, for tracing a figure back to the log
  );
  CREATE INDEX stats_facts_by_kind ON stats_facts (kind, on_date);
  CREATE TABLE stats_open_intervals (
    referral_id       TEXT NOT NULL,
    problem_behaviour TEXT NOT NULL,
    opened_on         TEXT NOT NULL,
    closed_on         TEXT,         -- NULL while open; a reopening starts a new interval
    PRIMARY KEY (referral_id, opened_on)
  ) WITHOUT ROWID;
  CREATE INDEX stats_open_intervals_by_dates ON stats_open_intervals (opened_on, closed_on);
`;

/**
 * Countable facts (legal measures' steps and clocks in tables of their own, ./measure-facts.ts), one row each with the date it counts on, and the intervals each case was open: enough to
 * answer the headline statistics for any past period exactly as the events would. The queries read the counts
 * pre-aggregated from these rows (./aggregate-schema.ts); the rows are what the counts are kept from.
 */
import { aggregateSchema, aggregateTables } from './aggregate-schema.js';

export const statsTables = ['stats_facts', 'stats_open_intervals', 'stats_measure_steps', 'stats_deadlines', ...aggregateTables] as const;

export const factKinds = [
  'advocate_contact_offered',
  'advocate_contact_engaged',
  'tactical_or_investigative_review',
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
    position    INTEGER NOT NULL, -- the event it came from, for tracing a figure back to the log
    PRIMARY KEY (referral_id, position, kind)  -- a case's facts, read to keep the counts (./aggregates.ts)
  ) WITHOUT ROWID;
  CREATE TABLE stats_open_intervals (
    referral_id       TEXT NOT NULL,
    problem_behaviour TEXT NOT NULL,
    opened_on         TEXT NOT NULL,
    closed_on         TEXT,         -- NULL while open; a reopening starts a new interval
    PRIMARY KEY (referral_id, opened_on)
  ) WITHOUT ROWID;
  CREATE TABLE stats_measure_steps (
    referral_id  TEXT NOT NULL,
    position     INTEGER NOT NULL,   -- the event it came from
    measure_id   TEXT,               -- NULL for a legacy intervention (record-intervention spo_*, mappa_support)
    measure_kind TEXT NOT NULL,      -- spo | dvpo | bail | mappa | disclosure_scheme
    step         TEXT NOT NULL,      -- advised, applied, granted, breached, notice_issued, order_granted, extended, accepted…
    at           TEXT,               -- when it happened (NULL for a legacy intervention, which had a date only)
    on_date      TEXT NOT NULL,      -- the Europe/London date it counts on (a breach: the date of the breach)
    detail       TEXT,               -- an extension's authority: inspector | superintendent | court
    PRIMARY KEY (referral_id, position)
  ) WITHOUT ROWID;
  CREATE TABLE stats_deadlines (
    referral_id TEXT NOT NULL,
    deadline_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    due_on      TEXT NOT NULL,       -- the Europe/London date it falls due on
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,       -- open | missed | met | cancelled | expired
    missed      INTEGER NOT NULL,    -- ever reported missed (kept when met late)
    late        INTEGER NOT NULL,    -- met after its due time
    PRIMARY KEY (referral_id, deadline_id)
  ) WITHOUT ROWID;
  ${aggregateSchema}
`;

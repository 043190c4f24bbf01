/**
 * Tables of the perpetrators read model (issue #21). The projection keeps the facts per referral, the suspects and
 * victims of each (party ids: pseudonyms, never names), the links staff made between party ids and the tasking
 * meetings' decisions; it marks the suspects whose score is stale. The scores themselves depend on the day (recency
 * decays) and on the configuration, so `rescore` writes them, not `apply`: a rebuild or a new configuration version
 * scores everyone again, and otherwise only the stale ones are.
 */
export const perpetratorTables = [
  'perpetrators_referrals',
  'perpetrators_parties',
  'perpetrators_links',
  'perpetrators_decisions',
  'perpetrators_stale',
  'perpetrators_scores',
  'perpetrators_members',
  'perpetrators_score_meta',
] as const;

export const perpetratorEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'RiskAssessmentRecorded',
  'FormulationRecorded',
  'ManagementPlanAgreed',
  'UrgentActionRaised',
  'UrgentActionResolved',
  'CrimeOutcomeRecorded',
  'ReferralClosed',
  'PartiesLinked',
  'PartiesUnlinked',
  'TaskingDecisionRecorded',
] as const;

export const perpetratorSchema = `
  CREATE TABLE perpetrators_referrals (
    referral_id       TEXT PRIMARY KEY,
    crime_on          TEXT NOT NULL,     -- the crime's recorded day: an incident's date
    area              TEXT,              -- the policing area that recorded it, when the source said
    problem_behaviour TEXT NOT NULL,
    offence_codes     TEXT NOT NULL,     -- Home Office classifications, comma-separated
    indicators        TEXT NOT NULL,     -- intake risk indicators, comma-separated
    closed            INTEGER NOT NULL DEFAULT 0,
    open_alerts       INTEGER NOT NULL DEFAULT 0,
    risk_id           TEXT,              -- the latest risk assessment (ids and dates only: the rationale stays in the log)
    risk_on           TEXT,
    dash_yes_count    INTEGER,
    formulation_id    TEXT,              -- the latest formulation
    stalker_type      TEXT,
    plan_agreed_on    TEXT,              -- the first management plan
    charged_on        TEXT               -- the first Home Office outcome 1 (charged or summonsed)
  ) WITHOUT ROWID;
  CREATE TABLE perpetrators_parties (
    referral_id TEXT NOT NULL,
    role        TEXT NOT NULL,  -- 'suspect' (suspect or offender) or 'victim'
    party_id    TEXT NOT NULL,
    PRIMARY KEY (referral_id, role, party_id)
  ) WITHOUT ROWID;
  CREATE INDEX perpetrators_parties_by_party ON perpetrators_parties (party_id, role);
  CREATE TABLE perpetrators_links (
    party_id       TEXT NOT NULL,  -- the lower id of the pair
    same_person_as TEXT NOT NULL,
    linked_at      TEXT NOT NULL,
    linked_by      TEXT NOT NULL,  -- staff sub
    PRIMARY KEY (party_id, same_person_as)
  ) WITHOUT ROWID;
  CREATE INDEX perpetrators_links_back ON perpetrators_links (same_person_as, party_id);
  CREATE TABLE perpetrators_decisions (
    party_id       TEXT NOT NULL,
    meeting_on     TEXT NOT NULL,
    decision       TEXT NOT NULL,  -- adopt | not_adopt | defer
    score          REAL NOT NULL,  -- as the meeting saw it
    config_version TEXT NOT NULL,
    attendees      TEXT NOT NULL,  -- JSON [{agency, count}]
    decided_at     TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    PRIMARY KEY (party_id, meeting_on)
  ) WITHOUT ROWID;
  CREATE INDEX perpetrators_decisions_by_meeting ON perpetrators_decisions (meeting_on, party_id);
  CREATE TABLE perpetrators_stale (party_id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE perpetrators_scores (
    canonical_id       TEXT PRIMARY KEY,  -- the lowest party id of the linked ids
    members            TEXT NOT NULL,     -- every party id of the person, comma-separated
    score              REAL NOT NULL,
    recency            REAL NOT NULL,
    frequency          REAL NOT NULL,
    gravity            REAL NOT NULL,
    victims            REAL NOT NULL,
    incidents_in_window INTEGER NOT NULL,
    distinct_victims   INTEGER NOT NULL,
    referrals          INTEGER NOT NULL,
    last_incident_on   TEXT,
    behaviours         TEXT NOT NULL,     -- ',stalking,sexual_violence,' (commas around each, for a LIKE filter)
    areas              TEXT NOT NULL,     -- ',North,South,' the same way (an area has no comma)
    changes_on         TEXT               -- the first day the day alone changes the score (version 3); NULL: none
  ) WITHOUT ROWID;
  CREATE INDEX perpetrators_scores_ranked ON perpetrators_scores (score DESC, canonical_id);
  -- A new day rescores the people whose day has come, found here, not everyone (issue 20).
  CREATE INDEX perpetrators_scores_by_change ON perpetrators_scores (changes_on) WHERE changes_on IS NOT NULL;
  -- The ids of people with more than one (a person with one id is their own canonical id, and has no row here).
  CREATE TABLE perpetrators_members (party_id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX perpetrators_members_by_canonical ON perpetrators_members (canonical_id);
  CREATE TABLE perpetrators_score_meta (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    config_version TEXT NOT NULL,
    as_of          TEXT NOT NULL
  );
`;

export interface PerpetratorReferralRow {
  referral_id: string;
  crime_on: string;
  area: string | null;
  problem_behaviour: string;
  offence_codes: string;
  indicators: string;
  closed: number;
  open_alerts: number;
  risk_id: string | null;
  risk_on: string | null;
  dash_yes_count: number | null;
  formulation_id: string | null;
  stalker_type: string | null;
  plan_agreed_on: string | null;
  charged_on: string | null;
}

export interface PerpetratorScoreRow {
  canonical_id: string;
  members: string;
  score: number;
  recency: number;
  frequency: number;
  gravity: number;
  victims: number;
  incidents_in_window: number;
  distinct_victims: number;
  referrals: number;
  last_incident_on: string | null;
  behaviours: string;
  areas: string;
  changes_on: string | null;
}

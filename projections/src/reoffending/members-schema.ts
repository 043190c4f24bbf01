/**
 * The cohorts' members with their first re-offence, and the members counted by follow-up start (issue #20).
 * `months` is the shortest window, in whole months, that holds the first re-offence: a member re-offended within a
 * window of N months exactly when months <= N (date(follow_from, '+N months') grows with N). NO_REOFFENCE: none
 * within the longest window a query may ask for (./members.ts).
 *
 * The windows (6, 12, 24, 36 months, or any up to 120) all start on the follow-up start, so each holds a prefix of
 * the member's later crimes: the first re-offence within a window is the first one overall when the window reaches
 * it, and none otherwise. One first re-offence per member therefore answers every window.
 *
 * The index tables below are what keeps the work per event bounded (./members.ts); each is keyed so that
 * `apply` finds its rows by primary key (a rebuild creates secondary indexes only after loading).
 */
export const NO_REOFFENCE = 9999;

export const membersSchema = `
  CREATE TABLE reoffending_members (
    cohort            TEXT NOT NULL,     -- 'start' (intervention started) | 'therapy' (therapy completed)
    referral_id       TEXT NOT NULL,
    follow_from       TEXT NOT NULL,     -- started_on or therapy_completed_on
    problem_behaviour TEXT NOT NULL,
    first_id          TEXT,              -- the first re-offence within the longest window (NULL: none)
    first_on          TEXT,
    same_victim       INTEGER NOT NULL,  -- 1 when the first re-offence shares a victim with this referral
    months            INTEGER NOT NULL,  -- see above; ${NO_REOFFENCE} when none
    PRIMARY KEY (cohort, referral_id)
  ) WITHOUT ROWID;
  CREATE INDEX reoffending_members_by_start ON reoffending_members (cohort, follow_from, referral_id);
  CREATE TABLE reoffending_daily (
    cohort            TEXT NOT NULL,
    follow_from       TEXT NOT NULL,
    problem_behaviour TEXT NOT NULL,
    months            INTEGER NOT NULL,
    same_victim       INTEGER NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (cohort, follow_from, problem_behaviour, months, same_victim)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_offences (  -- the referrals that count as a re-offence, by perpetrator and crime date
    party_id    TEXT NOT NULL,
    crime_on    TEXT NOT NULL,
    referral_id TEXT NOT NULL,
    PRIMARY KEY (party_id, crime_on, referral_id)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_by_start (  -- the members, by perpetrator and follow-up start
    party_id    TEXT NOT NULL,
    cohort      TEXT NOT NULL,
    follow_from TEXT NOT NULL,
    referral_id TEXT NOT NULL,
    PRIMARY KEY (party_id, cohort, follow_from, referral_id)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_first_of (  -- the members whose first re-offence a referral is
    first_id    TEXT NOT NULL,
    cohort      TEXT NOT NULL,
    referral_id TEXT NOT NULL,
    PRIMARY KEY (first_id, cohort, referral_id)
  ) WITHOUT ROWID
`;

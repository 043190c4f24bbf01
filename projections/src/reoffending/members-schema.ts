/**
 * The cohorts' members with their first re-offence, and the members counted by follow-up start (issue #20).
 * `months` is the shortest window, in whole months, that holds the first re-offence: a member re-offended within a
 * window of N months exactly when months <= N (date(follow_from, '+N months') grows with N). NO_REOFFENCE: none yet.
 */
export const NO_REOFFENCE = 9999;

export const membersSchema = `
  CREATE TABLE reoffending_members (
    cohort            TEXT NOT NULL,     -- 'start' (intervention started) | 'therapy' (therapy completed)
    referral_id       TEXT NOT NULL,
    follow_from       TEXT NOT NULL,     -- started_on or therapy_completed_on
    problem_behaviour TEXT NOT NULL,
    first_id          TEXT,              -- the first re-offence, whatever the window (NULL: none)
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
  ) WITHOUT ROWID
`;

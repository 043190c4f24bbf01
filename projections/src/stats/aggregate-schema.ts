/** The tables of the statistics' pre-aggregated counts (./aggregates.ts keeps them, ./contributions.ts says what goes in). */
export const aggregateSchema = `
  CREATE TABLE stats_day_counts (
    counter TEXT NOT NULL,      -- fact:<kind>, step:<measure>:<step>[:<detail>], deadline:<kind>:<status>:<missed>:<late>,
                                -- dvpo:notice_converted, received, closed, open, open:<problem behaviour>
    on_date TEXT NOT NULL,
    n       INTEGER NOT NULL,   -- for open*: +1 cases opening, -1 closing on the day
    PRIMARY KEY (counter, on_date)
  ) WITHOUT ROWID;
  CREATE TABLE stats_first_days (
    counter TEXT NOT NULL,      -- cases:<fact kind>
    on_date TEXT NOT NULL,      -- a distinct date of a case's facts of the kind
    prev_on TEXT NOT NULL,      -- the case's date of that kind before it, '' for its first
    n       INTEGER NOT NULL,
    PRIMARY KEY (counter, on_date, prev_on)
  ) WITHOUT ROWID;
  CREATE TABLE stats_open_segments (
    counter   TEXT NOT NULL,    -- fact:health_involvement, step:mappa:accepted
    reach     TEXT NOT NULL,    -- the latest closing of the intervals opened so far ('~': one is open)
    seg_from  TEXT NOT NULL,    -- period ends from this date ...
    seg_until TEXT NOT NULL,    -- ... to before this one ('~': no end) count the case when reach >= the period's start
    n         INTEGER NOT NULL,
    PRIMARY KEY (counter, reach, seg_from, seg_until)
  ) WITHOUT ROWID
`;

export const aggregateTables = ['stats_day_counts', 'stats_first_days', 'stats_open_segments'] as const;

/**
 * The research extract's read model (issue #20): one row per case with its fold (workflows' pseudonymised fold) and
 * its extract rows rendered as JSON, in the extract's own order, so a page of a month is a range read and string
 * joins. No personal data: enumerated values, counts, months and keyed pseudonyms (HRU_PSEUDONYM_KEY); never a name,
 * a date of birth, an exact date, a reference, an id or free text.
 */
export const RESEARCH_PROJECTION = 'research';

/**
 * 2: each case's extract rows stored rendered beside its fold. A model of an earlier version keeps serving its old
 * tables while the new one is rebuilt (the runner's swap), and they lack the rendered rows: the read answers only
 * from a model of this version.
 */
export const RESEARCH_VERSION = 2;

export const researchTables = ['research_cases', 'research_key'] as const;

export const researchSchema = `
  -- A rowid table, not WITHOUT ROWID: a fold is about a kilobyte of JSON, which a WITHOUT ROWID row (a B-tree of
  -- keys, at most about 1,000 bytes a cell on 4 KB pages) spills to an overflow page of its own; here it is inline.
  CREATE TABLE research_cases (
    case_pseudonym TEXT NOT NULL UNIQUE, -- the extract's case pseudonym (a keyed HMAC of the referral id): how apply finds the row
    received_month TEXT NOT NULL,        -- YYYY-MM (UTC), the extract's period selects by it
    fold           TEXT NOT NULL,        -- the case's fold, ids pseudonymised, as JSON
    case_row       TEXT NOT NULL,        -- its extract row as JSON, rendered from the fold when it changes (a page joins them)
    intervention_rows TEXT NOT NULL      -- its intervention rows, a line each: month, kind, row as JSON (workflows' rendered-rows.ts)
  );
  CREATE TABLE research_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL               -- the public fingerprint of the key the pseudonyms were made with
  );
  -- The extract's order: a page is the next rows of this index after the cursor.
  CREATE INDEX research_cases_in_order ON research_cases (received_month, case_pseudonym)
`;

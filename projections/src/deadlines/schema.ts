/**
 * Tables of the deadlines read model: one row per clock of a referral (its latest version), and the kind of each
 * measure the clocks belong to. Ids, kinds, roles and times only: no names, no free text (the alert a missed clock
 * raises keeps its words on the referral).
 */
import type { DeadlineKind } from '@hru/events';

export const deadlineTables = ['deadlines_items', 'deadlines_measures'] as const;

/** How a clock stands in the model, as the referral's fold names it (DeadlineState.status). */
export const deadlineRowStatuses = ['open', 'missed', 'met', 'cancelled', 'expired'] as const;
export type DeadlineRowStatus = (typeof deadlineRowStatuses)[number];

/** One row of `deadlines_items`, as SQLite returns it. */
export interface DeadlineItemRow {
  referral_id: string;
  deadline_id: string;
  kind: DeadlineKind;
  clock: string;
  measure_id: string | null;
  measure_kind: string | null;
  owner: string;
  trigger_at: string;
  due_at: string;
  warn_at: string | null;
  warned_at: string | null;
  status: DeadlineRowStatus;
  missed_at: string | null;
  closed_at: string | null;
  late: number;
  version: number;
}

export const deadlineSchema = `
  CREATE TABLE deadlines_items (
    referral_id  TEXT NOT NULL,
    deadline_id  TEXT NOT NULL,          -- d1, d2… per referral
    kind         TEXT NOT NULL,          -- spo_notification | dvpo_hearing | … (DeadlineKind)
    clock        TEXT NOT NULL,          -- the clock rule that computed due_at
    measure_id   TEXT,                   -- NULL for obligations of the case (a Victims' Code contact, a plan review)
    measure_kind TEXT,                   -- spo | dvpo | bail | mappa | disclosure_scheme, when known
    owner        TEXT NOT NULL,          -- the role that must act
    trigger_at   TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    warn_at      TEXT,
    warned_at    TEXT,
    status       TEXT NOT NULL,          -- open | missed | met | cancelled | expired
    missed_at    TEXT,                   -- when it was reported missed (kept when met late)
    closed_at    TEXT,                   -- when what met, cancelled or expired it happened
    late         INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL,       -- a moved clock keeps its id with the next version
    PRIMARY KEY (referral_id, deadline_id)
  ) WITHOUT ROWID;
  CREATE TABLE deadlines_measures (
    referral_id TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    PRIMARY KEY (referral_id, measure_id)
  ) WITHOUT ROWID;
  CREATE INDEX deadlines_items_by_due ON deadlines_items (due_at, referral_id, deadline_id);
  CREATE INDEX deadlines_items_unmet ON deadlines_items (due_at) WHERE status IN ('open', 'missed');
  CREATE INDEX deadlines_items_by_status ON deadlines_items (status, due_at);
  CREATE INDEX deadlines_items_missed ON deadlines_items (due_at) WHERE missed_at IS NOT NULL;
  CREATE INDEX deadlines_items_by_owner ON deadlines_items (owner, due_at)
`;

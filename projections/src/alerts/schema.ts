/**
 * Tables of the alerts read model: one row per urgent alert, and one per (alert, kind, level, receiver) webhook
 * delivery. A delivery row is written `pending` when the alert is raised or escalated and settled by the
 * outcome event the delivery worker appends, so pending rows are the outbox the reactor enqueues from.
 * No free text: an alert's reason is personal data (under the event's `personal`), read on the referral; the model
 * keeps its category, who raised it and, for intake rules, which rules matched (version 2 dropped `reason`), and
 * the role it is addressed to (version 3); indexes in the list's order (version 4); the trend's alert counts by day
 * (version 5, ./counts.ts).
 */
export const alertTables = ['alerts_items', 'alerts_deliveries', 'alerts_day_counts'] as const;

export const alertSchema = `
  CREATE TABLE alerts_items (
    alert_id        TEXT PRIMARY KEY,
    referral_id     TEXT NOT NULL,
    raised_by       TEXT NOT NULL,          -- person | intake_rule | deadline | breach: the reason's category
    addressed_to    TEXT NOT NULL,          -- the role that must act (supervisors see every alert)
    rules           TEXT NOT NULL,          -- JSON array of the intake rules matched ([] when staff raised it)
    raised_at       TEXT NOT NULL,
    status          TEXT NOT NULL,          -- open | escalated | acknowledged | resolved
    level           INTEGER NOT NULL,
    ack_due_at      TEXT,                   -- when the next escalation falls due; NULL = none
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    resolved_at     TEXT
  ) WITHOUT ROWID;
  CREATE TABLE alerts_deliveries (
    alert_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,               -- raised | escalated
    level      INTEGER NOT NULL,
    target     TEXT NOT NULL,
    status     TEXT NOT NULL,               -- pending | delivered | failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, kind, level, target)
  ) WITHOUT ROWID;
  CREATE TABLE alerts_day_counts (
    on_date TEXT NOT NULL,                  -- the UTC day the alerts were raised on
    counter TEXT NOT NULL,                  -- raised | in_time (acknowledged at level 0) | late (acknowledged after escalation)
    n       INTEGER NOT NULL,
    PRIMARY KEY (on_date, counter)
  ) WITHOUT ROWID;
  -- Each list filter, then the list's order (newest first, then alert id), so a page reads its own rows (version 4).
  CREATE INDEX alerts_items_by_time ON alerts_items (raised_at DESC, alert_id);
  CREATE INDEX alerts_items_by_status ON alerts_items (status, raised_at DESC, alert_id);
  CREATE INDEX alerts_items_by_referral ON alerts_items (referral_id, raised_at DESC, alert_id);
  CREATE INDEX alerts_items_by_addressee ON alerts_items (addressed_to, status, raised_at DESC, alert_id);
  CREATE INDEX alerts_items_by_addressee_time ON alerts_items (addressed_to, raised_at DESC, alert_id);
  CREATE INDEX alerts_deliveries_pending ON alerts_deliveries (status) WHERE status = 'pending'
`;

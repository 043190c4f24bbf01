/** Every urgent alert with its current status and the due time of its pending escalation timer. */
export const alertsTables = ['alerts_alerts'] as const;

export const alertStatuses = ['open', 'acknowledged', 'escalated', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export const alertsSchema = `
  CREATE TABLE alerts_alerts (
    alert_id    TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL,
    reason      TEXT NOT NULL,
    raised_by   TEXT NOT NULL,
    raised_at   TEXT NOT NULL,
    status      TEXT NOT NULL,
    level       INTEGER NOT NULL,   -- 0 until the first escalation
    ack_due_at  TEXT,               -- the armed timer; NULL when none is pending
    updated_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX alerts_alerts_by_status ON alerts_alerts (status, raised_at);
  CREATE INDEX alerts_alerts_timers ON alerts_alerts (ack_due_at) WHERE ack_due_at IS NOT NULL;
`;

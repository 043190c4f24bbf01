import type { Migration } from '@hru/infra';

export const alertMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'alerts, their deliveries (the outbox of webhook jobs) and the checkpoint',
    sql: `
      CREATE TABLE alerts (
        alert_id        TEXT PRIMARY KEY,
        referral_id     TEXT NOT NULL,
        reason          TEXT NOT NULL,
        raised_by       TEXT NOT NULL,
        raised_at       TEXT NOT NULL,
        status          TEXT NOT NULL,          -- open | escalated | acknowledged | resolved
        level           INTEGER NOT NULL,
        ack_due_at      TEXT,                   -- when the next escalation falls due; NULL = no timer
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        resolved_at     TEXT,
        position        INTEGER NOT NULL        -- log position of the last event applied to the row
      );
      CREATE INDEX alerts_by_status ON alerts (status, raised_at);
      CREATE INDEX alerts_by_referral ON alerts (referral_id);
      CREATE TABLE alert_deliveries (
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
      CREATE INDEX deliveries_pending ON alert_deliveries (status) WHERE status = 'pending';
      CREATE TABLE alert_checkpoint (
        name     TEXT PRIMARY KEY,
        position INTEGER NOT NULL
      );
    `,
  },
];

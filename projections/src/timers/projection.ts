/**
 * Open timers: every durable timer whose due time an event recorded and no later event closed. The reactor
 * arms a delayed job for each (and re-arms them all after a restart, or when Redis comes back empty). Each
 * timer kind adds the events that open and close it here; the job id and the command it fires are declared
 * with the kind in @hru/application.
 */
import type Database from 'better-sqlite3';
import { timerJobId, timerSubject, type Timer } from '@hru/application';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';

export const TIMERS_PROJECTION = 'timers';

const timerEventTypes = ['UrgentActionRaised', 'UrgentActionEscalated', 'UrgentActionAcknowledged', 'UrgentActionResolved', 'RetentionReviewed'] as const;

type TimerEvent = ProjectedEvent<(typeof timerEventTypes)[number]>;

export const timersProjection = defineProjection({
  name: TIMERS_PROJECTION,
  version: 1,
  eventTypes: timerEventTypes,
  tables: ['timers_open'],
  schema: `
    CREATE TABLE timers_open (
      job_id      TEXT PRIMARY KEY,   -- the timer's deterministic queue job id
      type        TEXT NOT NULL,
      subject     TEXT NOT NULL,      -- what it belongs to (an alert): closing the subject closes its timers
      referral_id TEXT NOT NULL,
      due_at      TEXT NOT NULL,
      timer       TEXT NOT NULL       -- the Timer as JSON
    ) WITHOUT ROWID;
    CREATE INDEX timers_open_by_subject ON timers_open (subject);
    CREATE INDEX timers_open_by_referral ON timers_open (referral_id);
    CREATE INDEX timers_open_by_due ON timers_open (due_at)
  `,
  // Alerting wants each event at once; the other read models gather 20 ms of events per transaction.
  coalesceMs: 0,
  apply: applyTimerEvent,
});

function applyTimerEvent(db: Database.Database, event: TimerEvent): void {
  switch (event.type) {
    case 'UrgentActionRaised': {
      const d = event.data;
      // A history from before due times were recorded escalates at once (due when raised).
      open(db, { type: 'alert-escalation', referralId: d.referralId, alertId: d.alertId, level: 1, dueAt: d.ackDueAt ?? event.metadata.occurredAt });
      return;
    }
    case 'UrgentActionEscalated': {
      const d = event.data;
      close(db, d.alertId);
      if (d.nextAckDueAt !== null) open(db, { type: 'alert-escalation', referralId: d.referralId, alertId: d.alertId, level: d.level + 1, dueAt: d.nextAckDueAt });
      return;
    }
    case 'UrgentActionAcknowledged':
    case 'UrgentActionResolved':
      close(db, event.data.alertId);
      return;
    case 'RetentionReviewed':
      // Disposal (MoPI) purges the case: nothing of it may fire again. A closed case has no open alert, so this
      // is a safeguard. (No log held this event before, so no rebuild.)
      if (event.data.decision === 'dispose') statement(db, 'DELETE FROM timers_open WHERE referral_id = ?').run(event.data.referralId);
      return;
    default: {
      const unexpected: never = event;
      throw new Error(`timers projection got ${(unexpected as { type: string }).type}`);
    }
  }
}

function open(db: Database.Database, timer: Timer): void {
  statement(
    db,
    `INSERT INTO timers_open (job_id, type, subject, referral_id, due_at, timer) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id) DO NOTHING`,
  ).run(timerJobId(timer), timer.type, timerSubject(timer), timer.referralId, timer.dueAt, JSON.stringify(timer));
}

function close(db: Database.Database, subject: string): void {
  statement(db, 'DELETE FROM timers_open WHERE subject = ?').run(subject);
}

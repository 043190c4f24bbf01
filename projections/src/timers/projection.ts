/**
 * Open timers: every durable timer whose due time an event recorded and no later event closed. The reactor
 * arms a delayed job for each (and re-arms them all after a restart, or when Redis comes back empty). Each
 * timer kind adds the events that open and close it here; the job id, the subject and the command it fires are
 * declared with the kind in @hru/application (the one timer table).
 */
import type Database from 'better-sqlite3';
import { deadlineSubject, timerJobId, timerSubject, type DeadlineTimer, type Timer } from '@hru/application/log';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';

export const TIMERS_PROJECTION = 'timers';

const timerEventTypes = [
  'UrgentActionRaised',
  'UrgentActionEscalated',
  'UrgentActionAcknowledged',
  'UrgentActionResolved',
  'RetentionReviewed',
  'DeadlineSet',
  'DeadlineWarned',
  'DeadlineMissed',
  'DeadlineClosed',
] as const;

type TimerEvent = ProjectedEvent<(typeof timerEventTypes)[number]>;

export const timersProjection = defineProjection({
  name: TIMERS_PROJECTION,
  // 2: deadline warning and due timers (DeadlineSet and what closes them).
  // 3: keyed by (subject, job id): a rebuild loads rows before it creates the indexes, and closing a subject
  // through a secondary index then scanned every open timer, once per event (a 100,000-referral log rebuilt at
  // 2,000 events/s). A job id names its subject, so the pair is as unique as the job id alone.
  version: 3,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 0.4,
  eventTypes: timerEventTypes,
  tables: ['timers_open'],
  schema: `
    CREATE TABLE timers_open (
      job_id      TEXT NOT NULL,      -- the timer's deterministic queue job id
      type        TEXT NOT NULL,
      subject     TEXT NOT NULL,      -- what it belongs to (an alert, a deadline): closing the subject closes its timers
      referral_id TEXT NOT NULL,
      due_at      TEXT NOT NULL,
      timer       TEXT NOT NULL,      -- the Timer as JSON
      PRIMARY KEY (subject, job_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX timers_open_by_job ON timers_open (job_id);
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
    case 'DeadlineSet': {
      const d = event.data;
      const base = { referralId: d.referralId, deadlineId: d.deadlineId, version: d.version };
      // A moved deadline (same id, next version) replaces its timers: the old jobs may still fire, and the
      // command ignores a firing of an older version.
      close(db, subjectOf(d));
      open(db, { type: 'deadline-due', ...base, dueAt: d.dueAt });
      if (d.warnAt !== null) open(db, { type: 'deadline-warning', ...base, dueAt: d.warnAt });
      return;
    }
    case 'DeadlineWarned':
      closeJob(db, { type: 'deadline-warning', ...event.data, dueAt: '' });
      return;
    case 'DeadlineMissed': {
      // Missed: nothing of that version is left to fire. The warning goes too (a backdated clock is missed before it
      // could warn, and warning of a clock already missed would record nothing and keep its timer open for ever).
      const d = { referralId: event.data.referralId, deadlineId: event.data.deadlineId, version: event.data.version, dueAt: '' };
      closeJob(db, { type: 'deadline-due', ...d });
      closeJob(db, { type: 'deadline-warning', ...d });
      return;
    }
    case 'DeadlineClosed':
      close(db, subjectOf(event.data));
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

function subjectOf(d: { referralId: string; deadlineId: string }): string {
  return deadlineSubject(d.referralId, d.deadlineId);
}

function open(db: Database.Database, timer: Timer): void {
  statement(
    db,
    `INSERT INTO timers_open (job_id, type, subject, referral_id, due_at, timer) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (subject, job_id) DO NOTHING`,
  ).run(timerJobId(timer), timer.type, timerSubject(timer), timer.referralId, timer.dueAt, JSON.stringify(timer));
}

/** One timer of a subject, by its job id (a warning sent leaves the deadline's due timer open; a missed version leaves a newer one). */
function closeJob(db: Database.Database, timer: DeadlineTimer): void {
  statement(db, 'DELETE FROM timers_open WHERE subject = ? AND job_id = ?').run(timerSubject(timer), timerJobId(timer));
}

function close(db: Database.Database, subject: string): void {
  statement(db, 'DELETE FROM timers_open WHERE subject = ?').run(subject);
}

/**
 * The deadlines read model: every statutory and practice clock of every referral, as its events left it, for the
 * "due and overdue" list across the caseload. It mirrors the referral's own fold (workflows foldDeadline): a clock
 * set again (moved) starts afresh under its id; a warning or a miss of an older version is ignored; closing keeps
 * the time it was missed, so "missed" still shows a clock met late. Disposal (MoPI) purges the case's rows.
 */
import type Database from 'better-sqlite3';
import { measureKindOfEventType, type DeadlineKind, type MeasureKind } from '@hru/events';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { deadlineSchema, deadlineTables } from './schema.js';

export const DEADLINES_PROJECTION = 'deadlines';

export const deadlineEventTypes = [
  'DeadlineSet',
  'DeadlineWarned',
  'DeadlineMissed',
  'DeadlineClosed',
  'SpoStepRecorded',
  'DvpoStepRecorded',
  'BailStepRecorded',
  'MappaStepRecorded',
  'DisclosureSchemeStepRecorded',
  'RetentionReviewed',
] as const;

type DeadlineEvent = ProjectedEvent<(typeof deadlineEventTypes)[number]>;

const measureKindOfStep = measureKindOfEventType;

/**
 * The measure kind a clock implies, for a measure whose steps this model never saw (one begun by a legacy
 * `record-intervention`, before measures had lifecycles). An order's end belongs to an SPO or a DVPO: no guess.
 */
const measureKindOfClock: Record<DeadlineKind, MeasureKind | null> = {
  spo_notification: 'spo',
  dvpo_hearing: 'dvpo',
  bail_expiry: 'bail',
  mappa_review: 'mappa',
  disclosure_decision: 'disclosure_scheme',
  victim_contact: null,
  plan_review: null,
  order_end: null,
};

export const deadlinesProjection = defineProjection({
  name: DEADLINES_PROJECTION,
  version: 1,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts) (the bench log holds none of its events).
  rebuildWeight: 0.1,
  eventTypes: deadlineEventTypes,
  tables: deadlineTables,
  schema: deadlineSchema,
  apply: applyDeadlineEvent,
});

/**
 * Times as one canonical UTC form (events may carry an offset, or no milliseconds), so that SQLite orders and compares
 * them as text: the list's "overdue first, then soonest due" is an index scan.
 */
export function instant(iso: string): string {
  return new Date(iso).toISOString();
}

function applyDeadlineEvent(db: Database.Database, event: DeadlineEvent): void {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'DeadlineSet': {
      const d = event.data;
      const known = d.measureId
        ? statement<[string, string], { kind: string }>(db, 'SELECT kind FROM deadlines_measures WHERE referral_id = ? AND measure_id = ?').get(d.referralId, d.measureId)
        : undefined;
      const measureKind = d.measureId ? (known?.kind ?? measureKindOfClock[d.kind]) : null;
      // Set again (moved): the clock starts afresh, as the referral's fold has it.
      statement(
        db,
        `INSERT OR REPLACE INTO deadlines_items (referral_id, deadline_id, kind, clock, measure_id, measure_kind, owner, trigger_at, due_at, warn_at,
           warned_at, status, missed_at, closed_at, late, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'open', NULL, NULL, 0, ?)`,
      ).run(d.referralId, d.deadlineId, d.kind, d.clock, d.measureId, measureKind, d.owner, instant(d.triggerAt), instant(d.dueAt), d.warnAt && instant(d.warnAt), d.version);
      return;
    }
    case 'DeadlineWarned':
      statement(db, 'UPDATE deadlines_items SET warned_at = ? WHERE referral_id = ? AND deadline_id = ? AND version = ?').run(
        instant(at),
        event.data.referralId,
        event.data.deadlineId,
        event.data.version,
      );
      return;
    case 'DeadlineMissed':
      statement(
        db,
        `UPDATE deadlines_items SET status = 'missed', missed_at = ? WHERE referral_id = ? AND deadline_id = ? AND version = ? AND status = 'open'`,
      ).run(instant(at), event.data.referralId, event.data.deadlineId, event.data.version);
      return;
    case 'DeadlineClosed': {
      const d = event.data;
      statement(db, 'UPDATE deadlines_items SET status = ?, closed_at = ?, late = ? WHERE referral_id = ? AND deadline_id = ?').run(
        d.outcome,
        instant(d.at),
        d.late ? 1 : 0,
        d.referralId,
        d.deadlineId,
      );
      return;
    }
    case 'SpoStepRecorded':
    case 'DvpoStepRecorded':
    case 'BailStepRecorded':
    case 'MappaStepRecorded':
    case 'DisclosureSchemeStepRecorded': {
      const { referralId, measureId } = event.data;
      const kind = measureKindOfStep[event.type];
      statement(db, 'INSERT OR IGNORE INTO deadlines_measures (referral_id, measure_id, kind) VALUES (?, ?, ?)').run(referralId, measureId, kind);
      statement(db, 'UPDATE deadlines_items SET measure_kind = ? WHERE referral_id = ? AND measure_id = ? AND measure_kind IS NULL').run(kind, referralId, measureId);
      return;
    }
    case 'RetentionReviewed':
      // Disposal (MoPI) purges the case from the read models; the statistics keep their own counts.
      if (event.data.decision === 'dispose') {
        statement(db, 'DELETE FROM deadlines_items WHERE referral_id = ?').run(event.data.referralId);
        statement(db, 'DELETE FROM deadlines_measures WHERE referral_id = ?').run(event.data.referralId);
      }
      return;
    default: {
      const unexpected: never = event;
      throw new Error(`deadlines projection got ${(unexpected as { type: string }).type}`);
    }
  }
}

/**
 * What the statistics keep of legal measures and their clocks: every step of every measure (and the legacy
 * `record-intervention` kinds that were measures, so old histories still count) with the local date it counts on,
 * and every clock with its due date and how it ended. Ids, kinds and dates: nothing about people, so a disposal
 * leaves them, like the other facts.
 */
import type Database from 'better-sqlite3';
import { measureKindOfEventType, measureStepEventTypes, type Intervention, type MeasureEventType, type MeasureKind } from '@hru/events';
import type { ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { RowBatch } from '../rebuild/row-batch.js';

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The day an instant falls on in Europe/London, where the unit works and its clocks run: a notice served at 00:30
 * BST on 1 April counts in April, though it was still 31 March in UTC.
 */
export function localDate(iso: string): string {
  return londonDate.format(new Date(iso));
}

export { measureStepEventTypes };
type MeasureStepEvent = ProjectedEvent<MeasureEventType>;

const kindOf = measureKindOfEventType;

const STEP_INSERT = 'INSERT INTO stats_measure_steps (referral_id, position, measure_id, measure_kind, step, at, on_date, detail) VALUES';
const STEP_CONFLICT = 'ON CONFLICT (referral_id, position) DO NOTHING';

/** The step rows of a rebuild into an empty shadow, many to a statement (`measureStepCorrection` reads them: flush first). */
export const stepBatch = (db: Database.Database) => new RowBatch(db, STEP_INSERT, 8, STEP_CONFLICT);

function insertStep(
  db: Database.Database,
  row: { referralId: string; position: bigint; measureId: string | null; kind: MeasureKind; step: string; at: string | null; onDate: string; detail: string | null },
  batch: RowBatch | undefined,
): void {
  const values = [row.referralId, row.position, row.measureId, row.kind, row.step, row.at, row.onDate, row.detail];
  if (batch) batch.add(...values);
  else statement(db, `${STEP_INSERT} (?, ?, ?, ?, ?, ?, ?, ?) ${STEP_CONFLICT}`).run(values);
}

/** A step counts on the day it happened; a breach on the day of the breach; an extension is kept with its authority. */
export function measureStepFact(db: Database.Database, event: MeasureStepEvent, batch?: RowBatch): void {
  const { referralId, measureId, at, step } = event.data;
  const onDate = step.step === 'breached' ? step.breachOn : localDate(at);
  const detail = step.step === 'extended' ? step.authority : null;
  insertStep(db, { referralId, position: event.position, measureId, kind: kindOf[event.type], step: step.step, at, onDate, detail }, batch);
}

/** A corrected step time moves the day the step counts on (the latest such step, as the referral's fold has it). */
export function measureStepCorrection(db: Database.Database, event: ProjectedEvent<'MeasureStepCorrected'>): void {
  const { referralId, measureId, step, at, previousAt } = event.data;
  statement(
    db,
    `UPDATE stats_measure_steps SET at = @at, on_date = CASE WHEN step = 'breached' THEN on_date ELSE @onDate END
     WHERE referral_id = @referralId AND position = (
       SELECT max(position) FROM stats_measure_steps WHERE referral_id = @referralId AND measure_id = @measureId AND step = @step AND at = @previousAt)`,
  ).run({ referralId, measureId, step, at, previousAt, onDate: localDate(at) });
}

/** The legacy intervention kinds that were legal measures, as the steps they stand for (a MAPPA link: accepted). */
const legacySteps: Partial<Record<Intervention['kind'], { kind: MeasureKind; step: string }>> = {
  spo_advised: { kind: 'spo', step: 'advised' },
  spo_applied: { kind: 'spo', step: 'applied' },
  spo_granted: { kind: 'spo', step: 'granted' },
  mappa_support: { kind: 'mappa', step: 'accepted' },
};

export function legacyMeasureFact(db: Database.Database, event: ProjectedEvent<'InterventionRecorded'>, batch?: RowBatch): void {
  const legacy = legacySteps[event.data.intervention.kind];
  if (!legacy) return;
  insertStep(db, { referralId: event.data.referralId, position: event.position, measureId: null, ...legacy, at: null, onDate: event.data.occurredOn, detail: null }, batch);
}

export const deadlineFactEventTypes = ['DeadlineSet', 'DeadlineMissed', 'DeadlineClosed'] as const;

/** A clock as the compliance figures count it: set again (moved), it counts on its new due date and starts afresh. */
export function deadlineFact(db: Database.Database, event: ProjectedEvent<(typeof deadlineFactEventTypes)[number]>): void {
  switch (event.type) {
    case 'DeadlineSet': {
      const d = event.data;
      statement(
        db,
        `INSERT OR REPLACE INTO stats_deadlines (referral_id, deadline_id, kind, due_on, version, status, missed, late) VALUES (?, ?, ?, ?, ?, 'open', 0, 0)`,
      ).run(d.referralId, d.deadlineId, d.kind, localDate(d.dueAt), d.version);
      return;
    }
    case 'DeadlineMissed':
      statement(
        db,
        `UPDATE stats_deadlines SET status = 'missed', missed = 1 WHERE referral_id = ? AND deadline_id = ? AND version = ? AND status = 'open'`,
      ).run(event.data.referralId, event.data.deadlineId, event.data.version);
      return;
    case 'DeadlineClosed':
      statement(db, 'UPDATE stats_deadlines SET status = ?, late = ? WHERE referral_id = ? AND deadline_id = ?').run(
        event.data.outcome,
        event.data.late ? 1 : 0,
        event.data.referralId,
        event.data.deadlineId,
      );
      return;
    default:
      return event satisfies never;
  }
}

/** Keeps `caseload_cases` in step with the referral lifecycle, mirroring the machine's stage transitions. */
import type Database from 'better-sqlite3';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { caseloadEventTypes, caseloadSchema, caseloadTables, type CaseloadStage } from './schema.js';
import { caseloadShadowApplier } from './shadow-applier.js';
import { contextChanges, type CaseContextColumns } from './context.js';

/** Moves only from `from`: a later discussion or plan during management does not restart the stage clock. */
function moveFrom(db: Database.Database, event: ProjectedEvent, from: CaseloadStage, stage: CaseloadStage): void {
  statement(db, 'UPDATE caseload_cases SET stage = ?, stage_since = ? WHERE referral_id = ? AND stage = ?').run(
    stage,
    event.metadata.occurredAt,
    event.data.referralId,
    from,
  );
}

/** Sets the context columns an intake carries (a column name comes from `contextChanges`, never from input). */
function setContext(db: Database.Database, id: string, changes: Partial<CaseContextColumns>): void {
  const columns = Object.keys(changes) as (keyof CaseContextColumns)[];
  if (columns.length === 0) return;
  statement(db, `UPDATE caseload_cases SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE referral_id = ?`).run(...columns.map((c) => changes[c]), id);
}

export const caseloadProjection = defineProjection({
  name: 'caseload',
  // 2: the case's context (crime reference, principal offence, DASH score, indicators) for every list of cases.
  // 3: \`urgency_rank\` and an index per list's filter and order (issue 20: every list page at a national year).
  version: 3,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 1.6,
  tables: caseloadTables,
  schema: caseloadSchema,
  eventTypes: caseloadEventTypes,
  shadowApplier: caseloadShadowApplier,
  apply(db, event) {
    const id = event.data.referralId;
    switch (event.type) {
      case 'ReferralReceived': {
        const inserted = statement(
          db,
          `INSERT INTO caseload_cases (referral_id, problem_behaviour, stage, stage_since, received_at) VALUES (?, ?, 'awaiting_triage', ?, ?)
           ON CONFLICT (referral_id) DO NOTHING`,
        ).run(id, event.data.problemBehaviour, event.metadata.occurredAt, event.metadata.occurredAt);
        // A repeated intake of a known case changes nothing here (ReferralDetailsUpdated carries changes).
        if (inserted.changes === 1) setContext(db, id, contextChanges(event));
        return;
      }
      case 'ReferralDetailsUpdated':
        if (event.data.problemBehaviour) {
          statement(db, 'UPDATE caseload_cases SET problem_behaviour = ? WHERE referral_id = ?').run(event.data.problemBehaviour, id);
        }
        setContext(db, id, contextChanges(event));
        return;
      case 'TriageCompleted':
        if (event.data.decision === 'proceed') moveFrom(db, event, 'awaiting_triage', 'awaiting_screening');
        return;
      case 'ScreeningCompleted':
        switch (event.data.decision) {
          case 'adopt':
            moveFrom(db, event, 'awaiting_screening', 'awaiting_case_discussion');
            return;
          case 'advice_only':
            moveFrom(db, event, 'awaiting_screening', 'advice_only');
            return;
          case 'no_added_value':
            return; // closure follows as its own event
          default:
            return event.data.decision satisfies never;
        }
      case 'CaseDiscussionHeld':
        moveFrom(db, event, 'awaiting_case_discussion', 'case_discussion_held');
        return;
      case 'ManagementPlanAgreed':
      case 'DirectedToService':
        moveFrom(db, event, 'case_discussion_held', 'under_management');
        return;
      case 'ReferralAssigned':
        statement(db, 'UPDATE caseload_cases SET owner_sub = ?, owner_agency = ? WHERE referral_id = ?').run(
          event.data.assignee.sub,
          event.data.assignee.agency,
          id,
        );
        return;
      case 'CaseReviewed':
        statement(db, 'UPDATE caseload_cases SET next_review_due = ? WHERE referral_id = ?').run(event.data.nextReviewDue, id);
        return;
      case 'UrgentActionRaised':
        statement(db, 'UPDATE caseload_cases SET open_alerts = open_alerts + 1, urgency_rank = 0 WHERE referral_id = ?').run(id);
        return;
      case 'UrgentActionResolved':
        statement(db, 'UPDATE caseload_cases SET open_alerts = max(open_alerts - 1, 0), urgency_rank = (open_alerts <= 1) WHERE referral_id = ?').run(id);
        return;
      case 'ReferralClosed':
        statement(db, `UPDATE caseload_cases SET stage = 'closed', stage_since = ?, closed_at = ? WHERE referral_id = ?`).run(
          event.metadata.occurredAt,
          event.metadata.occurredAt,
          id,
        );
        return;
      case 'RetentionReviewed':
        // Disposal (MoPI) purges the case: the caseload and the queues list cases as such, so its row goes. Its
        // statistics live in the other read models and stay. (No log held this event before, so no rebuild.)
        if (event.data.decision === 'dispose') statement(db, 'DELETE FROM caseload_cases WHERE referral_id = ?').run(id);
        return;
      case 'ReferralReopened':
        // The machine reopens into its initial open stage.
        statement(
          db,
          `UPDATE caseload_cases SET stage = 'awaiting_triage', stage_since = ?, closed_at = NULL, next_review_due = NULL WHERE referral_id = ?`,
        ).run(event.metadata.occurredAt, id);
        return;
      default:
        return event satisfies never;
    }
  },
});

/**
 * The caseload projection for a rebuild: the same changes as `apply` (projection.ts), made to rows held in a
 * `RowCache` instead of by an UPDATE per event. Keep the two in step; the rebuild-equivalence spec compares them.
 */
import type Database from 'better-sqlite3';
import type { ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import { RowCache } from '../rebuild/row-cache.js';
import type { CaseloadCaseRow, CaseloadEventType, CaseloadStage } from './schema.js';
import { contextChanges } from './context.js';

type CaseloadEvent = ProjectedEvent<CaseloadEventType>;

export function caseloadShadowApplier(db: Database.Database): ShadowApplier<CaseloadEventType> {
  const select = db.prepare<[string], CaseloadCaseRow>('SELECT * FROM caseload_cases WHERE referral_id = ?');
  const replace = db.prepare(
    `INSERT OR REPLACE INTO caseload_cases (referral_id, problem_behaviour, stage, stage_since, received_at, owner_sub, owner_agency,
       open_alerts, urgency_rank, next_review_due, closed_at, crime_reference, offence_code, principal_offence, dash_yes_count, indicators)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare('DELETE FROM caseload_cases WHERE referral_id = ?');
  const rows = new RowCache<CaseloadCaseRow>(
    (id) => select.get(id),
    (r) =>
      replace.run(
        r.referral_id, r.problem_behaviour, r.stage, r.stage_since, r.received_at, r.owner_sub, r.owner_agency, r.open_alerts, r.urgency_rank, r.next_review_due, r.closed_at,
        r.crime_reference, r.offence_code, r.principal_offence, r.dash_yes_count, r.indicators,
      ),
  );

  return {
    apply(event) {
      const id = event.data.referralId;
      const row = rows.get(id);
      if (event.type === 'ReferralReceived') {
        // INSERT … ON CONFLICT DO NOTHING
        if (row) return;
        const at = event.metadata.occurredAt;
        rows.changed(id, {
          referral_id: id,
          problem_behaviour: event.data.problemBehaviour,
          stage: 'awaiting_triage',
          stage_since: at,
          received_at: at,
          owner_sub: null,
          owner_agency: null,
          open_alerts: 0,
          urgency_rank: 1,
          next_review_due: null,
          closed_at: null,
          crime_reference: null,
          offence_code: null,
          principal_offence: null,
          dash_yes_count: null,
          indicators: null,
          ...contextChanges(event),
        });
        return;
      }
      if (event.type === 'RetentionReviewed') {
        // DELETE … WHERE referral_id: the held row is dropped, not written back.
        if (event.data.decision !== 'dispose') return;
        rows.delete(id);
        remove.run(id);
        return;
      }
      // Every other event is an UPDATE of the referral's row: nothing without one.
      if (!row) return;
      if (changeRow(row, event)) rows.changed(id, row);
    },
    flush: () => rows.flush(),
  };
}

/** As `moveFrom` in projection.ts: only from `from`. */
function moveFrom(row: CaseloadCaseRow, event: CaseloadEvent, from: CaseloadStage, stage: CaseloadStage): boolean {
  if (row.stage !== from) return false;
  row.stage = stage;
  row.stage_since = event.metadata.occurredAt;
  return true;
}

/** Returns whether the row changed. */
function changeRow(row: CaseloadCaseRow, event: CaseloadEvent): boolean {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ReferralDetailsUpdated': {
      const context = contextChanges(event);
      if (event.data.problemBehaviour) row.problem_behaviour = event.data.problemBehaviour;
      Object.assign(row, context);
      return event.data.problemBehaviour !== undefined || Object.keys(context).length > 0;
    }
    case 'TriageCompleted':
      return event.data.decision === 'proceed' && moveFrom(row, event, 'awaiting_triage', 'awaiting_screening');
    case 'ScreeningCompleted':
      if (event.data.decision === 'adopt') return moveFrom(row, event, 'awaiting_screening', 'awaiting_case_discussion');
      if (event.data.decision === 'advice_only') return moveFrom(row, event, 'awaiting_screening', 'advice_only');
      return false;
    case 'CaseDiscussionHeld':
      return moveFrom(row, event, 'awaiting_case_discussion', 'case_discussion_held');
    case 'ManagementPlanAgreed':
    case 'DirectedToService':
      return moveFrom(row, event, 'case_discussion_held', 'under_management');
    case 'ReferralAssigned':
      row.owner_sub = event.data.assignee.sub;
      row.owner_agency = event.data.assignee.agency;
      return true;
    case 'CaseReviewed':
      row.next_review_due = event.data.nextReviewDue;
      return true;
    case 'UrgentActionRaised':
      row.open_alerts += 1;
      row.urgency_rank = 0;
      return true;
    case 'UrgentActionResolved':
      row.open_alerts = Math.max(row.open_alerts - 1, 0);
      row.urgency_rank = row.open_alerts > 0 ? 0 : 1;
      return true;
    case 'ReferralClosed':
      row.stage = 'closed';
      row.stage_since = at;
      row.closed_at = at;
      return true;
    case 'ReferralReopened':
      row.stage = 'awaiting_triage';
      row.stage_since = at;
      row.closed_at = null;
      row.next_review_due = null;
      return true;
    case 'ReferralReceived':
    case 'RetentionReviewed':
      return false; // creates or deletes the row: see the applier
    default:
      return event satisfies never;
  }
}

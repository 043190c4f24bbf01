/**
 * The retention projection for a rebuild: each case's row held in a `RowCache` between its events instead of a
 * statement per event. The same changes as `apply` in projection.ts (keep the two in step; the rebuild-equivalence
 * and retention-rebuild specs compare the rows); a details update, which changes the row in several ways, writes the
 * held row back and goes through `apply`.
 */
import type Database from 'better-sqlite3';
import type { ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import { RowCache } from '../rebuild/row-cache.js';
import { indicatorsJson, principalCode } from './intake-facts.js';
import type { RetentionCaseRow, RetentionEventType } from './schema.js';

export function retentionShadowApplier(db: Database.Database, apply: (event: ProjectedEvent<RetentionEventType>) => void): ShadowApplier<RetentionEventType> {
  const select = db.prepare<[string], RetentionCaseRow>('SELECT * FROM retention_cases WHERE referral_id = ?');
  const replace = db.prepare(
    `INSERT OR REPLACE INTO retention_cases (referral_id, problem_behaviour, principal_offence_code, indicators, services, closed_on, last_decision,
       reviewed_group, reviewed_on, next_review_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = new RowCache<RetentionCaseRow>(
    (id) => select.get(id),
    (r) => replace.run(r.referral_id, r.problem_behaviour, r.principal_offence_code, r.indicators, r.services, r.closed_on, r.last_decision, r.reviewed_group, r.reviewed_on, r.next_review_due),
  );
  /** An UPDATE of the case's row: nothing without one. */
  const update = (id: string, change: (row: RetentionCaseRow) => void) => {
    const row = rows.get(id);
    if (!row) return;
    change(row);
    rows.changed(id, row);
  };

  return {
    apply(event) {
      const id = event.data.referralId;
      const on = event.metadata.occurredAt.slice(0, 10);
      switch (event.type) {
        case 'ReferralReceived': {
          // INSERT … ON CONFLICT (referral_id) DO NOTHING
          if (rows.get(id)) return;
          const d = event.data;
          rows.changed(id, {
            referral_id: id,
            problem_behaviour: d.problemBehaviour,
            principal_offence_code: principalCode(d.offences),
            indicators: indicatorsJson(d.indicators),
            services: '[]',
            closed_on: null,
            last_decision: null,
            reviewed_group: null,
            reviewed_on: null,
            next_review_due: null,
          });
          return;
        }
        case 'DirectedToService':
          // The services so far with this one, each once, in order: as json_group_array over SELECT DISTINCT … ORDER BY.
          return update(id, (row) => void (row.services = JSON.stringify([...new Set([...(JSON.parse(row.services) as string[]), event.data.service])].sort())));
        case 'ReferralClosed':
          return update(id, (row) => Object.assign(row, { closed_on: on, next_review_due: null }));
        case 'ReferralReopened':
          return update(id, (row) => Object.assign(row, { closed_on: null, next_review_due: null, last_decision: null }));
        case 'RetentionReviewed': {
          const d = event.data;
          return update(id, (row) => Object.assign(row, { last_decision: d.decision, reviewed_group: d.mopiGroup, reviewed_on: on, next_review_due: d.nextReviewDue }));
        }
        case 'ReferralDetailsUpdated':
          rows.release(id);
          apply(event);
          return;
        default:
          return event satisfies never;
      }
    },
    flush: () => rows.flush(),
  };
}

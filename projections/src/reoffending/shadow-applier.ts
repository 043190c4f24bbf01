/**
 * The re-offending projection for a rebuild: the same changes as `apply` (projection.ts), with each referral's row
 * held in a `RowCache` (most of its events only move the start date, and most leave it alone). Parties and links
 * are written as `apply` writes them. Keep the two in step; the rebuild-equivalence spec compares them.
 */
import type Database from 'better-sqlite3';
import type { ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import { RowCache } from '../rebuild/row-cache.js';
import { statement } from '../framework/statements.js';
import { breach, replaceParties } from './parties.js';
import type { ReoffendingEventType } from './schema.js';

interface ReferralRow {
  referral_id: string;
  crime_on: string;
  problem_behaviour: string;
  breach_of_order: number;
  started_on: string | null;
  therapy_completed_on: string | null;
}

/** The earliest date wins (`min(coalesce(x, on), on)`): ISO dates compare as text. */
const earliest = (current: string | null, on: string) => (current === null || current > on ? on : current);

export function reoffendingShadowApplier(db: Database.Database): ShadowApplier<ReoffendingEventType> {
  const select = db.prepare<[string], ReferralRow>('SELECT * FROM reoffending_referrals WHERE referral_id = ?');
  const replace = db.prepare('INSERT OR REPLACE INTO reoffending_referrals VALUES (?, ?, ?, ?, ?, ?)');
  const rows = new RowCache<ReferralRow>(
    (id) => select.get(id),
    (r) => replace.run(r.referral_id, r.crime_on, r.problem_behaviour, r.breach_of_order, r.started_on, r.therapy_completed_on),
  );

  function startOn(event: ProjectedEvent<ReoffendingEventType>, onDate: string): void {
    const row = rows.get(event.data.referralId);
    if (!row) return;
    const started = earliest(row.started_on, onDate);
    if (started !== row.started_on) {
      row.started_on = started;
      rows.changed(row.referral_id, row);
    }
  }

  return {
    apply(event) {
      const { referralId } = event.data;
      switch (event.type) {
        case 'ReferralReceived': {
          const d = event.data;
          const row = rows.get(referralId);
          const fields = { crime_on: d.source.recordedAt.slice(0, 10), problem_behaviour: d.problemBehaviour, breach_of_order: breach(d.indicators) };
          // INSERT … ON CONFLICT DO UPDATE of these three; the dates stay.
          rows.changed(referralId, row ? Object.assign(row, fields) : { referral_id: referralId, ...fields, started_on: null, therapy_completed_on: null });
          replaceParties(db, referralId, d.parties);
          return;
        }
        case 'ReferralDetailsUpdated': {
          const d = event.data;
          const row = rows.get(referralId);
          if (row && (d.recordedAt || d.problemBehaviour || d.indicators)) {
            if (d.recordedAt) row.crime_on = d.recordedAt.slice(0, 10);
            if (d.problemBehaviour) row.problem_behaviour = d.problemBehaviour;
            if (d.indicators) row.breach_of_order = breach(d.indicators);
            rows.changed(referralId, row);
          }
          if (d.parties) replaceParties(db, referralId, d.parties);
          return;
        }
        case 'ReferralReopened':
          statement(db, 'INSERT OR IGNORE INTO reoffending_links VALUES (?, ?)').run(referralId, event.data.linkedReferralId);
          return;
        case 'InterventionRecorded': {
          startOn(event, event.data.occurredOn);
          if (event.data.intervention.kind === 'therapeutic_intervention_completed') {
            const row = rows.get(referralId);
            if (!row) return;
            const completed = earliest(row.therapy_completed_on, event.data.occurredOn);
            if (completed !== row.therapy_completed_on) {
              row.therapy_completed_on = completed;
              rows.changed(referralId, row);
            }
          }
          return;
        }
        case 'ManagementPlanAgreed':
        case 'DirectedToService':
          startOn(event, event.metadata.occurredAt.slice(0, 10));
          return;
        default:
          return event satisfies never;
      }
    },
    flush: () => rows.flush(),
  };
}

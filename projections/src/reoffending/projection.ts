/**
 * Keeps, per referral, the facts re-offending is counted from (DOMAIN.md §5): crime date, parties, intervention start.
 * A disposal (MoPI RetentionReviewed) leaves every row, its parties included. The counts are joins over party ids
 * across referrals, so deleting a disposed case's parties would change other cases' figures (a cohort member whose
 * re-offence was the disposed case would stop counting), and `apply` may touch only its own stream's rows, so the
 * link cannot be frozen into a count at disposal. A party id is a pseudonym (a hash of the source's person
 * reference) that the stream keeps outside `personal` as well; the names and dates of birth go with the keys.
 */
import type Database from 'better-sqlite3';
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { breach, replaceParties } from './parties.js';
import { reoffendingEventTypes, reoffendingSchema, reoffendingTables } from './schema.js';
import { reoffendingShadowApplier } from './shadow-applier.js';

/** The earliest date wins, whatever order the events of different kinds are replayed in. */
function startOn(db: Database.Database, referralId: string, onDate: string): void {
  // Only an earlier date writes: most events of a managed case come after its start and leave the row alone.
  statement(db, 'UPDATE reoffending_referrals SET started_on = ? WHERE referral_id = ? AND (started_on IS NULL OR started_on > ?)').run(
    onDate,
    referralId,
    onDate,
  );
}

export const reoffendingProjection = defineProjection({
  name: 'reoffending',
  version: 1,
  tables: reoffendingTables,
  schema: reoffendingSchema,
  eventTypes: reoffendingEventTypes,
  shadowApplier: reoffendingShadowApplier,
  apply(db, event) {
    const { referralId } = event.data;
    switch (event.type) {
      case 'ReferralReceived': {
        const d = event.data;
        // The crime's recorded date, not the day the unit received it: a crime from before an intervention
        // that reaches the unit after it is not re-offending.
        statement(
          db,
          `INSERT INTO reoffending_referrals VALUES (?, ?, ?, ?, NULL, NULL)
           ON CONFLICT (referral_id) DO UPDATE SET crime_on = excluded.crime_on, problem_behaviour = excluded.problem_behaviour,
             breach_of_order = excluded.breach_of_order`,
        ).run(referralId, d.source.recordedAt.slice(0, 10), d.problemBehaviour, breach(d.indicators));
        replaceParties(db, referralId, d.parties);
        return;
      }
      case 'ReferralDetailsUpdated': {
        const d = event.data;
        if (d.recordedAt) statement(db, 'UPDATE reoffending_referrals SET crime_on = ? WHERE referral_id = ?').run(d.recordedAt.slice(0, 10), referralId);
        if (d.problemBehaviour) statement(db, 'UPDATE reoffending_referrals SET problem_behaviour = ? WHERE referral_id = ?').run(d.problemBehaviour, referralId);
        if (d.indicators) statement(db, 'UPDATE reoffending_referrals SET breach_of_order = ? WHERE referral_id = ?').run(breach(d.indicators), referralId);
        if (d.parties) replaceParties(db, referralId, d.parties);
        return;
      }
      case 'ReferralReopened':
        // Staff linked the new referral to this perpetrator by hand: evidence even when the two referrals came
        // from different source systems and so carry different party ids.
        statement(db, 'INSERT OR IGNORE INTO reoffending_links VALUES (?, ?)').run(referralId, event.data.linkedReferralId);
        return;
      case 'InterventionRecorded':
        startOn(db, referralId, event.data.occurredOn);
        if (event.data.intervention.kind === 'therapeutic_intervention_completed') {
          statement(
            db,
            'UPDATE reoffending_referrals SET therapy_completed_on = ? WHERE referral_id = ? AND (therapy_completed_on IS NULL OR therapy_completed_on > ?)',
          ).run(event.data.occurredOn, referralId, event.data.occurredOn);
        }
        return;
      case 'ManagementPlanAgreed':
      case 'DirectedToService':
        // The case discussion's output (a plan or a service) starts management even before an intervention is logged.
        startOn(db, referralId, event.metadata.occurredAt.slice(0, 10));
        return;
      default:
        return event satisfies never;
    }
  },
});

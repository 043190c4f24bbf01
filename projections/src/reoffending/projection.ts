/**
 * Keeps, per referral, the facts re-offending is counted from (DOMAIN.md §5): crime date, parties, intervention start.
 * A disposal (MoPI RetentionReviewed) leaves every row, its parties included. The counts are joins over party ids
 * across referrals, so deleting a disposed case's parties would change other cases' figures (a cohort member whose
 * re-offence was the disposed case would stop counting), and `apply` may touch only its own stream's rows, so the
 * link cannot be frozen into a count at disposal. A party id is a pseudonym (a hash of the source's person
 * reference) that the stream keeps outside `personal` as well; the names and dates of birth go with the keys.
 */
import type Database from 'better-sqlite3';
import { defineProjection, type ProjectedEvent, type ShadowApplier } from '../framework/projection.js';
import { tablesEmpty } from '../rebuild/empty-shadow.js';
import { deriveMembers, referralChanged, refreshMember, snapshot } from './members.js';
import { breach, link, replaceParties } from './parties.js';
import { reoffendingEventTypes, reoffendingSchema, reoffendingTables, type ReoffendingEventType } from './schema.js';
import { heldReferralRows, referralRowsByStatement, type ReferralRows } from './referral-rows.js';
import { logTime, moveStaffTime } from './staff-time.js';

/**
 * The earliest date wins, whatever order the events of different kinds are replayed in. Most events of a managed
 * case come after its start and change nothing: one read of its row, and the members are left alone.
 */
function startOn(db: Database.Database, rows: ReferralRows, referralId: string, onDate: string, therapyCompleted: boolean, members: boolean): void {
  const row = rows.get(referralId);
  if (!row) return;
  const started = row.started_on === null || row.started_on > onDate;
  const completed = therapyCompleted && (row.therapy_completed_on === null || row.therapy_completed_on > onDate);
  if (!started && !completed) return;
  if (started) {
    moveStaffTime(db, referralId, row.started_on, onDate);
    row.started_on = onDate;
  }
  if (completed) row.therapy_completed_on = onDate;
  rows.put(referralId, row);
  if (members) refreshMember(db, referralId);
}

export const reoffendingProjection = defineProjection({
  name: 'reoffending',
  // 2: members with their first re-offence, counted by day, and staff time by intervention start (issue #20).
  version: 2,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 2.5,
  // A member's first re-offence is another referral's: a rebuild loads the model in one pass over the log.
  splitsByStream: false,
  tables: reoffendingTables,
  schema: reoffendingSchema,
  eventTypes: reoffendingEventTypes,
  apply(db, event) {
    applyEvent(db, referralRowsByStatement(db), event, true);
  },
  shadowApplier(db) {
    if (!tablesEmpty(db, reoffendingTables)) {
      const rows = referralRowsByStatement(db);
      return { apply: (event) => applyEvent(db, rows, event, true), flush() {} };
    }
    return reoffendingEmptyShadowApplier(db);
  },
});

/**
 * Into a shadow it fills from empty: the referrals' own rows, held back (./referral-rows.ts); the members and
 * everything kept from them wait for `finish`, which writes the rows first. `heldRows`: for a spec, to hold fewer.
 */
export function reoffendingEmptyShadowApplier(db: Database.Database, heldRows?: number): ShadowApplier<ReoffendingEventType> {
  const rows = heldReferralRows(db, heldRows);
  return {
    apply: (event) => applyEvent(db, rows, event, false),
    flush: () => rows.flush(),
    finish() {
      rows.flush();
      deriveMembers(db);
    },
  };
}

/**
 * One event's change to the referral's rows; with `members`, also to the cohort members it moves (./members.ts).
 * Without, only the rows the events give (referrals, parties, links, staff time): a rebuild into an empty shadow
 * derives the members from them once, at the end (`deriveMembers`).
 */
function applyEvent(db: Database.Database, rows: ReferralRows, event: ProjectedEvent<ReoffendingEventType>, members: boolean): void {
  const { referralId } = event.data;
  switch (event.type) {
    case 'ReferralReceived': {
      const d = event.data;
      const was = members ? snapshot(db, referralId) : undefined;
      // The crime's recorded date, not the day the unit received it: a crime from before an intervention
      // that reaches the unit after it is not re-offending. A second intake keeps the start dates.
      const given = { crime_on: d.source.recordedAt.slice(0, 10), problem_behaviour: d.problemBehaviour, breach_of_order: breach(d.indicators) };
      const row = rows.get(referralId);
      rows.put(referralId, row ? { ...row, ...given } : { referral_id: referralId, ...given, started_on: null, therapy_completed_on: null });
      replaceParties(db, referralId, d.parties);
      if (was) referralChanged(db, referralId, was);
      return;
    }
    case 'ReferralDetailsUpdated': {
      const d = event.data;
      if (!d.recordedAt && !d.problemBehaviour && !d.indicators && !d.parties) return;
      const was = members ? snapshot(db, referralId) : undefined;
      const row = d.recordedAt || d.problemBehaviour || d.indicators ? rows.get(referralId) : undefined;
      if (row) {
        if (d.recordedAt) row.crime_on = d.recordedAt.slice(0, 10);
        if (d.problemBehaviour) row.problem_behaviour = d.problemBehaviour;
        if (d.indicators) row.breach_of_order = breach(d.indicators);
        rows.put(referralId, row);
      }
      if (d.parties) replaceParties(db, referralId, d.parties);
      if (was) referralChanged(db, referralId, was);
      return;
    }
    case 'ReferralReopened':
      // Staff linked the new referral to this perpetrator by hand: evidence even when the two referrals came
      // from different source systems and so carry different party ids. Only this case's members can move.
      if (link(db, referralId, event.data.linkedReferralId) && members) refreshMember(db, referralId);
      return;
    case 'InterventionRecorded':
      startOn(db, rows, referralId, event.data.occurredOn, event.data.intervention.kind === 'therapeutic_intervention_completed', members);
      return;
    case 'ManagementPlanAgreed':
    case 'DirectedToService':
      // The case discussion's output (a plan or a service) starts management even before an intervention is logged.
      startOn(db, rows, referralId, event.metadata.occurredAt.slice(0, 10), false, members);
      return;
    case 'TimeLogged':
      // The minutes only: the activity text stays in the log.
      logTime(db, referralId, event.data.agency, event.data.minutes, rows.get(referralId)?.started_on ?? null);
      return;
    default:
      return event satisfies never;
  }
}

/**
 * Keeps the facts the perpetrators read model and the RFG(V) score are made from. `apply` writes rows across
 * streams (a link names two people, whose referrals live in other streams), so a rebuild runs it in one pass.
 * Every change that can move a score marks the suspects concerned stale; `rescore` picks them up.
 */
import type Database from 'better-sqlite3';
import { defineProjection, type ProjectedEvent, type ShadowApplier } from '../framework/projection.js';
import { tablesEmpty } from '../rebuild/empty-shadow.js';
import { statement } from '../framework/statements.js';
import { heldReferralRows, referralRowsByStatement, type PerpetratorReferralRows } from './referral-rows.js';
import { perpetratorEventTypes, perpetratorSchema, perpetratorTables, type PerpetratorReferralRow } from './schema.js';

type PartyLike = { partyId: string; category: string };
type PerpetratorEvent = ProjectedEvent<(typeof perpetratorEventTypes)[number]>;

const suspectCategories = new Set(['suspect', 'offender']);

/**
 * How the suspects whose score may have moved are marked stale: at each change, as `apply` does; or, in a rebuild into
 * an empty shadow, once at the end for the suspects it ends with (`finish`). Those it replaced are marked as they go
 * (`replaceParties`), so both leave the same rows: every party that was ever a referral's suspect, and every linked one.
 * That holds while `replaceParties` is the only writer of `perpetrators_parties` (deleting before it marks) and nothing
 * clears `perpetrators_stale` during a load (only `rescore` does, after one).
 */
type Marking = 'each' | 'at-finish';

function markSuspectsStale(db: Database.Database, referralId: string): void {
  statement(db, `INSERT OR IGNORE INTO perpetrators_stale SELECT party_id FROM perpetrators_parties WHERE referral_id = ? AND role = 'suspect'`).run(referralId);
}

function markStale(db: Database.Database, partyId: string): void {
  statement(db, 'INSERT OR IGNORE INTO perpetrators_stale VALUES (?)').run(partyId);
}

function replaceParties(db: Database.Database, referralId: string, parties: readonly PartyLike[], marking: Marking): void {
  // The suspects before and after the change both need a new score: one lost an incident, the other gained one.
  markSuspectsStale(db, referralId);
  statement(db, 'DELETE FROM perpetrators_parties WHERE referral_id = ?').run(referralId);
  for (const party of parties) {
    const role = suspectCategories.has(party.category) ? 'suspect' : party.category === 'victim' ? 'victim' : undefined;
    if (role) statement(db, 'INSERT OR IGNORE INTO perpetrators_parties VALUES (?, ?, ?)').run(referralId, role, party.partyId);
  }
  if (marking === 'each') markSuspectsStale(db, referralId);
}

export const perpetratorsProjection = defineProjection({
  name: 'perpetrators',
  // 2: each referral's policing area, and each person's areas for the tasking list's filter.
  // 3: each score's \`changes_on\`, so that a new day rescores only the people whose day has come.
  version: 3,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 1.2,
  tables: perpetratorTables,
  schema: perpetratorSchema,
  eventTypes: perpetratorEventTypes,
  splitsByStream: false,
  apply(db, event) {
    applyEvent(db, referralRowsByStatement(db), event, 'each');
  },
  shadowApplier(db) {
    if (!tablesEmpty(db, perpetratorTables)) {
      const rows = referralRowsByStatement(db);
      return { apply: (event) => applyEvent(db, rows, event, 'each'), flush() {} };
    }
    return perpetratorsEmptyShadowApplier(db);
  },
});

/**
 * Into a shadow it fills from empty: each referral's row held back (./referral-rows.ts: six events of a case's life
 * change it), the suspects marked stale at the end. `heldRows`: for a spec, to hold fewer.
 */
export function perpetratorsEmptyShadowApplier(db: Database.Database, heldRows?: number): ShadowApplier<(typeof perpetratorEventTypes)[number]> {
  const rows = heldReferralRows(db, heldRows);
  return {
    apply: (event) => applyEvent(db, rows, event, 'at-finish'),
    flush: () => rows.flush(),
    finish: () => statement(db, `INSERT OR IGNORE INTO perpetrators_stale SELECT party_id FROM perpetrators_parties WHERE role = 'suspect'`).run(),
  };
}

/** The smaller of two ISO dates, either missing. */
const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);

function applyEvent(db: Database.Database, rows: PerpetratorReferralRows, event: PerpetratorEvent, marking: Marking): void {
  switch (event.type) {
    case 'ReferralReceived': {
      const d = event.data;
      const given = {
        crime_on: d.source.recordedAt.slice(0, 10),
        area: d.source.area ?? null,
        problem_behaviour: d.problemBehaviour,
        offence_codes: d.offences.map((o) => o.code).join(','),
        indicators: d.indicators.join(','),
      };
      const row = rows.get(d.referralId);
      rows.put(d.referralId, row ? { ...row, ...given } : { referral_id: d.referralId, ...given, ...UNTOUCHED });
      replaceParties(db, d.referralId, d.parties, marking);
      return;
    }
    case 'ReferralDetailsUpdated': {
      const d = event.data;
      const id = d.referralId;
      const row = d.recordedAt || d.problemBehaviour || d.offences || d.indicators ? rows.get(id) : undefined;
      if (row) {
        if (d.recordedAt) row.crime_on = d.recordedAt.slice(0, 10);
        if (d.problemBehaviour) row.problem_behaviour = d.problemBehaviour;
        if (d.offences) row.offence_codes = d.offences.map((o) => o.code).join(',');
        if (d.indicators) row.indicators = d.indicators.join(',');
        rows.put(id, row);
      }
      if (d.parties) replaceParties(db, id, d.parties, marking);
      else if (marking === 'each') markSuspectsStale(db, id);
      return;
    }
    case 'PartiesLinked':
      statement(db, 'INSERT OR REPLACE INTO perpetrators_links VALUES (?, ?, ?, ?)').run(
        event.data.partyId,
        event.data.samePersonAs,
        event.metadata.occurredAt,
        event.metadata.actorId,
      );
      markStale(db, event.data.partyId);
      markStale(db, event.data.samePersonAs);
      return;
    case 'PartiesUnlinked':
      statement(db, 'DELETE FROM perpetrators_links WHERE party_id = ? AND same_person_as = ?').run(event.data.partyId, event.data.samePersonAs);
      markStale(db, event.data.partyId);
      markStale(db, event.data.samePersonAs);
      return;
    case 'TaskingDecisionRecorded':
      statement(db, 'INSERT OR REPLACE INTO perpetrators_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        event.data.partyId,
        event.data.meetingOn,
        event.data.decision,
        event.data.score,
        event.data.configVersion,
        JSON.stringify(event.data.attendees),
        event.metadata.occurredAt,
        event.metadata.actorId,
      );
      return;
    default: {
      // Every other event changes the referral's row alone: nothing without one.
      const row = rows.get(event.data.referralId);
      if (row && changeRow(row, event)) rows.put(event.data.referralId, row);
    }
  }
}

/** A new row's columns that only later events set. */
const UNTOUCHED = {
  closed: 0,
  open_alerts: 0,
  risk_id: null,
  risk_on: null,
  dash_yes_count: null,
  formulation_id: null,
  stalker_type: null,
  plan_agreed_on: null,
  charged_on: null,
} as const;

/** Returns whether the row changed. */
function changeRow(
  row: PerpetratorReferralRow,
  event: ProjectedEvent<
    'RiskAssessmentRecorded' | 'FormulationRecorded' | 'ManagementPlanAgreed' | 'UrgentActionRaised' | 'UrgentActionResolved' | 'CrimeOutcomeRecorded' | 'ReferralClosed'
  >,
): boolean {
  switch (event.type) {
    case 'RiskAssessmentRecorded':
      row.risk_id = event.data.assessmentId;
      row.risk_on = event.data.assessedOn;
      row.dash_yes_count = event.data.dashYesCount;
      return true;
    case 'FormulationRecorded':
      row.formulation_id = event.data.formulationId;
      row.stalker_type = event.data.stalkerType;
      return true;
    case 'ManagementPlanAgreed':
      // The first plan.
      if (row.plan_agreed_on !== null) return false;
      row.plan_agreed_on = event.metadata.occurredAt.slice(0, 10);
      return true;
    case 'UrgentActionRaised':
      row.open_alerts += 1;
      return true;
    case 'UrgentActionResolved': {
      const open = Math.max(row.open_alerts - 1, 0);
      if (open === row.open_alerts) return false;
      row.open_alerts = open;
      return true;
    }
    case 'CrimeOutcomeRecorded':
      // Home Office outcome 1: charged or summonsed, on the first such date.
      if (event.data.outcomeCode !== '1' || row.charged_on === earlier(row.charged_on, event.data.outcomeDate)) return false;
      row.charged_on = event.data.outcomeDate;
      return true;
    case 'ReferralClosed':
      row.closed = 1;
      return true;
    default:
      return event satisfies never;
  }
}

/**
 * Keeps the facts the perpetrators read model and the RFG(V) score are made from. `apply` writes rows across
 * streams (a link names two people, whose referrals live in other streams), so a rebuild runs it in one pass.
 * Every change that can move a score marks the suspects concerned stale; `rescore` picks them up.
 */
import type Database from 'better-sqlite3';
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { perpetratorEventTypes, perpetratorSchema, perpetratorTables } from './schema.js';

type PartyLike = { partyId: string; category: string };

const suspectCategories = new Set(['suspect', 'offender']);

function markSuspectsStale(db: Database.Database, referralId: string): void {
  statement(db, `INSERT OR IGNORE INTO perpetrators_stale SELECT party_id FROM perpetrators_parties WHERE referral_id = ? AND role = 'suspect'`).run(referralId);
}

function markStale(db: Database.Database, partyId: string): void {
  statement(db, 'INSERT OR IGNORE INTO perpetrators_stale VALUES (?)').run(partyId);
}

function replaceParties(db: Database.Database, referralId: string, parties: readonly PartyLike[]): void {
  // The suspects before and after the change both need a new score: one lost an incident, the other gained one.
  markSuspectsStale(db, referralId);
  statement(db, 'DELETE FROM perpetrators_parties WHERE referral_id = ?').run(referralId);
  for (const party of parties) {
    const role = suspectCategories.has(party.category) ? 'suspect' : party.category === 'victim' ? 'victim' : undefined;
    if (role) statement(db, 'INSERT OR IGNORE INTO perpetrators_parties VALUES (?, ?, ?)').run(referralId, role, party.partyId);
  }
  markSuspectsStale(db, referralId);
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
    switch (event.type) {
      case 'ReferralReceived': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO perpetrators_referrals (referral_id, crime_on, area, problem_behaviour, offence_codes, indicators) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (referral_id) DO UPDATE SET crime_on = excluded.crime_on, area = excluded.area, problem_behaviour = excluded.problem_behaviour,
             offence_codes = excluded.offence_codes, indicators = excluded.indicators`,
        ).run(d.referralId, d.source.recordedAt.slice(0, 10), d.source.area ?? null, d.problemBehaviour, d.offences.map((o) => o.code).join(','), d.indicators.join(','));
        replaceParties(db, d.referralId, d.parties);
        return;
      }
      case 'ReferralDetailsUpdated': {
        const d = event.data;
        const id = d.referralId;
        if (d.recordedAt) statement(db, 'UPDATE perpetrators_referrals SET crime_on = ? WHERE referral_id = ?').run(d.recordedAt.slice(0, 10), id);
        if (d.problemBehaviour) statement(db, 'UPDATE perpetrators_referrals SET problem_behaviour = ? WHERE referral_id = ?').run(d.problemBehaviour, id);
        if (d.offences) statement(db, 'UPDATE perpetrators_referrals SET offence_codes = ? WHERE referral_id = ?').run(d.offences.map((o) => o.code).join(','), id);
        if (d.indicators) statement(db, 'UPDATE perpetrators_referrals SET indicators = ? WHERE referral_id = ?').run(d.indicators.join(','), id);
        if (d.parties) replaceParties(db, id, d.parties);
        else markSuspectsStale(db, id);
        return;
      }
      case 'RiskAssessmentRecorded':
        statement(db, 'UPDATE perpetrators_referrals SET risk_id = ?, risk_on = ?, dash_yes_count = ? WHERE referral_id = ?').run(
          event.data.assessmentId,
          event.data.assessedOn,
          event.data.dashYesCount,
          event.data.referralId,
        );
        return;
      case 'FormulationRecorded':
        statement(db, 'UPDATE perpetrators_referrals SET formulation_id = ?, stalker_type = ? WHERE referral_id = ?').run(
          event.data.formulationId,
          event.data.stalkerType,
          event.data.referralId,
        );
        return;
      case 'ManagementPlanAgreed':
        statement(db, 'UPDATE perpetrators_referrals SET plan_agreed_on = coalesce(plan_agreed_on, ?) WHERE referral_id = ?').run(
          event.metadata.occurredAt.slice(0, 10),
          event.data.referralId,
        );
        return;
      case 'UrgentActionRaised':
        statement(db, 'UPDATE perpetrators_referrals SET open_alerts = open_alerts + 1 WHERE referral_id = ?').run(event.data.referralId);
        return;
      case 'UrgentActionResolved':
        statement(db, 'UPDATE perpetrators_referrals SET open_alerts = max(open_alerts - 1, 0) WHERE referral_id = ?').run(event.data.referralId);
        return;
      case 'CrimeOutcomeRecorded':
        // Home Office outcome 1: charged or summonsed.
        if (event.data.outcomeCode === '1') {
          statement(db, 'UPDATE perpetrators_referrals SET charged_on = coalesce(min(charged_on, ?), ?) WHERE referral_id = ?').run(
            event.data.outcomeDate,
            event.data.outcomeDate,
            event.data.referralId,
          );
        }
        return;
      case 'ReferralClosed':
        statement(db, 'UPDATE perpetrators_referrals SET closed = 1 WHERE referral_id = ?').run(event.data.referralId);
        return;
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
      default:
        return event satisfies never;
    }
  },
});

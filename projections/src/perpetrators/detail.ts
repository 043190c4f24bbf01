/**
 * One perpetrator's page: their referrals across cases (victims as V1, V2…), incidents by month, open clocks, alerts,
 * outcomes, decisions, and the score with its explanation.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import type { RfgConfig } from './rfg-config.js';
import { incidentsOf } from './rescore.js';
import { scorePerpetrator, type IncidentContribution } from './rfg-score.js';
import type { PerpetratorReferralRow, PerpetratorScoreRow } from './schema.js';
import { canonicalOf, toListRow, type PerpetratorListRow } from './ranking.js';
import { decisionsOf, type TaskingDecisionRow } from './decisions.js';

export interface PerpetratorDetail {
  partyId: string;
  linkedPartyIds: string[];
  links: { partyId: string; samePersonAs: string; linkedAt: string; linkedBy: string }[];
  score: (PerpetratorListRow & { explanation: IncidentContribution[] }) | null;
  referrals: {
    referralId: string;
    crimeOn: string;
    problemBehaviour: string;
    offenceCodes: string[];
    indicators: string[];
    closed: boolean;
    openAlerts: number;
    latestRisk: { assessmentId: string; assessedOn: string | null; dashYesCount: number | null } | null;
    latestFormulation: { formulationId: string; stalkerType: string | null } | null;
    planAgreedOn: string | null;
    chargedOn: string | null;
    /** Victims of this referral as pseudonymous numbers within this page (V1, V2…), never party ids or names. */
    victims: string[];
  }[];
  distinctVictims: number;
  incidentsByMonth: { month: string; problemBehaviour: string; count: number }[];
  activeMeasures: { referralId: string; deadlineId: string; kind: string; measureKind: string | null; dueAt: string; status: string }[];
  openAlerts: number;
  outcomes: { charged: number; reoffendedAfterFirstPlan: boolean | null };
  decisions: TaskingDecisionRow[];
}

/**
 * One perpetrator's page, by any of their party ids; undefined when no referral names them as a suspect. The score's
 * explanation is computed here, with the configuration and day the scores were computed for: only a page needs it.
 */
export function perpetratorDetail(db: Database.Database, partyId: string, config: RfgConfig, asOf: string): PerpetratorDetail | undefined {
  const canonical = canonicalOf(db, partyId) ?? partyId;
  const members = statement<[string], { party_id: string }>(db, 'SELECT party_id FROM perpetrators_members WHERE canonical_id = ? ORDER BY party_id')
    .all(canonical)
    .map((m) => m.party_id);
  const people = members.length > 0 ? members : [partyId];
  const referralIds = new Set<string>();
  const ofParty = statement<[string], { referral_id: string }>(db, `SELECT referral_id FROM perpetrators_parties WHERE party_id = ? AND role = 'suspect'`);
  for (const member of people) for (const r of ofParty.all(member)) referralIds.add(r.referral_id);
  if (referralIds.size === 0) return undefined;
  const referralRow = statement<[string], PerpetratorReferralRow>(db, 'SELECT * FROM perpetrators_referrals WHERE referral_id = ?');
  const victimsOf = statement<[string], { party_id: string }>(db, `SELECT party_id FROM perpetrators_parties WHERE referral_id = ? AND role = 'victim' ORDER BY party_id`);
  const pseudonyms = new Map<string, string>();
  const referrals: PerpetratorDetail['referrals'] = [];
  const months = new Map<string, number>();
  for (const row of [...referralIds].map((id) => referralRow.get(id)).filter((r): r is PerpetratorReferralRow => r !== undefined).sort((a, b) => a.crime_on.localeCompare(b.crime_on))) {
    const victims = victimsOf.all(row.referral_id).map((v) => {
      if (!pseudonyms.has(v.party_id)) pseudonyms.set(v.party_id, `V${pseudonyms.size + 1}`);
      return pseudonyms.get(v.party_id)!;
    });
    const key = `${row.crime_on.slice(0, 7)}|${row.problem_behaviour}`;
    months.set(key, (months.get(key) ?? 0) + 1);
    referrals.push({
      referralId: row.referral_id,
      crimeOn: row.crime_on,
      problemBehaviour: row.problem_behaviour,
      offenceCodes: row.offence_codes ? row.offence_codes.split(',') : [],
      indicators: row.indicators ? row.indicators.split(',') : [],
      closed: row.closed === 1,
      openAlerts: row.open_alerts,
      latestRisk: row.risk_id ? { assessmentId: row.risk_id, assessedOn: row.risk_on, dashYesCount: row.dash_yes_count } : null,
      latestFormulation: row.formulation_id ? { formulationId: row.formulation_id, stalkerType: row.stalker_type } : null,
      planAgreedOn: row.plan_agreed_on,
      chargedOn: row.charged_on,
      victims,
    });
  }
  const links = statement<[string, string], { party_id: string; same_person_as: string; linked_at: string; linked_by: string }>(
    db,
    'SELECT * FROM perpetrators_links WHERE party_id = ? OR same_person_as = ?',
  );
  const linkRows = new Map<string, PerpetratorDetail['links'][number]>();
  for (const member of people) {
    for (const l of links.all(member, member)) {
      linkRows.set(`${l.party_id}|${l.same_person_as}`, { partyId: l.party_id, samePersonAs: l.same_person_as, linkedAt: l.linked_at, linkedBy: l.linked_by });
    }
  }
  const scoreRow = statement<[string], PerpetratorScoreRow>(db, 'SELECT * FROM perpetrators_scores WHERE canonical_id = ?').get(canonical);
  const placeholders = [...referralIds].map(() => '?').join(',');
  // The deadlines read model holds the measures' clocks; a database without it (a test of this model alone) has none.
  const hasDeadlines = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deadlines_items'`).get() !== undefined;
  const measures = !hasDeadlines ? [] : db
    .prepare(
      `SELECT referral_id, deadline_id, kind, measure_kind, due_at, status FROM deadlines_items
        WHERE referral_id IN (${placeholders}) AND status IN ('open', 'missed') ORDER BY due_at`,
    )
    .all(...referralIds) as { referral_id: string; deadline_id: string; kind: string; measure_kind: string | null; due_at: string; status: string }[];
  const firstPlan = referrals.map((r) => r.planAgreedOn).filter((d): d is string => d !== null).sort()[0];
  return {
    partyId: canonical,
    linkedPartyIds: people.filter((p) => p !== canonical),
    links: [...linkRows.values()],
    score: scoreRow ? { ...toListRow(scoreRow), explanation: scorePerpetrator(config, incidentsOf(db, people), asOf).explanation } : null,
    referrals,
    distinctVictims: pseudonyms.size,
    incidentsByMonth: [...months].map(([key, count]) => {
      const [month, problemBehaviour] = key.split('|') as [string, string];
      return { month, problemBehaviour, count };
    }),
    activeMeasures: measures.map((m) => ({ referralId: m.referral_id, deadlineId: m.deadline_id, kind: m.kind, measureKind: m.measure_kind, dueAt: m.due_at, status: m.status })),
    openAlerts: referrals.reduce((n, r) => n + r.openAlerts, 0),
    outcomes: {
      charged: referrals.filter((r) => r.chargedOn !== null).length,
      reoffendedAfterFirstPlan: firstPlan === undefined ? null : referrals.some((r) => r.crimeOn > firstPlan),
    },
    decisions: decisionsOf(db, people),
  };
}


/**
 * Reads of the perpetrators read model: the ranked list (keyset pages), one perpetrator's page, the tasking list of a
 * meeting and the outcome of tasking. Party ids and referral ids only: victims are counted, never named.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import type { CsvColumn } from '../framework/csv.js';
import type { RfgConfig } from './rfg-config.js';
import { incidentsOf } from './rescore.js';
import { scorePerpetrator, type IncidentContribution } from './rfg-score.js';
import type { PerpetratorReferralRow, PerpetratorScoreRow } from './schema.js';

export interface PerpetratorListRow extends Record<string, unknown> {
  partyId: string;
  linkedPartyIds: string[];
  score: number;
  recency: number;
  frequency: number;
  gravity: number;
  victims: number;
  incidentsInWindow: number;
  distinctVictims: number;
  referrals: number;
  lastIncidentOn: string | null;
  problemBehaviours: string[];
}

export interface PerpetratorCursor {
  score: number;
  partyId: string;
}

export interface PerpetratorListFilter {
  behaviour?: string;
  limit: number;
  after?: PerpetratorCursor;
}

function toListRow(r: PerpetratorScoreRow): PerpetratorListRow {
  return {
    partyId: r.canonical_id,
    linkedPartyIds: r.members.split(',').filter((m) => m !== r.canonical_id),
    score: r.score,
    recency: r.recency,
    frequency: r.frequency,
    gravity: r.gravity,
    victims: r.victims,
    incidentsInWindow: r.incidents_in_window,
    distinctVictims: r.distinct_victims,
    referrals: r.referrals,
    lastIncidentOn: r.last_incident_on,
    problemBehaviours: r.behaviours.split(',').filter(Boolean),
  };
}

/**
 * Highest score first, then party id: a total order, so a keyset cursor neither repeats nor skips. A page after a
 * cursor is two index seeks, the rest of the cursor's own score (ties are common: many people score alike) and
 * then the lower scores, so a deep page costs what the first one does.
 */
export function listPerpetrators(db: Database.Database, filter: PerpetratorListFilter): { rows: PerpetratorListRow[]; more: boolean } {
  const like = filter.behaviour ? ' AND behaviours LIKE ?' : '';
  const behaviour = filter.behaviour ? [`%,${filter.behaviour},%`] : [];
  const want = filter.limit + 1;
  let rows: PerpetratorScoreRow[];
  if (!filter.after) {
    rows = statement<unknown[], PerpetratorScoreRow>(db, `SELECT * FROM perpetrators_scores WHERE 1${like} ORDER BY score DESC, canonical_id LIMIT ?`).all(...behaviour, want);
  } else {
    const { score, partyId } = filter.after;
    rows = statement<unknown[], PerpetratorScoreRow>(
      db,
      `SELECT * FROM perpetrators_scores WHERE score = ? AND canonical_id > ?${like} ORDER BY score DESC, canonical_id LIMIT ?`,
    ).all(score, partyId, ...behaviour, want);
    if (rows.length < want) {
      rows = rows.concat(
        statement<unknown[], PerpetratorScoreRow>(db, `SELECT * FROM perpetrators_scores WHERE score < ?${like} ORDER BY score DESC, canonical_id LIMIT ?`).all(
          score,
          ...behaviour,
          want - rows.length,
        ),
      );
    }
  }
  return { rows: rows.slice(0, filter.limit).map(toListRow), more: rows.length > filter.limit };
}

export function encodePerpetratorCursor(row: Pick<PerpetratorListRow, 'score' | 'partyId'>): string {
  return Buffer.from(JSON.stringify([row.score, row.partyId])).toString('base64url');
}

export function decodePerpetratorCursor(text: string): PerpetratorCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'number' && typeof parsed[1] === 'string' && /^pty-[0-9a-f]{24}$/.test(parsed[1])) {
      return { score: parsed[0], partyId: parsed[1] };
    }
  } catch {
    // not base64url JSON: not a cursor of this list
  }
  return undefined;
}

export const perpetratorCsvColumns: CsvColumn<PerpetratorListRow>[] = [
  { header: 'partyId', value: (r) => r.partyId },
  { header: 'linkedPartyIds', value: (r) => r.linkedPartyIds.join(' ') },
  { header: 'score', value: (r) => r.score },
  { header: 'recency', value: (r) => r.recency },
  { header: 'frequency', value: (r) => r.frequency },
  { header: 'gravity', value: (r) => r.gravity },
  { header: 'victims', value: (r) => r.victims },
  { header: 'incidentsInWindow', value: (r) => r.incidentsInWindow },
  { header: 'distinctVictims', value: (r) => r.distinctVictims },
  { header: 'referrals', value: (r) => r.referrals },
  { header: 'lastIncidentOn', value: (r) => r.lastIncidentOn },
  { header: 'problemBehaviours', value: (r) => r.problemBehaviours.join(' ') },
];

/** The canonical id of the person a party id belongs to: through their links, or itself when it was scored alone. */
export function canonicalOf(db: Database.Database, partyId: string): string | undefined {
  const linked = statement<[string], { canonical_id: string }>(db, 'SELECT canonical_id FROM perpetrators_members WHERE party_id = ?').get(partyId);
  if (linked) return linked.canonical_id;
  return statement<[string], { canonical_id: string }>(db, 'SELECT canonical_id FROM perpetrators_scores WHERE canonical_id = ?').get(partyId)?.canonical_id;
}

export interface TaskingDecisionRow {
  meetingOn: string;
  decision: string;
  score: number;
  configVersion: string;
  attendees: { agency: string; count: number }[];
  decidedAt: string;
  decidedBy: string;
}

function decisionsOf(db: Database.Database, members: readonly string[]): TaskingDecisionRow[] {
  const rows: TaskingDecisionRow[] = [];
  const read = statement<[string], Record<string, string | number>>(db, 'SELECT * FROM perpetrators_decisions WHERE party_id = ? ORDER BY meeting_on');
  for (const member of members) {
    for (const r of read.all(member)) {
      rows.push({
        meetingOn: String(r.meeting_on),
        decision: String(r.decision),
        score: Number(r.score),
        configVersion: String(r.config_version),
        attendees: JSON.parse(String(r.attendees)) as TaskingDecisionRow['attendees'],
        decidedAt: String(r.decided_at),
        decidedBy: String(r.decided_by),
      });
    }
  }
  return rows.sort((a, b) => a.meetingOn.localeCompare(b.meetingOn));
}

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

/** The meeting before `meetingOn`: the last one with a decision recorded, else one cadence earlier. */
export function previousMeeting(db: Database.Database, meetingOn: string, cadenceDays: number): string {
  const last = statement<[string], { meeting_on: string }>(db, 'SELECT max(meeting_on) AS meeting_on FROM perpetrators_decisions WHERE meeting_on < ?').get(meetingOn);
  if (last?.meeting_on) return last.meeting_on;
  return new Date(Date.parse(`${meetingOn}T00:00:00Z`) - cadenceDays * 86_400_000).toISOString().slice(0, 10);
}

export interface TaskingRow extends PerpetratorListRow {
  /** Incidents (referrals) with a crime after the previous meeting, up to this one. */
  newIncidentsSinceLastMeeting: number;
  /** The last decision any meeting before this one recorded about them. */
  lastDecision: { meetingOn: string; decision: string } | null;
  /** This meeting's decision, once recorded. */
  decision: string | null;
  /** Urgent alerts still open on their referrals. */
  openAlerts: number;
}

/** The tasking list of a meeting: the top of the ranking, with what happened since the last meeting. */
export function taskingList(
  db: Database.Database,
  filter: { meetingOn: string; previousMeetingOn: string; behaviour?: string; limit: number },
): TaskingRow[] {
  const { rows } = listPerpetrators(db, { limit: filter.limit, ...(filter.behaviour ? { behaviour: filter.behaviour } : {}) });
  const since = statement<[string, string, string], { n: number }>(
    db,
    `SELECT count(DISTINCT r.referral_id) AS n FROM perpetrators_parties p JOIN perpetrators_referrals r ON r.referral_id = p.referral_id
      WHERE p.party_id = ? AND p.role = 'suspect' AND r.crime_on > ? AND r.crime_on <= ?`,
  );
  const alerts = statement<[string], { n: number | null }>(
    db,
    `SELECT sum(r.open_alerts) AS n FROM perpetrators_parties p JOIN perpetrators_referrals r ON r.referral_id = p.referral_id
      WHERE p.party_id = ? AND p.role = 'suspect'`,
  );
  return rows.map((row) => {
    const people = [row.partyId, ...row.linkedPartyIds];
    const decisions = decisionsOf(db, people);
    const before = decisions.filter((d) => d.meetingOn < filter.meetingOn).at(-1);
    const now = decisions.find((d) => d.meetingOn === filter.meetingOn);
    return {
      ...row,
      newIncidentsSinceLastMeeting: people.reduce((n, p) => n + since.get(p, filter.previousMeetingOn, filter.meetingOn)!.n, 0),
      lastDecision: before ? { meetingOn: before.meetingOn, decision: before.decision } : null,
      decision: now?.decision ?? null,
      openAlerts: people.reduce((n, p) => n + (alerts.get(p)!.n ?? 0), 0),
    };
  });
}

export interface TaskingOutcomeGroup {
  period: string;
  decision: string;
  perpetrators: number;
  /** Perpetrators with a new incident within `windowDays` after the meeting. */
  reoffended: number;
  reoffendedPct: number | null;
  /** Mean RFG score the meeting saw, and the mean score `windowDays` after the meeting (same configuration as now). */
  meanScoreBefore: number | null;
  meanScoreAfter: number | null;
  /** Perpetrators whose window has not ended by `asOf` (their figures may still change). */
  stillInFollowUp: number;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Whether tasking works: per quarter of meeting dates and decision (adopt against not adopt and defer), how many went
 * on to offend again within the window and their RFG score before (as the meeting saw it) and after (scored now,
 * as of the end of the window, with the current configuration, from the incidents up to then).
 */
export function taskingOutcomes(
  db: Database.Database,
  config: RfgConfig,
  query: { from: string; to: string; windowDays: number; asOf: string },
): TaskingOutcomeGroup[] {
  const decisions = statement<[string, string], { party_id: string; meeting_on: string; decision: string; score: number }>(
    db,
    'SELECT party_id, meeting_on, decision, score FROM perpetrators_decisions WHERE meeting_on >= ? AND meeting_on <= ? ORDER BY meeting_on, party_id',
  ).all(query.from, query.to);
  const groups = new Map<string, { n: number; re: number; before: number; after: number; follow: number }>();
  for (const d of decisions) {
    const canonical = canonicalOf(db, d.party_id) ?? d.party_id;
    const members = statement<[string], { party_id: string }>(db, 'SELECT party_id FROM perpetrators_members WHERE canonical_id = ?').all(canonical).map((m) => m.party_id);
    const incidents = incidentsOf(db, members.length > 0 ? members : [d.party_id]);
    const end = addDays(d.meeting_on, query.windowDays);
    const reoffended = incidents.some((i) => i.on > d.meeting_on && i.on <= end);
    const scoredOn = end < query.asOf ? end : query.asOf;
    const after = scorePerpetrator(config, incidents.filter((i) => i.on <= scoredOn), scoredOn).score;
    const [year, month] = d.meeting_on.split('-');
    const key = `${year}-Q${Math.ceil(Number(month) / 3)}|${d.decision}`;
    const g = groups.get(key) ?? { n: 0, re: 0, before: 0, after: 0, follow: 0 };
    g.n += 1;
    if (reoffended) g.re += 1;
    g.before += d.score;
    g.after += after;
    if (end > query.asOf) g.follow += 1;
    groups.set(key, g);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return [...groups].map(([key, g]) => {
    const [period, decision] = key.split('|') as [string, string];
    return {
      period,
      decision,
      perpetrators: g.n,
      reoffended: g.re,
      reoffendedPct: g.n ? round((100 * g.re) / g.n) : null,
      meanScoreBefore: g.n ? round(g.before / g.n) : null,
      meanScoreAfter: g.n ? round(g.after / g.n) : null,
      stillInFollowUp: g.follow,
    };
  });
}

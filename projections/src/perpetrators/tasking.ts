/** The tasking meeting's list (the top of the ranking, with what happened since the last meeting) and the outcome of tasking. */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import type { RfgConfig } from './rfg-config.js';
import { incidentsOf } from './rescore.js';
import { scorePerpetrator } from './rfg-score.js';
import { canonicalOf, listPerpetrators, type PerpetratorListRow } from './ranking.js';
import { decisionsOf } from './decisions.js';

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
  filter: { meetingOn: string; previousMeetingOn: string; behaviour?: string; area?: string; limit: number },
): TaskingRow[] {
  const { rows } = listPerpetrators(db, { limit: filter.limit, ...(filter.behaviour ? { behaviour: filter.behaviour } : {}), ...(filter.area ? { area: filter.area } : {}) });
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

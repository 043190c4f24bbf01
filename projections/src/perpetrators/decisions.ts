/** The tasking meetings' decisions about a person, as the read model keeps them. */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

export interface TaskingDecisionRow {
  meetingOn: string;
  decision: string;
  score: number;
  configVersion: string;
  attendees: { agency: string; count: number }[];
  decidedAt: string;
  decidedBy: string;
}

export function decisionsOf(db: Database.Database, members: readonly string[]): TaskingDecisionRow[] {
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


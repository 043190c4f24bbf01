/**
 * The ranking: perpetrators by RFG(V) score in keyset pages, its CSV columns, and which person a party id belongs to.
 * Party ids and counts only: victims are counted, never named.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import type { CsvColumn } from '../framework/csv.js';
import type { PerpetratorScoreRow } from './schema.js';

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
  /** The policing areas their referrals were recorded in (those that said). */
  areas: string[];
}

export interface PerpetratorCursor {
  score: number;
  partyId: string;
}

export interface PerpetratorListFilter {
  behaviour?: string;
  /** Only people with a referral recorded in this policing area. */
  area?: string;
  limit: number;
  after?: PerpetratorCursor;
}

export function toListRow(r: PerpetratorScoreRow): PerpetratorListRow {
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
    areas: r.areas.split(',').filter(Boolean),
  };
}

/**
 * Highest score first, then party id: a total order, so a keyset cursor neither repeats nor skips. A page after a
 * cursor is two index seeks, the rest of the cursor's own score (ties are common: many people score alike) and
 * then the lower scores, so a deep page costs what the first one does.
 */
export function listPerpetrators(db: Database.Database, filter: PerpetratorListFilter): { rows: PerpetratorListRow[]; more: boolean } {
  // Behaviours and areas are kept with a comma around each, so a LIKE finds whole ones. An area is matched as
  // written, without LIKE's wildcards (its characters hold no % or _; see the source schema).
  const like = `${filter.behaviour ? ' AND behaviours LIKE ?' : ''}${filter.area ? " AND areas LIKE ? ESCAPE '\\'" : ''}`;
  const behaviour = [...(filter.behaviour ? [`%,${filter.behaviour},%`] : []), ...(filter.area ? [`%,${filter.area.replace(/[\\%_]/g, (c) => `\\${c}`)},%`] : [])];
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
  { header: 'areas', value: (r) => r.areas.join('; ') },
];

/** The canonical id of the person a party id belongs to: through their links, or itself when it was scored alone. */
export function canonicalOf(db: Database.Database, partyId: string): string | undefined {
  const linked = statement<[string], { canonical_id: string }>(db, 'SELECT canonical_id FROM perpetrators_members WHERE party_id = ?').get(partyId);
  if (linked) return linked.canonical_id;
  return statement<[string], { canonical_id: string }>(db, 'SELECT canonical_id FROM perpetrators_scores WHERE canonical_id = ?').get(partyId)?.canonical_id;
}


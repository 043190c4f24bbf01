/** Finding cases by the MACs of a name's words or of a source reference (the API computes them with the same key). */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

/** The search: one range of the terms' key per MAC, the people by their rowid (its plan is pinned by the spec). */
export const CASE_SEARCH_SQL = `SELECT p.referral_id FROM (
    SELECT person FROM case_search_terms WHERE mac IN (SELECT unhex(value) FROM json_each(?))
    GROUP BY person HAVING count(*) = ? ORDER BY person DESC LIMIT ?
  ) AS m JOIN case_search_people AS p ON p.person = m.person
  ORDER BY m.person DESC`;

/**
 * The cases in which one person matches every MAC given (all the words of a name, or a reference), newest
 * entries first, at most `limit` people's cases. MACs are the hex `blindIndex` gives; the index keeps their bytes.
 */
export function searchCases(db: Database.Database, macs: readonly string[], limit = 200): string[] {
  const distinct = [...new Set(macs)];
  if (distinct.length === 0) return [];
  const rows = statement<[string, number, number], { referral_id: string }>(db, CASE_SEARCH_SQL).all(JSON.stringify(distinct), distinct.length, limit);
  return [...new Set(rows.map((r) => r.referral_id))];
}

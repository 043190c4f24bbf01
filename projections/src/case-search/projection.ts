/**
 * The case search's blind index: for each person named in a case, the keyed MACs of their name's words and of
 * their source person reference (blind-index.ts), never the clear text. It is built from the decrypted intake
 * events the engine's projector reads; an event whose people are still sealed (a rebuild over the raw log) indexes
 * nothing. Erasure of a person and disposal of a case remove their entries, as crypto-shredding removes their data.
 */
import type Database from 'better-sqlite3';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { blindIndex, nameWords, normaliseSourceRef } from './blind-index.js';

export const CASE_SEARCH_PROJECTION = 'case_search';

export const caseSearchTables = ['case_search_terms'] as const;

export const caseSearchSchema = `
  CREATE TABLE case_search_terms (
    mac         TEXT NOT NULL,   -- HMAC (HRU_BLIND_INDEX_KEY) of kind and normalised term: never the term itself
    referral_id TEXT NOT NULL,
    party_id    TEXT NOT NULL,
    PRIMARY KEY (mac, referral_id, party_id)
  ) WITHOUT ROWID;
  CREATE INDEX case_search_terms_by_referral ON case_search_terms (referral_id, party_id);
  CREATE INDEX case_search_terms_by_party ON case_search_terms (party_id)
`;

const eventTypes = ['ReferralReceived', 'ReferralDetailsUpdated', 'PartyErased', 'RetentionReviewed'] as const;

export interface CaseSearchSettings {
  /** HRU_BLIND_INDEX_KEY (or the generated one): the API must search with the same key. */
  key: Uint8Array;
}

interface Person {
  partyId: string;
  name?: string;
  sourceRef?: string;
}

/** The people of an intake event in clear (decrypted); none when sealed, erased or absent. */
function peopleOf(event: ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated'>): Person[] {
  const people = (event.data.personal as { people?: unknown }).people;
  if (!Array.isArray(people)) return [];
  return people.filter((p): p is Person => typeof p === 'object' && p !== null && typeof (p as Person).partyId === 'string' && !('erased' in p));
}

export function caseSearchProjection(settings: CaseSearchSettings) {
  const key = settings.key;
  return defineProjection({
    name: CASE_SEARCH_PROJECTION,
    version: 1,
    eventTypes,
    tables: caseSearchTables,
    schema: caseSearchSchema,
    // An erasure removes the person's entries in every case, across streams.
    splitsByStream: false,
    apply(db: Database.Database, event) {
      switch (event.type) {
        case 'ReferralReceived':
        case 'ReferralDetailsUpdated': {
          const insert = statement(db, 'INSERT OR IGNORE INTO case_search_terms (mac, referral_id, party_id) VALUES (?, ?, ?)');
          const clear = statement(db, 'DELETE FROM case_search_terms WHERE referral_id = ? AND party_id = ?');
          for (const person of peopleOf(event)) {
            // An update carries a changed person whole: their entries are replaced.
            clear.run(event.data.referralId, person.partyId);
            const terms = [
              ...(person.name ? nameWords(person.name).map((w) => blindIndex(key, 'name', w)) : []),
              ...(person.sourceRef ? [blindIndex(key, 'ref', normaliseSourceRef(person.sourceRef))] : []),
            ];
            for (const mac of terms) insert.run(mac, event.data.referralId, person.partyId);
          }
          return;
        }
        case 'PartyErased':
          statement(db, 'DELETE FROM case_search_terms WHERE party_id = ?').run(event.data.partyId);
          return;
        case 'RetentionReviewed':
          if (event.data.decision === 'dispose') statement(db, 'DELETE FROM case_search_terms WHERE referral_id = ?').run(event.data.referralId);
          return;
        default:
          return event satisfies never;
      }
    },
  });
}

/**
 * The cases in which one person matches every MAC given (all the words of a name, or a reference), newest
 * entries first, at most `limit`.
 */
export function searchCases(db: Database.Database, macs: readonly string[], limit = 200): string[] {
  if (macs.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT referral_id FROM case_search_terms WHERE mac IN (SELECT value FROM json_each(?))
       GROUP BY referral_id, party_id HAVING count(DISTINCT mac) = ? LIMIT ?`,
    )
    .all(JSON.stringify([...new Set(macs)]), new Set(macs).size, limit) as { referral_id: string }[];
  return [...new Set(rows.map((r) => r.referral_id))];
}

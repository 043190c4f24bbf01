/**
 * The case search's blind index: for each person named in a case, the keyed MACs of their name's words and of
 * their source person reference (blind-index.ts), never the clear text. It is built from the decrypted intake
 * events the engine's projector reads; an event whose people are still sealed (a rebuild over the raw log) indexes
 * nothing. Erasure of a person and disposal of a case remove their entries, as crypto-shredding removes their data.
 * The tables are in schema.ts; a rebuild loads them through shadow-applier.ts.
 */
import type Database from 'better-sqlite3';
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { indexedPeople, macUnder } from './people.js';
import { caseSearchSchema, caseSearchTables, macsOf } from './schema.js';
import { caseSearchShadowApplier } from './shadow-applier.js';

export { caseSearchSchema, caseSearchTables } from './schema.js';
export { CASE_SEARCH_SQL, searchCases } from './search.js';

export const CASE_SEARCH_PROJECTION = 'case_search';

const eventTypes = ['ReferralReceived', 'ReferralDetailsUpdated', 'PartyErased', 'RetentionReviewed'] as const;

export interface CaseSearchSettings {
  /** HRU_BLIND_INDEX_KEY (or the generated one): the API must search with the same key. */
  key: Uint8Array;
}

/** Deletes people rows (found by `where`) with their terms, through the terms' primary key. */
function forget(db: Database.Database, where: string, ...params: unknown[]): void {
  const doomed = statement<unknown[], { person: number; macs: Buffer }>(db, `SELECT person, macs FROM case_search_people WHERE ${where}`).all(...params);
  const deleteTerm = statement(db, 'DELETE FROM case_search_terms WHERE mac = ? AND person = ?');
  const deletePerson = statement(db, 'DELETE FROM case_search_people WHERE person = ?');
  for (const { person, macs } of doomed) {
    for (const mac of macsOf(macs)) deleteTerm.run(mac, person);
    deletePerson.run(person);
  }
}

export function caseSearchProjection(settings: CaseSearchSettings) {
  const key = settings.key;
  const mac = macUnder(key);
  return defineProjection({
    name: CASE_SEARCH_PROJECTION,
    // 2: a people table and MAC-first terms pointing at it (schema.ts), instead of a row per MAC with both ids.
    version: 2,
    eventTypes,
    tables: caseSearchTables,
    schema: caseSearchSchema,
    // An erasure removes the person's entries in every case, across streams.
    splitsByStream: false,
    apply(db: Database.Database, event) {
      switch (event.type) {
        case 'ReferralReceived':
        case 'ReferralDetailsUpdated': {
          const insertPerson = statement(db, 'INSERT INTO case_search_people (person, referral_id, party_id, macs) VALUES (?, ?, ?, ?)');
          const insertTerm = statement(db, 'INSERT OR IGNORE INTO case_search_terms (mac, person) VALUES (?, ?)');
          for (const { person, partyId, macs } of indexedPeople(mac, event)) {
            // An update carries a changed person whole: their entries are replaced.
            forget(db, 'referral_id = ? AND party_id = ?', event.data.referralId, partyId);
            insertPerson.run(person, event.data.referralId, partyId, macs);
            for (const mac of macsOf(macs)) insertTerm.run(mac, person);
          }
          return;
        }
        case 'PartyErased':
          forget(db, 'party_id = ?', event.data.partyId);
          return;
        case 'RetentionReviewed':
          if (event.data.decision === 'dispose') forget(db, 'referral_id = ?', event.data.referralId);
          return;
        default:
          return event satisfies never;
      }
    },
    shadowApplier: (db) => caseSearchShadowApplier(db, key),
  });
}

/**
 * The case search's rebuild into a shadow (which has no secondary indexes until the swap): people rows are
 * appended as the log gives them, and everything that needs a look-up is done in bulk at `flush`:
 *
 * - the terms of the people written since the last flush, inserted from their rows' MACs sorted by the terms' key
 *   (one ordered append instead of six random inserts per intake);
 * - updates, erasures and disposals, held as "rows of this case and party / party / case written before this
 *   log position" (a person's id is their position, schema.ts) and applied in one scan of the people rows. Each
 *   only deletes rows older than itself, so applying them together after the appends leaves what applying them
 *   one by one, in log order, would (what `apply` does live).
 *
 * A ReferralReceived starts its stream (the store refuses a second one), so its people replace no one.
 */
import type Database from 'better-sqlite3';
import type { ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import { cachedMacUnder, indexedPeople } from './people.js';
import { firstPersonAt, MAC_BYTES, macsOf } from './schema.js';

type CaseSearchEvent = ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated' | 'PartyErased' | 'RetentionReviewed'>;

/** Held deletions before they are applied in a scan of their own (bounds the memory they take). */
const HELD_LIMIT = 50_000;

export function caseSearchShadowApplier(db: Database.Database, key: Uint8Array): ShadowApplier<CaseSearchEvent['type']> {
  const insertPerson = db.prepare('INSERT INTO case_search_people (person, referral_id, party_id, macs) VALUES (?, ?, ?, ?)');
  const mac = cachedMacUnder(key);
  const maxPerson = () => (db.prepare('SELECT max(person) AS m FROM case_search_people').get() as { m: number | null }).m ?? -1;
  // Terms exist for the people up to here (a shadow may be loaded already); later ones get theirs at flush.
  let termsUpTo = maxPerson();
  let mostMacs = 0;
  /** Case and party → the newest person written for them: older rows of theirs are replaced. */
  const replaced = new Map<string, number>();
  /** Party → rows of theirs written before this person id are erased. */
  const erased = new Map<string, number>();
  /** Case → rows of it written before this person id are disposed of. */
  const disposed = new Map<string, number>();
  const held = () => replaced.size + erased.size + disposed.size;
  const hold = (map: Map<string, number>, key: string, before: number) => map.set(key, Math.max(map.get(key) ?? -1, before));

  function applyHeld(): void {
    if (held() === 0) return;
    const deleteTerm = db.prepare('DELETE FROM case_search_terms WHERE mac = ? AND person = ?');
    const deletePerson = db.prepare('DELETE FROM case_search_people WHERE person = ?');
    const doomed: { person: number; macs: Buffer }[] = [];
    const rows = db.prepare('SELECT person, referral_id, party_id, macs FROM case_search_people').raw().iterate() as IterableIterator<[number, string, string, Buffer]>;
    for (const [person, referralId, partyId, macs] of rows) {
      if (
        person < (replaced.get(`${referralId}\0${partyId}`) ?? -1) ||
        person < (erased.get(partyId) ?? -1) ||
        person < (disposed.get(referralId) ?? -1)
      ) {
        doomed.push({ person, macs });
      }
    }
    for (const { person, macs } of doomed) {
      if (person <= termsUpTo) for (const mac of macsOf(macs)) deleteTerm.run(mac, person);
      deletePerson.run(person);
    }
    replaced.clear();
    erased.clear();
    disposed.clear();
  }

  /** The terms of the people written since the last flush, in the terms' key order. */
  function insertNewTerms(): void {
    if (mostMacs === 0) return;
    db.prepare(
      `INSERT OR IGNORE INTO case_search_terms (mac, person)
       WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?)
       SELECT substr(p.macs, ${MAC_BYTES} * k.i + 1, ${MAC_BYTES}), p.person
       FROM case_search_people AS p JOIN k ON ${MAC_BYTES} * k.i < length(p.macs)
       WHERE p.person > ?
       ORDER BY 1, 2`,
    ).run(mostMacs, termsUpTo);
  }

  return {
    apply(event) {
      switch (event.type) {
        case 'ReferralReceived':
        case 'ReferralDetailsUpdated':
          for (const { person, partyId, macs } of indexedPeople(mac, event)) {
            insertPerson.run(person, event.data.referralId, partyId, macs);
            mostMacs = Math.max(mostMacs, macs.length / MAC_BYTES);
            if (event.type === 'ReferralDetailsUpdated') hold(replaced, `${event.data.referralId}\0${partyId}`, person);
          }
          break;
        case 'PartyErased':
          hold(erased, event.data.partyId, firstPersonAt(event.position));
          break;
        case 'RetentionReviewed':
          if (event.data.decision === 'dispose') hold(disposed, event.data.referralId, firstPersonAt(event.position));
          break;
        default:
          return event satisfies never;
      }
      if (held() >= HELD_LIMIT) applyHeld();
    },
    flush() {
      applyHeld();
      insertNewTerms();
      termsUpTo = Math.max(termsUpTo, maxPerson());
      mostMacs = 0;
    },
  };
}

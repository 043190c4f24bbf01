/**
 * The case search's tables (version 2). A person named in a case is one row of `case_search_people`, and each of
 * their MACs one row of `case_search_terms`, keyed by the MAC first (a search reads a MAC's people in one range)
 * and pointing at the person by a short integer. Version 1 kept one row per MAC with both ids in it and two
 * secondary indexes over it: 18 random inserts of about 100 bytes per intake, against 6 of about 20 bytes here,
 * plus 2 people rows appended in log order and their 2 index entries.
 *
 * A person's id is where they were written in the log, `position × 32 + their index in the event` (an intake
 * names at most 20 people): the same whether the row was applied live or by a rebuild, and in log order, so a
 * rebuild can append rows and apply updates, erasures and disposals later as "the rows written before this".
 *
 * The people row keeps the person's MACs (16 bytes each, the first half of the HMAC), so an update, an erasure or
 * a disposal finds the terms to delete by their primary key. Nothing here is a name or a reference in clear.
 */
export const caseSearchTables = ['case_search_people', 'case_search_terms'] as const;

export const caseSearchSchema = `
  CREATE TABLE case_search_people (
    person      INTEGER PRIMARY KEY,  -- log position × 32 + the person's index in the event
    referral_id TEXT    NOT NULL,
    party_id    TEXT    NOT NULL,
    macs        BLOB    NOT NULL      -- the person's MACs, 16 bytes each (possibly none)
  );
  CREATE TABLE case_search_terms (
    mac    BLOB    NOT NULL,          -- HMAC (HRU_BLIND_INDEX_KEY) of kind and normalised term, first 16 bytes
    person INTEGER NOT NULL,
    PRIMARY KEY (mac, person)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX case_search_people_by_case ON case_search_people (referral_id, party_id);
  CREATE INDEX case_search_people_by_party ON case_search_people (party_id)
`;

/** Bytes of a MAC as the index keeps it (the hex `blindIndex` gives, read as bytes). */
export const MAC_BYTES = 16;

/** People an intake event names at most (`personal.people` is capped at 20): the room each position leaves. */
export const PEOPLE_PER_POSITION = 32;

/** The id of the `index`th person of the event at `position`. */
export function personId(position: bigint, index: number): number {
  return Number(position) * PEOPLE_PER_POSITION + index;
}

/** The first id an event at `position` can give: every row below it was written before that event. */
export function firstPersonAt(position: bigint): number {
  return Number(position) * PEOPLE_PER_POSITION;
}

/** The MACs of a people row, each as its own 16 bytes. */
export function macsOf(blob: Buffer): Buffer[] {
  const macs: Buffer[] = [];
  for (let at = 0; at + MAC_BYTES <= blob.length; at += MAC_BYTES) macs.push(blob.subarray(at, at + MAC_BYTES));
  return macs;
}

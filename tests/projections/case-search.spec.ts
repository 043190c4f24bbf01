/**
 * The case search's blind index over opened intake events, by its `apply` (live) and by its rebuild's shadow
 * applier (appends, then updates, erasures, disposals and the terms in bulk at flush): the same rows either way,
 * whatever the order of updates, erasures, re-intakes and disposals, and searches that find exactly the people
 * whose every word matches.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { blindIndex, CASE_SEARCH_SQL, caseSearchProjection, createIndexes, installSchema, searchCases, type ProjectedEvent } from '@hru/projections';

const key = Buffer.alloc(32, 9);
const projection = caseSearchProjection({ key });
const ref = (n: number) => `ref-${n.toString(16).padStart(32, '0')}`;
const pty = (n: number) => `pty-${n.toString(16).padStart(24, '0')}`;
const name = (...words: string[]) => words.map((w) => blindIndex(key, 'name', w));

type Person = { partyId: string; name?: string; sourceRef?: string } | { partyId: string; erased: true };
type Event = ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated' | 'PartyErased' | 'RetentionReviewed'>;
let position = 0n;
const meta = () => ({ occurredAt: '2026-11-30T10:00:00Z', schemaVersion: 3, actorId: 'spec' });
const intake = (type: 'ReferralReceived' | 'ReferralDetailsUpdated', referral: number, people: Person[]) =>
  ({ type, position: ++position, metadata: meta(), data: { referralId: ref(referral), personal: { people } } }) as unknown as Event;
const erased = (referral: number, party: number) =>
  ({ type: 'PartyErased', position: ++position, metadata: meta(), data: { referralId: ref(referral), partyId: pty(party) } }) as unknown as Event;
const disposed = (referral: number) =>
  ({
    type: 'RetentionReviewed',
    position: ++position,
    metadata: meta(),
    data: { referralId: ref(referral), decision: 'dispose', mopiGroup: 2, nextReviewDue: null, disposedParties: [], personal: {} },
  }) as unknown as Event;

/** A history with every kind of change, people shared across cases (the same party id). */
function history(): Event[] {
  position = 0n;
  return [
    intake('ReferralReceived', 1, [
      { partyId: pty(1), name: 'Zoë Ångström-Quibble', sourceRef: 'p-1' },
      { partyId: pty(2), name: 'Sam Example', sourceRef: 'S-2' },
    ]),
    intake('ReferralReceived', 2, [
      { partyId: pty(3), name: 'Alex Example' },
      { partyId: pty(2), name: 'Sam Example', sourceRef: 'S-2' },
    ]),
    // The victim of case 1 renamed: the old words stop finding her.
    intake('ReferralDetailsUpdated', 1, [{ partyId: pty(1), name: 'Zoë Smith', sourceRef: 'P-1' }]),
    // Sam erased in every case; then named again in a new case (kept: written after the erasure).
    erased(1, 2),
    intake('ReferralReceived', 3, [{ partyId: pty(2), name: 'Sam Example' }, { partyId: pty(4), erased: true }]),
    intake('ReferralReceived', 4, [
      { partyId: pty(5), name: 'Robin Hood', sourceRef: 'R-5' },
      { partyId: pty(5), name: 'Robin Locksley', sourceRef: 'R-5' },
    ]),
    intake('ReferralDetailsUpdated', 2, [{ partyId: pty(3), name: 'Alex Other' }]),
    disposed(2),
    intake('ReferralDetailsUpdated', 4, [{ partyId: pty(5) }]),
    intake('ReferralReceived', 5, [{ partyId: pty(6), name: 'Alex Example', sourceRef: 'A-6' }]),
  ];
}

const dbs: Database.Database[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

function live(events: readonly Event[]): Database.Database {
  const db = new Database(':memory:');
  dbs.push(db);
  installSchema(db, projection);
  for (const event of events) projection.apply(db, event);
  return db;
}

/** As a rebuild does: tables without their indexes, the shadow applier, flushes where asked, indexes last. */
function rebuilt(events: readonly Event[], flushAfter: number[] = []): Database.Database {
  const db = new Database(':memory:');
  dbs.push(db);
  installSchema(db, projection, { withIndexes: false });
  const applier = projection.shadowApplier!(db);
  events.forEach((event, i) => {
    applier.apply(event);
    if (flushAfter.includes(i)) applier.flush();
  });
  applier.flush();
  createIndexes(db, projection);
  return db;
}

const rows = (db: Database.Database) => ({
  people: db.prepare('SELECT person, referral_id, party_id, hex(macs) AS macs FROM case_search_people ORDER BY person').all(),
  terms: db.prepare('SELECT hex(mac) AS mac, person FROM case_search_terms ORDER BY mac, person').all(),
});

describe('case search', () => {
  it('finds the cases in which one person matches every word, newest first; updates, erasures and disposals remove', () => {
    const db = live(history());
    expect(searchCases(db, name('smith'))).toEqual([ref(1)]);
    expect(searchCases(db, name('zoe', 'smith'))).toEqual([ref(1)]);
    expect(searchCases(db, name('quibble'))).toEqual([]);
    expect(searchCases(db, [blindIndex(key, 'ref', 'P-1')])).toEqual([ref(1)]);
    // Every word must match the same person.
    expect(searchCases(db, name('zoe', 'example'))).toEqual([]);
    // Erased in cases 1 and 2; named again afterwards in case 3.
    expect(searchCases(db, name('sam'))).toEqual([ref(3)]);
    expect(searchCases(db, [blindIndex(key, 'ref', 'S-2')])).toEqual([]);
    // Case 2 disposed of; case 5's Alex Example found, newest first among several.
    expect(searchCases(db, name('alex'))).toEqual([ref(5)]);
    expect(searchCases(db, name('example'))).toEqual([ref(5), ref(3)]);
    expect(searchCases(db, name('example'), 1)).toEqual([ref(5)]);
    // A party listed twice counts as its last entry; an update without name or reference leaves nothing to find.
    expect(searchCases(db, name('robin'))).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM case_search_people WHERE referral_id = ?').get(ref(2))).toEqual({ n: 0 });
    expect(searchCases(db, [])).toEqual([]);
  });

  it('is rebuilt into exactly the rows the live apply leaves, whenever the rebuild flushes', () => {
    const events = history();
    const expected = rows(live(events));
    expect(expected.terms.length).toBeGreaterThan(5);
    expect(rows(rebuilt(events))).toEqual(expected);
    for (let i = 0; i < events.length; i++) expect(rows(rebuilt(events, [i])), `flushed after event ${i}`).toEqual(expected);
    expect(rows(rebuilt(events, [1, 3, 5, 7]))).toEqual(expected);
  });

  it('keeps MACs only: 16 bytes each, no word or reference of a name in any row', () => {
    const db = live(history());
    const dump = JSON.stringify(rows(db)).toLowerCase();
    for (const word of ['zoe', 'smith', 'example', 'alex', 'p-1', 's-2', 'robin']) expect(dump).not.toContain(word);
    const macs = db.prepare('SELECT mac FROM case_search_terms').all() as { mac: Buffer }[];
    expect(macs.every((m) => m.mac.length === 16)).toBe(true);
  });

  it('searches and deletes through keys, never a scan of the index (the plans at any size)', () => {
    const db = live([]);
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    const search = plan(CASE_SEARCH_SQL, '[]', 1, 1);
    expect(search).toContain('SEARCH case_search_terms USING PRIMARY KEY (mac=?)');
    expect(search).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid=?)');
    for (const where of ['referral_id = ? AND party_id = ?', 'party_id = ?', 'referral_id = ?']) {
      const params = where.split('?').slice(1).map(() => 'x');
      expect(plan(`SELECT person, macs FROM case_search_people WHERE ${where}`, ...params).join(' ')).toMatch(/^SEARCH case_search_people USING INDEX/);
    }
    expect(plan('DELETE FROM case_search_terms WHERE mac = ? AND person = ?', 'x', 1)).toEqual(['SEARCH case_search_terms USING PRIMARY KEY (mac=? AND person=?)']);
    expect([search, plan(`SELECT 1 FROM case_search_people WHERE party_id = ?`, 'x')].flat().join(' ')).not.toMatch(/SCAN case_search/);
  });
});

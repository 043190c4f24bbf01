/**
 * Issue 16: erasing one person from a 1,000,000-event log (100,000 referrals of 10 events) takes under a second and
 * rewrites nothing. The log is written through the EncryptingEventStore as production writes it (hash chains, each
 * ReferralReceived's summary and people sealed under per-case and per-person keys in a SqliteKeyStore), with
 * durability off while it is filled. The erasure is then timed on the store reopened as the engine opens it
 * (synchronous=FULL): `PersonErasure.erase`, the same path as POST /v1/people/:partyId/erasure, for a victim who is
 * party to three cases: the s62 access-log entries, the destruction of their keys and their cases' keys, and a
 * PartyErased appended to each case.
 *
 * "No log rewrite" is checked, not assumed: a SHA-256 over every column of every row the log held before the erasure
 * is the same after it, the only new rows are the access-log entry and the PartyErased events, and the file grows
 * by a few pages (counted after the one person's erasure; two more, a heavier one among them, follow for scale). The floor, for scale: a bare durable DELETE of one row of a 1,000,000-row SQLite table.
 */
import { EncryptingEventStore, PersonErasure, caseSubject, partySubject, type NewEvent } from '@hru/application';
import type { Actor } from '@hru/events';
import { LocalKeyWrapper, openSqlite, SqliteEventStore, SqliteKeyStore } from '@hru/infra';
import { partyIdFor } from '@hru/workflows';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { given, received, referralId } from '../../projections/support/history.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';

const REFERRALS = 100_000;
const EVENTS_PER_REFERRAL = 10;
const TOTAL_EVENTS = REFERRALS * EVENTS_PER_REFERRAL;
/** Referrals appended together: the store commits each such round in one transaction. */
const ROUND = 1_000;
/** Victims are repeat victims: victim k of 33,334 is party to the cases k, k + 33,334 and k + 66,668. */
const VICTIMS = Math.ceil(REFERRALS / 3);
/** Suspects are prolific: each is party to about 100 cases (a second, heavier erasure). */
const SUSPECTS = 997;
const TARGET_MS = 1_000;
/** "A few pages": new rows land in the last pages and their index entries may split a page or two. */
const MAX_PAGES_GROWN = 8;
const CHAIN_KEY = Buffer.from(TEST_CHAIN_KEY);

const victimOf = (n: number) => partyIdFor('niche', `V-${n % VICTIMS}`);
const suspectOf = (n: number) => partyIdFor('niche', `S-${n % SUSPECTS}`);

/** One referral's ten events, its ReferralReceived carrying what intake puts under `personal` in production. */
function lifeOf(n: number): NewEvent[] {
  const id = referralId(n);
  const day = (k: number) => new Date(Date.UTC(2024, 0, 1) + (n % 700) * 86_400_000 + k * 86_400_000).toISOString().slice(0, 10);
  const at = (k: number) => `${day(k)}T10:00:00Z`;
  const intake = received(id, at(0), 'stalking', `CC/${n}`);
  const victim = victimOf(n);
  const suspect = suspectOf(n);
  const data = {
    ...(intake.data as object),
    parties: [
      { partyId: victim, category: 'victim' },
      { partyId: suspect, category: 'suspect' },
    ],
    personal: {
      summary: `Repeated unwanted contact after the end of a relationship: messages at night, waiting outside the victim\u2019s workplace (case ${n}).`,
      people: [
        { partyId: victim, name: 'Alex Example', dateOfBirth: '1990-01-01', sourceRef: `V-${n % VICTIMS}` },
        { partyId: suspect, name: 'Sam Example', sourceRef: `S-${n % SUSPECTS}` },
      ],
    },
  };
  return [
    { ...intake, data },
    given.triaged(id, at(1)),
    given.screened(id, at(3), 'adopt'),
    given.assigned(id, at(3)),
    given.discussed(id, at(10)),
    given.plan(id, at(10)),
    given.intervention(id, 1, day(12), { kind: 'victim_advocate_contact', outcome: 'engaged' }),
    given.intervention(id, 2, day(14), { kind: 'tactical_review' }),
    given.reviewed(id, at(30), day(60)),
    given.closed(id, at(90)),
  ];
}

function keyStore(dir: string, kek: Buffer): SqliteKeyStore {
  return new SqliteKeyStore(join(dir, 'keys.sqlite'), [new LocalKeyWrapper(kek)]);
}

/** The log through the store's own append, one round of referrals (10 events each) per transaction, keys made first. */
async function fillLog(dir: string, file: string, kek: Buffer): Promise<void> {
  const keys = keyStore(dir, kek);
  const store = new EncryptingEventStore(new SqliteEventStore(file, { synchronous: 'OFF', chainKey: CHAIN_KEY }), keys);
  try {
    for (let first = 0; first < REFERRALS; first += ROUND) {
      const lives = Array.from({ length: Math.min(ROUND, REFERRALS - first) }, (_, i) => lifeOf(first + i));
      // One key-store write for the round's cases and people; the appends then find their keys in its cache.
      await keys.currentKeys(
        lives.flatMap((life) => {
          const { referralId: id, parties } = life[0]!.data as { referralId: string; parties: { partyId: string }[] };
          return [caseSubject(id), ...parties.map((p) => partySubject(p.partyId, id))];
        }),
      );
      await Promise.all(lives.map((life) => store.appendToStream((life[0]!.data as { referralId: string }).referralId, life)));
      if ((first / ROUND) % 20 === 19) process.stderr.write(`  ${((first + ROUND) * EVENTS_PER_REFERRAL).toLocaleString('en')} events\n`);
    }
    // The keys are bound to their people from the log, as a running engine's follower does while the log is written.
    await store.follower.catchUp();
  } finally {
    await store.close();
  }
}

interface LogShape {
  head: number;
  /** SHA-256 over every column of every row up to `upTo`, in log order. */
  digest: string;
  pages: number;
  pageSize: number;
  bytes: number;
}

/** The log as it lies on disk: checkpointed (so the file is the whole log), hashed row by row. */
function logShape(file: string, upTo?: number): LogShape {
  const db = openSqlite(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const head = (db.prepare('SELECT max(position) AS head FROM events').get() as { head: number }).head;
  const hash = createHash('sha256');
  const rows = db
    .prepare('SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at, prev_hash, hash FROM events WHERE position <= ? ORDER BY position')
    .raw();
  for (const row of rows.iterate(upTo ?? head) as Iterable<unknown[]>) {
    hash.update(row.map((cell) => (cell === null ? '\u0001' : Buffer.isBuffer(cell) ? cell.toString('hex') : String(cell))).join('\u0000') + '\u0002');
  }
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { head, digest: hash.digest('hex'), pages, pageSize, bytes: statSync(file).size };
}

const officer: Actor = { kind: 'person', sub: 'dpo-1', name: 'Data Protection Officer', roles: ['data_protection'], agency: 'police' };

/**
 * Where an erasure's time goes: each listed method of `target` (an instance) adds its time under `label`. The erasure
 * awaits one call at a time, so the sums do not overlap (the key store's time inside an append is counted apart:
 * the encrypting store calls it after the append underneath returns).
 */
function timeCalls(target: object, label: string, methods: readonly string[], sink: Map<string, number>): void {
  const self = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of methods) {
    const original = self[name]!.bind(target);
    self[name] = async (...args: unknown[]) => {
      const started = nowMs();
      try {
        return await original(...args);
      } finally {
        sink.set(label, (sink.get(label) ?? 0) + nowMs() - started);
        sink.set(`${label} calls`, (sink.get(`${label} calls`) ?? 0) + 1);
      }
    };
  }
}

interface Timed {
  ms: number;
  cases: number;
  keysDestroyed: number;
  /** Milliseconds in the log's appends and in the key store, and how many calls of each. */
  appendMs: number;
  appends: number;
  keyStoreMs: number;
  keyStoreCalls: number;
}

async function timeErasure(erasure: PersonErasure, partyId: string, spent: Map<string, number>): Promise<Timed> {
  spent.clear();
  const started = nowMs();
  const result = await erasure.erase({
    partyId,
    justification: 'Subject request under s47: no longer needed for a law enforcement purpose',
    actor: officer,
    correlationId: randomUUID(),
    requestId: randomUUID(),
    at: new Date(),
  });
  return {
    ms: nowMs() - started,
    cases: result.referralIds.length,
    keysDestroyed: result.keysDestroyed,
    appendMs: spent.get('append') ?? 0,
    appends: spent.get('append calls') ?? 0,
    keyStoreMs: spent.get('keys') ?? 0,
    keyStoreCalls: spent.get('keys calls') ?? 0,
  };
}

/** Pages of the log as committed (WAL included), read beside the open store. */
function pageCount(file: string): number {
  const db = openSqlite(file, { readonly: true });
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  return pages;
}

/** Reads a case back through the store: the erased person and the case's text read erased, the other person in clear. */
async function checkErased(store: EncryptingEventStore, n: number, partyId: string): Promise<void> {
  const [intake] = await store.readStream(referralId(n), { maxCount: 1 });
  const personal = (intake!.data as { personal: { erased?: boolean; people: { partyId: string; erased?: boolean; name?: string }[] } }).personal;
  const person = personal.people.find((p) => p.partyId === partyId);
  const other = personal.people.find((p) => p.partyId !== partyId);
  if (personal.erased !== true || person?.erased !== true || other?.name === undefined) {
    throw new Error(`case ${n} does not read as erased for ${partyId}: ${JSON.stringify(personal)}`);
  }
}

/** The floor: one durable DELETE by primary key in a 1,000,000-row WAL table, median of a few. */
function floorDelete(dir: string): number {
  const db = openSqlite(join(dir, 'floor.sqlite'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (id, body) VALUES (?, ?)');
  const body = 'x'.repeat(300);
  db.transaction(() => {
    for (let i = 1; i <= TOTAL_EVENTS; i++) insert.run(i, body);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const remove = db.prepare('DELETE FROM t WHERE id = ?');
  const samples = [123_457, 500_001, 876_543].map((id) => {
    const started = nowMs();
    remove.run(id);
    return nowMs() - started;
  });
  db.close();
  return samples.sort((a, b) => a - b)[1]!;
}

const scenario: BenchScenario = {
  name: 'erasure of one person in a 1,000,000-event log',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-erasure-');
    try {
      const file = join(dir, 'events.sqlite');
      const kek = randomBytes(32);
      const fillStarted = nowMs();
      await fillLog(dir, file, kek);
      const fillSeconds = (nowMs() - fillStarted) / 1000;
      process.stderr.write(`  wrote ${TOTAL_EVENTS} events in ${fillSeconds.toFixed(1)} s\n`);
      const before = logShape(file);
      if (before.head !== TOTAL_EVENTS) throw new Error(`the log holds ${before.head} events, expected ${TOTAL_EVENTS}`);

      // Opened as the engine opens them: durable appends, the key store's own defaults.
      const inner = new SqliteEventStore(file, { chainKey: CHAIN_KEY });
      const keys = keyStore(dir, kek);
      const spent = new Map<string, number>();
      timeCalls(inner, 'append', ['appendToStream'], spent);
      timeCalls(keys, 'keys', ['casesOf', 'destroyPerson', 'destroyCase', 'currentKeys'], spent);
      const store = new EncryptingEventStore(inner, keys);
      const erasure = new PersonErasure(store, store.keys);
      const target = 12_345;
      const victim = await timeErasure(erasure, victimOf(target), spent);
      const pagesGrown = pageCount(file) - before.pages;
      for (const n of [target, target + VICTIMS, target + 2 * VICTIMS]) await checkErased(store, n, victimOf(target));
      // A second person, in a warm process, and a prolific suspect (about 100 cases, one PartyErased each).
      const second = await timeErasure(erasure, victimOf(target + 1), spent);
      const suspect = await timeErasure(erasure, suspectOf(target + 2), spent);
      await store.close();
      if (victim.cases !== 3) throw new Error(`the target victim is party to ${victim.cases} cases, expected 3`);

      const after = logShape(file, before.head);
      const check = openSqlite(file, { readonly: true });
      const added = check.prepare('SELECT type, count(*) AS n FROM events WHERE position > ? GROUP BY type').all(before.head) as { type: string; n: number }[];
      check.close();
      const addedCount = added.reduce((sum, a) => sum + a.n, 0);
      // A PartyErased per case of each erased person, and the s62 erasure entries; nothing else.
      const partyErased = added.find((a) => a.type === 'PartyErased')?.n ?? 0;
      const unchanged = after.digest === before.digest;
      const onlyErasureRows =
        partyErased === victim.cases + second.cases + suspect.cases && added.every((a) => a.type === 'PartyErased' || a.type === 'PersonalDataAccessed');
      const pagesGrownAll = after.pages - before.pages;
      const noRewrite = unchanged && onlyErasureRows && pagesGrown <= MAX_PAGES_GROWN;

      const floor = floorDelete(dir);
      return [
        {
          scenario: `erasure of one person (3 cases) in a ${TOTAL_EVENTS}-event log`,
          unit: 'ms',
          ours: victim.ms,
          floor,
          floorLabel: 'bare durable DELETE of one row in a 1M-row SQLite table',
          higherIsBetter: false,
          target: `< ${TARGET_MS} ms, no log rewrite`,
          met: victim.ms < TARGET_MS && noRewrite,
          extra: {
            keysDestroyed: victim.keysDestroyed,
            // Where the one person's erasure spent its time: durable appends (the s62 entries, a PartyErased per case)
            // and the key store (cases, destruction with its checkpoint, and the idempotent re-check each PartyErased makes).
            appendMs: +victim.appendMs.toFixed(1),
            appends: victim.appends,
            keyStoreMs: +victim.keyStoreMs.toFixed(1),
            keyStoreCalls: victim.keyStoreCalls,
            secondPersonMs: +second.ms.toFixed(1),
            secondPersonCases: second.cases,
            prolificSuspectMs: +suspect.ms.toFixed(1),
            prolificSuspectCases: suspect.cases,
            prolificSuspectKeysDestroyed: suspect.keysDestroyed,
            prolificSuspectAppendMs: +suspect.appendMs.toFixed(1),
            prolificSuspectKeyStoreMs: +suspect.keyStoreMs.toFixed(1),
            rowsBeforeUnchanged: unchanged ? 'yes (sha256 of every column of every row)' : 'NO',
            rowsAdded: `${added.map((a) => `${a.n} ${a.type}`).join(', ')} (${addedCount} rows, 3 erasures)`,
            pagesGrown,
            pagesGrownAfterAllThree: pagesGrownAll,
            pageSize: before.pageSize,
            fileBytesBefore: before.bytes,
            fileBytesAfter: after.bytes,
            fillSeconds: +fillSeconds.toFixed(1),
          },
        },
      ];
    } finally {
      cleanup();
    }
  },
};

export default scenario;

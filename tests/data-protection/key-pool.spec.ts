/**
 * Keys created ahead (the key store's pool) and bound to their subjects from the log: the pool refills in durable
 * batches; a key handed out is readable before it is bound, in this process and after a crash; an erasure or disposal
 * written a moment after an intake, before anything bound its keys, still makes that intake unreadable; a key whose
 * event was never written is never bound to anyone; two processes never hand out the same key.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptingEventStore, POOL_GENERATION_BASE, PersonErasure, caseSubject, newEvent, parseKeyId, partySubject, type KeyLogFollowerOptions, type RecordedEvent } from '@hru/application';
import { LocalKeyWrapper, SqliteEventStore, SqliteKeyStore, keyStoreFile } from '@hru/infra';
import { SAFETY_NET_PAGES } from '../../infra/src/eventstore/sqlite/wal-checkpointer.js';
import { POOL_SUBJECT } from '../../infra/src/keystore/key-store-schema.js';
import { KeyPool } from '../../infra/src/keystore/key-pool.js';
import { PoolWriter } from '../../infra/src/keystore/pool-writer.js';
import { apiKey, createTestApp, intakeBody } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { namedIntake, suspect, victim } from './support/named-intake.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';

const actor = { kind: 'system', system: 'niche' } as const;
const at = { actor, correlationId: 'c', occurredAt: '2026-11-20T10:00:00Z' };
const kek = new LocalKeyWrapper(Buffer.alloc(32, 9));
const refOf = (n: number) => `ref-${String(n).padStart(32, '0')}`;

const received = (referralId: string, victimName: string) => namedIntake(referralId, { victim: victimName, suspect: 'S' });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const { dir, cleanup } = tempDir('hru-pool-');
  cleanups.push(cleanup);
  return dir;
}

/** One engine process's stores over a data dir; `crash` drops it without closing (no pool clean-up, no last read). */
function processOn(dir: string, pool = { batch: 8, low: 2 }, follower: KeyLogFollowerOptions = {}) {
  const sqliteKeys = new SqliteKeyStore(keyStoreFile(dir), [kek], { pool });
  const inner = new SqliteEventStore(join(dir, 'events.sqlite'), { chainKey: Buffer.from(TEST_CHAIN_KEY) });
  const store = new EncryptingEventStore(inner, sqliteKeys, follower);
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await store.close();
  });
  const db = (sqliteKeys as unknown as { db: { prepare(sql: string): { all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown } } }).db;
  return {
    store,
    sqliteKeys,
    /** What the key file says: bound keys of a subject, and unbound pool keys. */
    bound: (subject: string) => (db.prepare(`SELECT generation FROM pool_keys WHERE ${POOL_SUBJECT} = ?`).all(subject) as { generation: number }[]).map((r) => r.generation),
    unbound: () => (db.prepare('SELECT COUNT(*) AS n FROM pool_keys WHERE referral_id IS NULL').get() as { n: number }).n,
    async close() {
      closed = true;
      await store.close();
    },
    crash() {
      // What a killed process leaves: the files as they are. (The handles are closed only to free them.)
      closed = true;
      (sqliteKeys as unknown as { db: { close(): void } }).db.close();
      void inner.close();
    },
  };
}

const personalOf = (e: RecordedEvent) => (e.data as { personal: Record<string, unknown> }).personal;

describe('the key pool', () => {
  it('hands out distinct keys above the per-subject generations, refilling in durable batches', async () => {
    const p = processOn(dataDir());
    const subjects = Array.from({ length: 10 }, (_, n) => [caseSubject(refOf(n)), partySubject(victim, refOf(n)), partySubject(suspect, refOf(n))]).flat();
    const handed = await p.sqliteKeys.currentKeys(subjects);
    const generations = [...handed.values()].map((k) => parseKeyId(k.id)!.generation);
    expect(new Set(generations).size).toBe(30);
    expect(generations.every((g) => g > POOL_GENERATION_BASE)).toBe(true);
    // Refilled by batches of 8 as it ran low: never more than a batch and a low mark ahead of what was handed out.
    await new Promise((resolve) => setImmediate(resolve));
    const { pooled } = await p.sqliteKeys.poolSettled();
    expect(pooled).toBeGreaterThanOrEqual(2);
    expect(p.unbound()).toBe(30 + pooled);
    // Nothing is bound until the log names a key.
    expect(p.bound(subjects[0]!)).toEqual([]);
    // The same subject keeps its key.
    expect((await p.sqliteKeys.currentKeys([subjects[0]!])).get(subjects[0]!)).toEqual(handed.get(subjects[0]!));
  });

  it('two processes on one key file never hand out the same key', async () => {
    const dir = dataDir();
    const a = processOn(dir);
    const b = processOn(dir);
    const subjectsOf = (who: string) => Array.from({ length: 12 }, (_, n) => caseSubject(`ref-${who}${String(n).padStart(31, '0')}`));
    const fromA = [...(await a.sqliteKeys.currentKeys(subjectsOf('a'))).values()].map((k) => parseKeyId(k.id)!.generation);
    const fromB = [...(await b.sqliteKeys.currentKeys(subjectsOf('b'))).values()].map((k) => parseKeyId(k.id)!.generation);
    expect(new Set([...fromA, ...fromB]).size).toBe(24);
  });

  it('an intake that finds the pool empty while the worker writes a batch waits for that batch, and writes none on the event loop', async () => {
    const p = processOn(dataDir(), { batch: 8, low: 4 });
    const subjects = (from: number, count: number) => Array.from({ length: count }, (_, n) => caseSubject(refOf(from + n)));
    // The first intake after start makes a batch itself (nothing is in flight yet), and this one takes it all.
    await p.sqliteKeys.currentKeys(subjects(0, 8));
    expect(p.sqliteKeys.pooled).toBe(0);
    // A turn of the event loop, as between requests: the worker's batch is under way.
    await new Promise((resolve) => setImmediate(resolve));
    const handed = await p.sqliteKeys.currentKeys(subjects(100, 3));
    expect(new Set([...handed.values()].map((k) => k.id)).size).toBe(3);
    const { pooled, inBackground } = await p.sqliteKeys.poolSettled();
    expect(inBackground).toBe(true);
    // Two batches in the file, the first one's and the worker's: none was made on the event loop for the three.
    expect(p.unbound()).toBe(16);
    expect(pooled).toBe(5);
  });

  it('takes a refill larger than a call can spread (hundreds of thousands of keys), handing them out lowest first', async () => {
    const p = processOn(dataDir());
    p.sqliteKeys.refillPool(200_000);
    expect(p.sqliteKeys.pooled).toBe(200_000);
    const handed = await p.sqliteKeys.currentKeys([caseSubject(refOf(1)), caseSubject(refOf(2))]);
    const [first, second] = [...handed.values()].map((k) => parseKeyId(k.id)!.generation);
    expect(second).toBe(first! + 1);
  });
});

describe('stocking the pool as a process starts', () => {
  it('stockAhead writes one batch in the background, and the first intake after it makes none on the event loop', async () => {
    const p = processOn(dataDir(), { batch: 8, low: 4 });
    const madeHere = vi.spyOn(KeyPool.prototype, 'refill');
    cleanups.push(() => madeHere.mockRestore());
    p.sqliteKeys.stockAhead();
    // A second call while the batch is in flight, and a third once the pool is stocked, start nothing more.
    p.sqliteKeys.stockAhead();
    expect(await p.sqliteKeys.poolSettled()).toEqual({ pooled: 8, inBackground: true });
    p.sqliteKeys.stockAhead();
    await p.sqliteKeys.poolSettled();
    expect(p.unbound()).toBe(8);
    const subjects = [caseSubject(refOf(1)), partySubject(victim, refOf(1)), partySubject(suspect, refOf(1))];
    expect((await p.sqliteKeys.currentKeys(subjects)).size).toBe(3);
    expect(madeHere).not.toHaveBeenCalled();
  });

  it('a background batch is made and wrapped a slice at a time, the event loop free between slices', async () => {
    const p = processOn(dataDir(), { batch: 200, low: 100 });
    const wraps = vi.spyOn(kek, 'wrap');
    cleanups.push(() => wraps.mockRestore());
    p.sqliteKeys.stockAhead();
    // One slice of 64 in this turn; the rest in later turns, none joining the pool before the batch is durable.
    expect(wraps).toHaveBeenCalledTimes(64);
    await new Promise((resolve) => setImmediate(resolve));
    expect(wraps).toHaveBeenCalledTimes(128);
    expect(p.sqliteKeys.pooled).toBe(0);
    expect(await p.sqliteKeys.poolSettled()).toEqual({ pooled: 200, inBackground: true });
    expect(wraps).toHaveBeenCalledTimes(200);
    expect(p.unbound()).toBe(200);
  });

  it('a store closed while a batch is being wrapped sends none of it to be written', async () => {
    const dir = dataDir();
    const p = processOn(dir, { batch: 200, low: 100 });
    const written = vi.spyOn(PoolWriter.prototype, 'write');
    cleanups.push(() => written.mockRestore());
    p.sqliteKeys.stockAhead();
    await p.close();
    expect(written).not.toHaveBeenCalled();
    const keys = new Database(keyStoreFile(dir), { readonly: true });
    cleanups.push(() => void keys.close());
    expect((keys.prepare('SELECT COUNT(*) AS n FROM pool_keys').get() as { n: number }).n).toBe(0);
  });

  it('the engine stocks it where intakes arrive: the first referral after a start waits for no batch made on the event loop', async () => {
    const madeHere = vi.spyOn(KeyPool.prototype, 'refill');
    cleanups.push(() => madeHere.mockRestore());
    const t = await createTestApp();
    cleanups.push(() => t.close());
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
    expect(res.statusCode).toBe(201);
    expect(madeHere).not.toHaveBeenCalled();
    // The batch the start made (512 keys), of which the intake took its three.
    const keys = new Database(keyStoreFile(t.dataDir), { readonly: true });
    cleanups.push(() => void keys.close());
    expect((keys.prepare('SELECT COUNT(*) AS n FROM pool_keys').get() as { n: number }).n).toBe(512);
  });
});

describe('binding keys from the log', () => {
  it('an erasure right after an intake, before anything bound its keys, makes that intake unreadable', async () => {
    const p = processOn(dataDir());
    const referralId = refOf(1);
    await p.store.appendToStream(referralId, [received(referralId, 'Fresh Victim')]);
    expect(p.bound(partySubject(victim, referralId))).toEqual([]);
    expect(personalOf((await p.store.readStream(referralId))[0]!)).toMatchObject({ people: [{ name: 'Fresh Victim' }, { name: 'S' }] });

    const result = await new PersonErasure(p.store, p.store.keys).erase({ partyId: victim, justification: 'DP-1', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-21T00:00:00Z') });
    expect(result).toMatchObject({ referralIds: [referralId], keysDestroyed: 2 });
    expect(personalOf((await p.store.readStream(referralId))[0]!)).toEqual({ erased: true, people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'S' }] });
  });

  it('a disposal written right after an intake destroys the keys the intake used', async () => {
    const p = processOn(dataDir());
    const referralId = refOf(2);
    await p.store.appendToStream(referralId, [received(referralId, 'Disposed Victim')]);
    await p.store.appendToStream(referralId, [
      newEvent('RetentionReviewed', { referralId, decision: 'dispose', mopiGroup: 3, nextReviewDue: null, disposedParties: [], personal: { reason: 'no policing purpose' } }, at),
    ]);
    const [intake, review] = await p.store.readStream(referralId);
    expect(personalOf(intake!)).toMatchObject({ erased: true, people: [{ erased: true }, { erased: true }] });
    expect(personalOf(review!)).toEqual({ erased: true });
  });

  it('after a crash between handing out and binding, the keys read, bind at the next start and are erased with the rest', async () => {
    const dir = dataDir();
    const first = processOn(dir);
    const referralId = refOf(3);
    await first.store.appendToStream(referralId, [received(referralId, 'Before Crash')]);
    // A key handed out for an event that was never written (the append failed): it must never be bound.
    const orphan = (await first.sqliteKeys.currentKeys([caseSubject(refOf(99))])).get(caseSubject(refOf(99)))!;
    first.crash();

    const second = processOn(dir);
    expect(second.bound(partySubject(victim, referralId))).toEqual([]);
    expect(personalOf((await second.store.readStream(referralId))[0]!)).toMatchObject({ summary: 'about Before Crash' });
    second.store.follower.start();
    await second.store.follower.catchUp();
    expect(second.bound(partySubject(victim, referralId))).toHaveLength(1);
    expect(second.bound(caseSubject(refOf(99)))).toEqual([]);
    expect(await second.store.keys.casesOf(victim)).toEqual([referralId]);
    // A later event of the same case, in the new process, keeps the case's bound key rather than taking a new one.
    await second.store.appendToStream(referralId, [received(referralId, 'After Restart')]);
    await second.store.follower.catchUp();
    expect(second.bound(caseSubject(referralId))).toHaveLength(1);
    // The orphan is still readable by id (harmless, unbound) but nobody's: the erasure does not need it.
    expect((await second.sqliteKeys.keysById([orphan.id])).has(orphan.id)).toBe(true);

    await new PersonErasure(second.store, second.store.keys).erase({ partyId: victim, justification: 'DP-2', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-22T00:00:00Z') });
    const events = await second.store.readStream(referralId);
    for (const event of events.filter((e) => e.type === 'ReferralReceived')) expect(personalOf(event)).toMatchObject({ erased: true, people: [{ erased: true }, { name: 'S' }] });
  });

  it('bindings read in the background wait for their due time, but an erasure, and a stop, write them at once', async () => {
    const dir = dataDir();
    // Due in a minute: within this test only an erasure or a stop can write them.
    const p = processOn(dir, undefined, { pollMs: 5, bindEveryMs: 60_000 });
    p.store.follower.start();
    const [first, second] = [refOf(7), refOf(8)];
    await p.store.appendToStream(first, [received(first, 'Waiting Victim')]);
    await p.store.appendToStream(second, [received(second, 'Also Waiting')]);
    await expect.poll(() => p.store.follower.pendingKeys).toBe(6);
    expect(p.bound(partySubject(victim, first))).toEqual([]);

    const result = await new PersonErasure(p.store, p.store.keys).erase({ partyId: victim, justification: 'DP-4', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-24T00:00:00Z') });
    expect(result).toMatchObject({ referralIds: [first, second], keysDestroyed: 4 });
    expect(personalOf((await p.store.readStream(second))[0]!)).toEqual({ erased: true, people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'S' }] });

    const third = refOf(9);
    await p.store.appendToStream(third, [received(third, 'Bound At Stop')]);
    await expect.poll(() => p.store.follower.pendingKeys).toBeGreaterThanOrEqual(3);
    await p.close();
    const again = processOn(dir);
    expect(again.bound(partySubject(victim, third))).toHaveLength(1);
    expect(again.bound(caseSubject(third))).toHaveLength(1);
  });

  it('once the pool writer thread runs, bindings are written there, and on the store’s own connection if it fails', async () => {
    const dir = dataDir();
    const p = processOn(dir);
    p.sqliteKeys.stockAhead();
    expect((await p.sqliteKeys.poolSettled()).inBackground).toBe(true);
    const onThread = vi.spyOn(PoolWriter.prototype, 'bind');
    cleanups.push(() => onThread.mockRestore());
    const [first, second] = [refOf(21), refOf(22)];
    await p.store.appendToStream(first, [received(first, 'Bound On Thread')]);
    await p.store.follower.catchUp();
    expect(onThread).toHaveBeenCalledTimes(1);
    expect(p.bound(partySubject(victim, first))).toHaveLength(1);
    expect(p.bound(caseSubject(first))).toHaveLength(1);
    const checkpoint = await p.sqliteKeys.logCheckpoint();
    expect(checkpoint).toBe(await p.store.headPosition());

    // The thread fails a binding: this one, and every later one, is written on the store's connection.
    onThread.mockRejectedValueOnce(new Error('thread gone'));
    await p.store.appendToStream(second, [received(second, 'Bound Here')]);
    await p.store.follower.catchUp();
    expect(p.bound(partySubject(victim, second))).toHaveLength(1);
    expect(await p.sqliteKeys.logCheckpoint()).toBeGreaterThan(checkpoint!);
    expect((await p.sqliteKeys.poolSettled()).inBackground).toBe(false);
    const result = await new PersonErasure(p.store, p.store.keys).erase({ partyId: victim, justification: 'DP-9', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-25T00:00:00Z') });
    expect(result).toMatchObject({ referralIds: [first, second], keysDestroyed: 4 });
    expect(onThread).toHaveBeenCalledTimes(2);
  });

  it('the log checkpoint never goes back (another process may save an older one), and an id naming no subject binds nothing', async () => {
    const p = processOn(dataDir());
    await p.sqliteKeys.bindKeys([], 10n);
    await p.sqliteKeys.bindKeys([`nobody#${POOL_GENERATION_BASE + 1}`, 'not-a-key-id'], 5n);
    expect(await p.sqliteKeys.logCheckpoint()).toBe(10n);
  });

  it('refills in the background on a worker thread: keys join the pool only once durable, distinct, and a close deletes the unused ones, in flight or not', async () => {
    const dir = dataDir();
    const p = processOn(dir, { batch: 8, low: 4 });
    const generations: number[] = [];
    for (let n = 0; n < 12; n++) {
      const subject = caseSubject(refOf(100 + n));
      generations.push(parseKeyId((await p.sqliteKeys.currentKeys([subject])).get(subject)!.id)!.generation);
      // A turn of the event loop, as between requests: the refill starts off the request that noticed.
      await new Promise((resolve) => setImmediate(resolve));
      const { pooled } = await p.sqliteKeys.poolSettled();
      // Every key in the file is handed out or ready: none joined the pool before its batch was committed.
      expect(p.unbound()).toBe(generations.length + pooled);
    }
    expect(new Set(generations).size).toBe(12);
    expect((await p.sqliteKeys.poolSettled()).inBackground).toBe(true);
    // A batch still being written when the store closes is waited for, then deleted with the other unused keys.
    let handed = generations.length;
    while (p.sqliteKeys.pooled >= 4) {
      await p.sqliteKeys.currentKeys([caseSubject(refOf(300 + handed))]);
      handed++;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect((p.sqliteKeys as unknown as { pool: { inFlight?: Promise<void> } }).pool.inFlight).toBeDefined();
    await p.close();
    expect(processOn(dir).unbound()).toBe(handed);
  });

  it('once it binds, the key file’s WAL is checkpointed by a worker thread, not in commits on the event loop', async () => {
    const p = processOn(dataDir());
    const autocheckpoint = () => (p.sqliteKeys as unknown as { db: { pragma(sql: string, o: { simple: true }): number } }).db.pragma('wal_autocheckpoint', { simple: true });
    expect(autocheckpoint()).toBe(1000);
    await p.store.appendToStream(refOf(400), [received(refOf(400), 'V')]);
    await p.store.follower.catchUp();
    // The writing connection keeps only a safety net; the worker checkpoints (and stops with the store).
    expect(autocheckpoint()).toBe(SAFETY_NET_PAGES);
    expect(p.bound(caseSubject(refOf(400)))).toHaveLength(1);
    await p.close();
  });

  it('a closed store deletes the keys it never handed out; a restart hands out none of another process’s keys', async () => {
    const dir = dataDir();
    const first = processOn(dir);
    const handed = await first.sqliteKeys.currentKeys([caseSubject(refOf(4))]);
    expect(first.unbound()).toBe(8);
    await first.close();
    const second = processOn(dir);
    expect(second.unbound()).toBe(1);
    const again = await second.sqliteKeys.currentKeys([caseSubject(refOf(5))]);
    expect(parseKeyId(again.get(caseSubject(refOf(5)))!.id)!.generation).toBeGreaterThan(parseKeyId(handed.get(caseSubject(refOf(4)))!.id)!.generation);
  });
});

describe('keys cached in memory, and erasure', () => {
  it('a process that read a person before another process erased them stops reading them once its follower reads the erasure, and writes nothing more under the destroyed keys', async () => {
    const dir = dataDir();
    const api1 = processOn(dir);
    const api2 = processOn(dir);
    // Each engine's follower reads the log at start, before it serves anything.
    await api1.store.follower.catchUp();
    await api2.store.follower.catchUp();
    const referralId = refOf(6);
    await api1.store.appendToStream(referralId, [received(referralId, 'Cached Victim')]);
    await api1.store.follower.catchUp();
    // The second process opens the intake: the person's and the case's keys are now in its cache.
    expect(personalOf((await api2.store.readStream(referralId))[0]!)).toMatchObject({ summary: 'about Cached Victim', people: [{ name: 'Cached Victim' }, { name: 'S' }] });

    await new PersonErasure(api1.store, api1.store.keys).erase({ partyId: victim, justification: 'DP-3', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-23T00:00:00Z') });
    expect(personalOf((await api1.store.readStream(referralId))[0]!)).toMatchObject({ erased: true, people: [{ erased: true }, { name: 'S' }] });

    // The second process learns of the erasure from the log (its follower), which finds the keys already destroyed in
    // the shared file: it must still drop them from its cache.
    await api2.store.follower.catchUp();
    expect(personalOf((await api2.store.readStream(referralId))[0]!)).toMatchObject({ erased: true, people: [{ partyId: victim, erased: true }, { name: 'S' }] });
    const destroyedCaseKey = (personalOf((await api2.store.inner.readStream(referralId))[0]!) as unknown as { case: { k: string } }).case.k;
    expect((await api2.sqliteKeys.keysById([destroyedCaseKey])).size).toBe(0);
    // A later event of the case, sealed by the second process, is under a new key that the first process can read.
    await api2.store.appendToStream(referralId, [received(referralId, 'Seen Again')]);
    const again = (await api1.store.readStream(referralId)).filter((e) => e.type === 'ReferralReceived').at(-1)!;
    expect(personalOf(again)).toMatchObject({ summary: 'about Seen Again', people: [{ name: 'Seen Again' }, { name: 'S' }] });
  });
});

describe('a key file made by an earlier release', () => {
  it('whose pool rows still have the subject column: keys bound then and now stay current, and are erased', async () => {
    const dir = dataDir();
    // pool_keys as it was created before the subject was worked out from the two ids, with its own column for it.
    const file = new Database(keyStoreFile(dir));
    file.exec('CREATE TABLE pool_keys (generation INTEGER PRIMARY KEY, lease TEXT NOT NULL, subject TEXT, party_id TEXT, referral_id TEXT, wrapped BLOB, kek_id TEXT, created_at TEXT NOT NULL, destroyed_at TEXT)');
    const first = processOn(dir);
    const referralId = refOf(5);
    await first.store.appendToStream(referralId, [received(referralId, 'Old File')]);
    await first.store.follower.catchUp();
    // The earlier release wrote the subject as it bound.
    expect(file.prepare(`UPDATE pool_keys SET subject = ${POOL_SUBJECT} WHERE referral_id IS NOT NULL`).run().changes).toBe(3);
    file.close();
    await first.close();

    const second = processOn(dir);
    expect(second.bound(partySubject(victim, referralId))).toHaveLength(1);
    await second.store.appendToStream(referralId, [received(referralId, 'Old File Again')]);
    await second.store.follower.catchUp();
    // The case's key found by its two ids: the later event took no new key.
    expect(second.bound(caseSubject(referralId))).toHaveLength(1);
    expect(second.unbound()).toBe((await second.sqliteKeys.poolSettled()).pooled);
    await new PersonErasure(second.store, second.store.keys).erase({ partyId: victim, justification: 'DP-4', actor, correlationId: 'c', requestId: 'r', at: new Date('2026-11-24T00:00:00Z') });
    for (const event of (await second.store.readStream(referralId)).filter((e) => e.type === 'ReferralReceived')) {
      expect(personalOf(event)).toMatchObject({ erased: true, people: [{ erased: true }, { name: 'S' }] });
    }
  });
});

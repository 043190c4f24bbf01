/**
 * One contract for both key stores: the embedded one (`keys.sqlite` in a data dir) and the shared PostgreSQL one
 * (HRU_KEY_STORE_URL, for engine processes on several hosts). Each "process" is a store instance of its own over the
 * same backing (the same file, or the same database): keys are handed out once, found by id bound or not, bound from
 * the log with a checkpoint that never goes back, destroyed by erasure and disposal, and forgotten by every process
 * once destroyed, including from the cache of a process that did not destroy them itself (it learns of the erasure
 * from the log and destroys again, finding nothing left to destroy). Then two hosts for real: two encrypting stores,
 * each with its own key store instance on the shared database, over one log.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptingEventStore, PersonErasure, caseSubject, parseKeyId, partySubject, type KeyStore } from '@hru/application';
import { LocalKeyWrapper, PostgresKeyStore, SqliteEventStore, SqliteKeyStore, keyStoreFile } from '@hru/infra';
import { eventually } from '../support/eventually.js';
import { freshDatabase, postgresAnswers } from '../support/postgres-database.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { namedIntake, suspect, victim } from './support/named-intake.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';

const kek = new LocalKeyWrapper(Buffer.alloc(32, 9));
const nextKek = new LocalKeyWrapper(Buffer.alloc(32, 10));
const pool = { batch: 8, low: 2 };
const refOf = (n: number) => `ref-${String(n).padStart(32, '0')}`;

interface Backing {
  name: string;
  /** A store instance, as one process opens it, under these KEKs (the first wraps new keys). */
  open(wrappers?: readonly [LocalKeyWrapper, ...LocalKeyWrapper[]]): Promise<KeyStore & { stats(): unknown; readonly pooled: number }>;
  cleanup(): Promise<void>;
}

const pgAvailable = await postgresAnswers();

async function sqliteBacking(): Promise<Backing> {
  const { dir, cleanup } = tempDir('hru-key-contract-');
  return {
    name: 'sqlite',
    open: async (wrappers = [kek]) => new SqliteKeyStore(keyStoreFile(dir), wrappers, { pool }),
    cleanup: async () => cleanup(),
  };
}

async function postgresBacking(): Promise<Backing> {
  const db = await freshDatabase('hru_keys');
  return {
    name: 'postgres',
    open: (wrappers = [kek]) => PostgresKeyStore.open(db.url, wrappers, { pool }),
    cleanup: () => db.drop(),
  };
}

const backings: [string, () => Promise<Backing>][] = [['embedded (keys.sqlite)', sqliteBacking]];
if (pgAvailable) backings.push(['shared (PostgreSQL)', postgresBacking]);

describe.each(backings)('key store contract: %s', (_, make) => {
  let backing: Backing;
  const open: (KeyStore & { stats(): unknown; readonly pooled: number })[] = [];
  const process = async (wrappers?: readonly [LocalKeyWrapper, ...LocalKeyWrapper[]]) => {
    const store = await backing.open(wrappers);
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    backing = await make();
  });
  afterAll(async () => {
    for (const store of open) await store.close();
    await backing.cleanup();
  });

  it('stocks a batch ahead when asked, without waiting for it, and a new case then takes its keys from that batch', async () => {
    const store = await process();
    store.stockAhead();
    expect(store.pooled).toBeLessThan(pool.batch);
    await eventually(() => store.pooled, (n) => n === pool.batch);
    const subjects = [caseSubject(refOf(900)), partySubject(victim, refOf(900)), partySubject(suspect, refOf(900))];
    expect((await store.currentKeys(subjects)).size).toBe(3);
    expect(store.pooled).toBe(pool.batch - 3);
  });

  it('hands a new subject a key, the same one again, and another process finds it by id before it is bound', async () => {
    const a = await process();
    const subject = partySubject(victim, refOf(1));
    const first = (await a.currentKeys([subject])).get(subject)!;
    expect(parseKeyId(first.id)?.subject).toBe(subject);
    expect((await a.currentKeys([subject])).get(subject)).toEqual(first);
    const b = await process();
    expect((await b.keysById([first.id])).get(first.id)).toEqual(first.key);
    // Once bound, the key's generation named with another subject is not that subject's key.
    await a.bindKeys([first.id], 10n);
    const stolen = `${partySubject(suspect, refOf(1))}#${parseKeyId(first.id)!.generation}`;
    expect((await (await process()).keysById([stolen])).has(stolen)).toBe(false);
  });

  it('never hands one key to two subjects, whichever process hands it out', async () => {
    const [a, b] = [await process(), await process()];
    const subjects = (p: string) => Array.from({ length: 40 }, (_, i) => caseSubject(refOf(100 + i)) + p);
    const fromA = await a.currentKeys(subjects('').slice(0, 20));
    const fromB = await b.currentKeys(subjects('').slice(20));
    const generations = [...fromA.values(), ...fromB.values()].map((k) => parseKeyId(k.id)!.generation);
    expect(new Set(generations).size).toBe(40);
  });

  it('binds keys from the log, after which a new process finds a subject current key; the checkpoint never goes back', async () => {
    const a = await process();
    const subject = caseSubject(refOf(200));
    const key = (await a.currentKeys([subject])).get(subject)!;
    await a.bindKeys([key.id], 50n);
    await a.bindKeys([], 40n);
    const b = await process();
    expect(await b.logCheckpoint()).toBe(50n);
    expect((await b.currentKeys([subject])).get(subject)).toEqual(key);
  });

  it('erases a person in every case, with the keys of those cases, and every process forgets them', async () => {
    const [a, b] = [await process(), await process()];
    const [r1, r2, r3] = [refOf(300), refOf(301), refOf(302)];
    const victim = `pty-${'3'.repeat(24)}`;
    const subjects = [partySubject(victim, r1), caseSubject(r1), partySubject(victim, r2), caseSubject(r2), partySubject(suspect, r3), caseSubject(r3)];
    const keys = await a.currentKeys(subjects);
    await a.bindKeys([...keys.values()].map((k) => k.id), 60n);
    const ids = subjects.map((s) => keys.get(s)!.id);
    // b has them cached, as an API node that opened these cases would.
    expect((await b.keysById(ids)).size).toBe(6);

    const erased = await a.destroyPerson(victim);
    expect(erased).toEqual({ referralIds: [r1, r2], destroyed: 4 });
    expect([...(await a.keysById(ids)).keys()]).toEqual(ids.slice(4));
    // b reads the erasure from the log and destroys again: nothing is left to destroy, and its cache lets go too.
    expect((await b.destroyPerson(victim)).destroyed).toBe(0);
    expect([...(await b.keysById(ids)).keys()]).toEqual(ids.slice(4));
    expect(await b.casesOf(victim)).toEqual([r1, r2]);

    expect(await a.destroyCase(r3)).toEqual({ destroyed: 2 });
    expect((await b.destroyCase(r3)).destroyed).toBe(0);
    expect((await b.keysById(ids)).size).toBe(0);
    // A subject erased and seen again gets a new key, never the destroyed one.
    const again = (await b.currentKeys([caseSubject(r1)])).get(caseSubject(r1))!;
    expect(again.id).not.toBe(keys.get(caseSubject(r1))!.id);
  });

  it('re-wraps every key under a new key-encryption key when a process opens with it, the old one as previous', async () => {
    const a = await process();
    const subject = caseSubject(refOf(400));
    const key = (await a.currentKeys([subject])).get(subject)!;
    await a.bindKeys([key.id], 70n);
    await process([nextKek, kek]);
    const after = await process([nextKek]);
    expect((await after.keysById([key.id])).get(key.id)).toEqual(key.key);
    expect(await after.stats()).toMatchObject({ byKek: { [nextKek.id]: expect.any(Number) } });
    expect(Object.keys(((await after.stats()) as { byKek: object }).byKek)).toEqual([nextKek.id]);
  });
});

describe.skipIf(!pgAvailable)('two hosts on the shared key store', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const dir = tempDir('hru-two-hosts-');
  beforeAll(async () => {
    db = await freshDatabase('hru_hosts');
  });
  afterAll(async () => {
    await db.drop();
    dir.cleanup();
  });

  it('one host seals an intake, the other opens it, erases the victim, and the first then reads the victim as erased', async () => {
    // The shared log stands for KurrentDB: one file both hosts' stores use. Each host has its own key store instance.
    const host = async () =>
      new EncryptingEventStore(new SqliteEventStore(join(dir.dir, 'events.sqlite'), { chainKey: Buffer.from(TEST_CHAIN_KEY) }), await PostgresKeyStore.open(db.url, [kek], { pool }));
    const [one, two] = [await host(), await host()];
    const referralId = refOf(500);
    await one.appendToStream(referralId, [namedIntake(referralId, { victim: 'Ada Canary', suspect: 'Sam Canary' })]);
    const people = async (store: EncryptingEventStore) => ((await store.readStream(referralId))[0]!.data as { personal: { people: unknown[] } }).personal.people;
    // Read on host one first, so its cache holds the victim's key.
    expect(await people(one)).toContainEqual({ partyId: victim, name: 'Ada Canary' });
    expect(await people(two)).toContainEqual({ partyId: victim, name: 'Ada Canary' });

    await new PersonErasure(two, two.keys).erase({
      partyId: victim,
      justification: 'Retention review: no longer needed',
      actor: { kind: 'system', system: 'niche' },
      correlationId: 'c',
      requestId: 'r',
      at: new Date('2026-11-21T00:00:00Z'),
    });
    // Host one learns of it from the log (its follower), as a running API node does.
    await one.follower.catchUp();
    expect(await people(one)).toContainEqual(expect.objectContaining({ partyId: victim, erased: true }));
    expect(await people(one)).toContainEqual({ partyId: suspect, name: 'Sam Canary' });
    await one.close();
    await two.close();
  });
});

describe.skipIf(!pgAvailable)('hru keys copy: keys.sqlite into the shared key store', () => {
  it('copies every key as it is wrapped, destroyed ones destroyed, and new keys never reuse a copied generation', async () => {
    const db = await freshDatabase('hru_copy');
    const dir = tempDir('hru-key-copy-');
    try {
      const embedded = new SqliteKeyStore(keyStoreFile(dir.dir), [kek], { pool });
      const subjects = Array.from({ length: 6 }, (_, i) => partySubject(victim, refOf(600 + i)));
      const keys = await embedded.currentKeys(subjects);
      await embedded.bindKeys([...keys.values()].map((k) => k.id), 90n);
      await embedded.destroyCase(refOf(600));
      await embedded.close();

      // The same key-encryption key the embedded store used (`kek`), now from the environment, as every host will hold it.
      const out = await finished(spawnTs('services/cli/src/main.ts', ['keys', 'copy', '--to', db.url], { HRU_DATA_DIR: dir.dir, HRU_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') }));
      expect(out.code, out.stderr).toBe(0);
      // Six keys handed out and bound, one of them destroyed with its case; the store deleted the pool's unused keys on close.
      expect(out.stdout).toMatch(/hru keys copy: \d+ data keys \(\d+ from the pool, 1 destroyed\) and the log checkpoint 90 copied/);

      const shared = await PostgresKeyStore.open(db.url, [kek], { pool });
      const ids = subjects.map((s) => keys.get(s)!.id);
      const found = await shared.keysById(ids);
      expect([...found.keys()]).toEqual(ids.slice(1));
      for (const id of ids.slice(1)) expect(found.get(id)).toEqual(keys.get(parseKeyId(id)!.subject)!.key);
      expect(await shared.logCheckpoint()).toBe(90n);
      const fresh = await shared.currentKeys([caseSubject(refOf(700))]);
      const copiedGenerations = ids.map((id) => parseKeyId(id)!.generation);
      expect(parseKeyId(fresh.get(caseSubject(refOf(700)))!.id)!.generation).toBeGreaterThan(Math.max(...copiedGenerations));
      await shared.close();
    } finally {
      await db.drop();
      dir.cleanup();
    }
  }, 60_000);
});

describe.skipIf(!pgAvailable)('the shared key store unavailable', () => {
  it('fails a request that needs it as unavailable (503, retried), not as an internal error', async () => {
    const db = await freshDatabase('hru_gone');
    // The database behind a TCP proxy this test can cut, as a network partition or a server that went down would.
    const target = new URL(db.url);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const store = await PostgresKeyStore.open(viaProxy.toString(), [kek], { pool });
    try {
      await new Promise<void>((resolve) => proxy.close(() => resolve()) && sockets.forEach((s) => s.destroy()));
      const subjects = Array.from({ length: 20 }, (_, i) => caseSubject(refOf(800 + i)));
      await expect(store.currentKeys(subjects, { unseen: new Set(subjects) })).rejects.toMatchObject({ code: 'unavailable' });
      await expect(store.keysById([`${caseSubject(refOf(900))}#5`])).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await store.close().catch(() => undefined);
      await db.drop();
    }
  });
});

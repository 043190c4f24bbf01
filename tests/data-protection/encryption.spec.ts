/**
 * Per-person envelope encryption of `personal`: what the store holds is ciphertext bound to its event, what the engine
 * reads is clear (or erased once a key is destroyed), and the hash chains cover the ciphertext.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptingEventStore, isSealed, newEvent, type RecordedEvent } from '@hru/application';
import { LocalKeyWrapper, SqliteEventStore, SqliteKeyStore, keyStoreFile } from '@hru/infra';
import { PersonalDataIntegrityError } from '@hru/events';
import { tempDir } from '../support/temp-dir.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';

// Decryptions counted (the cipher's one use of createDecipheriv): what is served from memory is not decrypted.
const decipherings = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return { ...crypto, createDecipheriv: (...args: Parameters<typeof crypto.createDecipheriv>) => (decipherings.count++, crypto.createDecipheriv(...args)) };
});

const referralId = `ref-${'a'.repeat(32)}`;
const victim = `pty-${'1'.repeat(24)}`;
const suspect = `pty-${'2'.repeat(24)}`;
const actor = { kind: 'system', system: 'niche' } as const;

function received(names: { victim: string; suspect: string }, summary: string) {
  return newEvent(
    'ReferralReceived',
    {
      referralId,
      source: { system: 'niche', crimeReference: 'CC/1', recordedAt: '2026-11-20T10:00:00Z' },
      offences: [{ code: '8/65', description: 'Stalking', principal: true }],
      problemBehaviour: 'stalking',
      parties: [
        { partyId: victim, category: 'victim' },
        { partyId: suspect, category: 'suspect' },
      ],
      risk: {},
      indicators: [],
      personal: { summary, people: [{ partyId: victim, name: names.victim, dateOfBirth: '1987-03-14' }, { partyId: suspect, name: names.suspect }] },
    },
    { actor, correlationId: 'c', occurredAt: '2026-11-20T10:00:00Z' },
  );
}

const opened: { close(): Promise<void> }[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
  for (const cleanup of dirs.splice(0)) cleanup();
});

function open(dir: string, kek = Buffer.alloc(32, 7), previous: Buffer[] = []) {
  const inner = new SqliteEventStore(join(dir, 'events.sqlite'), { chainKey: Buffer.from(TEST_CHAIN_KEY) });
  const keys = new SqliteKeyStore(keyStoreFile(dir), [new LocalKeyWrapper(kek), ...previous.map((k) => new LocalKeyWrapper(k))]);
  const store = new EncryptingEventStore(inner, keys);
  opened.push(store);
  // `keys` as the engine uses them: erasure and disposal first bind every key the log names (keys come unbound from the pool).
  return { inner, keys: store.keys, sqliteKeys: keys, store };
}

function fresh() {
  const { dir, cleanup } = tempDir('hru-crypto-');
  dirs.push(cleanup);
  return { dir, ...open(dir) };
}

const personalOf = (e: RecordedEvent) => (e.data as { personal: Record<string, unknown> }).personal;

describe('sealing personal data', () => {
  it('stores ciphertext only, and reads back the clear section', async () => {
    const { dir, inner, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'Canary Victimname', suspect: 'Canary Suspectname' }, 'Canary narrative text')]);
    const raw = (await inner.readStream(referralId))[0]!;
    expect(isSealed(personalOf(raw))).toBe(true);
    const onDisk = readFileSync(join(dir, 'events.sqlite')).toString('latin1') + readFileSync(join(dir, 'events.sqlite-wal')).toString('latin1');
    for (const canary of ['Canary Victimname', 'Canary Suspectname', 'Canary narrative', '1987-03-14']) expect(onDisk).not.toContain(canary);
    expect(personalOf((await store.readStream(referralId))[0]!)).toEqual({
      summary: 'Canary narrative text',
      people: [{ partyId: victim, name: 'Canary Victimname', dateOfBirth: '1987-03-14' }, { partyId: suspect, name: 'Canary Suspectname' }],
    });
  });

  it('erasing a person erases them and the case text, keeps the other person, and the chains still verify', async () => {
    const { inner, keys, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'narrative')]);
    expect(await keys.destroyPerson(victim)).toEqual({ referralIds: [referralId], destroyed: 2 });
    expect(personalOf((await store.readStream(referralId))[0]!)).toEqual({
      erased: true,
      people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'S' }],
    });
    expect((await inner.verifyChains()).ok).toBe(true);
    // Idempotent: nothing more to destroy.
    expect((await keys.destroyPerson(victim)).destroyed).toBe(0);
  });

  it('disposing of a case destroys its keys only: the same person in another case stays readable', async () => {
    const { keys, store } = fresh();
    const other = `ref-${'b'.repeat(32)}`;
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'one')]);
    const second = received({ victim: 'V2', suspect: 'S' }, 'two');
    await store.appendToStream(other, [{ ...second, data: { ...second.data, referralId: other } }]);
    await keys.destroyCase(referralId);
    expect(personalOf((await store.readStream(referralId))[0]!)).toMatchObject({ erased: true, people: [{ erased: true }, { erased: true }] });
    expect(personalOf((await store.readStream(other))[0]!)).toMatchObject({ summary: 'two', people: [{ name: 'V2' }, { name: 'S' }] });
  });

  it('a person seen again after erasure gets a new key; the old data stays unreadable', async () => {
    const { keys, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'first')]);
    await keys.destroyPerson(victim);
    await store.appendToStream(referralId, [received({ victim: 'V again', suspect: 'S' }, 'second')]);
    const [first, again] = await store.readStream(referralId);
    expect(personalOf(first!)).toMatchObject({ erased: true });
    expect(personalOf(again!)).toMatchObject({ summary: 'second', people: [{ name: 'V again' }, { name: 'S' }] });
  });

  it('ciphertext moved to another event does not authenticate: an error, never a silent erasure', async () => {
    const { inner, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'a'), received({ victim: 'V', suspect: 'S' }, 'b')]);
    const [a, b] = await inner.readStream(referralId);
    const swapped = { ...b!, data: { ...(b!.data as object), personal: personalOf(a!) } };
    const cipher = (store as unknown as { cipher: { open(e: RecordedEvent[]): Promise<RecordedEvent[]> } }).cipher;
    await expect(cipher.open([swapped])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
  });

  it('opens the people alone for the blind index: the case text is never decrypted, an erased person reads erased', async () => {
    const { inner, keys, sqliteKeys, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'narrative')]);
    const stored = await inner.readStream(referralId);
    // Counts the keys asked for: the case key must not be among them.
    const asked: string[] = [];
    const keysById = sqliteKeys.keysById.bind(sqliteKeys);
    sqliteKeys.keysById = (ids) => (asked.push(...ids), keysById(ids));
    const [opened] = await store.openPeople(stored);
    expect(personalOf(opened!)).toEqual({ people: [{ partyId: victim, name: 'V', dateOfBirth: '1987-03-14' }, { partyId: suspect, name: 'S' }] });
    expect(asked.some((id) => id.startsWith('case:'))).toBe(false);
    expect(asked).toHaveLength(2);
    await keys.destroyPerson(victim);
    expect(personalOf((await store.openPeople(stored))[0]!)).toEqual({ people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'S' }] });
    // Moved to another event, the people still readable there (the suspect) do not authenticate.
    await store.appendToStream(referralId, [received({ victim: 'V2', suspect: 'S2' }, 'b')]);
    const second = (await inner.readStream(referralId))[1]!;
    const moved = { ...second, data: { ...(second.data as object), personal: personalOf(stored[0]!) } };
    await expect(store.openPeople([moved])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
  });

  it('people just sealed here open without decryption only as the very part sealed, while the key lives, and once', async () => {
    const { inner, keys, store } = fresh();
    const cipher = (store as unknown as { cipher: { justSealed: { size: number } } }).cipher;
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'a'), received({ victim: 'V', suspect: 'S' }, 'b')]);
    expect(cipher.justSealed.size).toBe(4);
    const [a, b] = await inner.readStream(referralId);
    // Moved to another event before anything opened it: not served from memory, and decryption refuses it.
    const moved = { ...b!, data: { ...(b!.data as object), personal: personalOf(a!) } };
    await expect(store.openPeople([moved])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    // Tampered ciphertext (one byte of the victim's part): not served from memory either.
    const sealedA = personalOf(a!) as { people: { ct: string }[] };
    const ct = Buffer.from(sealedA.people[0]!.ct, 'base64');
    ct[0]! ^= 1;
    const tampered = { ...a!, data: { ...(a!.data as object), personal: { ...sealedA, people: [{ ...sealedA.people[0]!, ct: ct.toString('base64') }, sealedA.people[1]] } } };
    await expect(store.openPeople([tampered])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    const before = decipherings.count;
    const people = [{ partyId: victim, name: 'V', dateOfBirth: '1987-03-14' }, { partyId: suspect, name: 'S' }];
    expect(personalOf((await store.openPeople([a!]))[0]!)).toEqual({ people });
    expect(decipherings.count).toBe(before);
    expect(cipher.justSealed.size).toBe(2);
    // Once: the same event opened again is decrypted, to the same people.
    expect(personalOf((await store.openPeople([a!]))[0]!)).toEqual({ people });
    expect(decipherings.count).toBe(before + 2);
    // A destroyed key reads erased even for a part held in memory, and every destruction empties it.
    await keys.destroyPerson(victim);
    expect(cipher.justSealed.size).toBe(0);
    expect(personalOf((await store.openPeople([b!]))[0]!)).toEqual({ people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'S' }] });
  });

  it('rotating the key-encryption key re-wraps the data keys, not the log', async () => {
    const { dir, cleanup } = tempDir('hru-rotate-');
    dirs.push(cleanup);
    const oldKek = randomBytes(32);
    const first = open(dir, oldKek);
    await first.store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'kept')]);
    const before = await first.inner.readStream(referralId);
    await first.store.close();
    opened.splice(0);
    const newKek = randomBytes(32);
    const rotated = open(dir, newKek, [oldKek]);
    expect(rotated.sqliteKeys.stats()).toMatchObject({ live: 3, byKek: { [new LocalKeyWrapper(newKek).id]: 3 } });
    await rotated.store.close();
    opened.splice(0);
    // The old key is no longer needed, and the log is byte for byte what it was.
    const after = open(dir, newKek);
    expect(await after.inner.readStream(referralId)).toEqual(before);
    expect(personalOf((await after.store.readStream(referralId))[0]!)).toMatchObject({ summary: 'kept' });
  });

  it('a destroyed key leaves no trace of its wrapped bytes in the key file', async () => {
    const { dir, keys, sqliteKeys, store } = fresh();
    await store.appendToStream(referralId, [received({ victim: 'V', suspect: 'S' }, 'x')]);
    await store.follower.catchUp();
    const db = (sqliteKeys as unknown as { db: { prepare(sql: string): { all(): { wrapped: Buffer }[] } } }).db;
    const wrapped = db.prepare('SELECT wrapped FROM pool_keys WHERE referral_id IS NOT NULL').all().map((r) => r.wrapped);
    expect(wrapped).toHaveLength(3);
    await keys.destroyCase(referralId);
    const file = readFileSync(keyStoreFile(dir));
    for (const bytes of wrapped) expect(file.includes(bytes)).toBe(false);
  });
});

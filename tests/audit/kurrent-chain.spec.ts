/**
 * Tamper evidence of the KurrentDB adapter, over the in-process gRPC double: appends keep a linear hash
 * chain per stream in event metadata (also when writers race), reads hand back the metadata as appended,
 * and events changed, removed or swapped in the double's stored log are found by verification, which
 * names the first broken link of the stream. `hru audit verify` runs against it unchanged.
 */
import type { EventStore, RecordedEvent } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canVerifyChains, canonicalJson, GENESIS_HASH, openEventStore, streamLinkHash, type ChainVerifier, type VerifyReport } from '@hru/infra';
import { testEvent } from '../support/events.js';
import { startKurrentDouble, type KurrentDouble } from '../support/kurrent-double/kurrent-double.js';
import type { StoredEvent } from '../support/kurrent-double/in-memory-log.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';
import { testIntegrityMonitor } from '../support/integrity-monitor.js';

const STREAMS = ['ref-a', 'ref-b', 'access-log-2026-11-25'] as const;
const PER_STREAM = 5;

interface Link {
  prevHash: string;
  hash: string;
}

const decode = (bytes: Uint8Array): Record<string, unknown> => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const linkOf = (event: StoredEvent): Link => decode(event.customMetadata).integrity as Link;

let double: KurrentDouble;
let store: EventStore;
const others: EventStore[] = [];

const open = () => openEventStore({ dataDir: '/nonexistent', eventStoreUrl: double.connectionString, chainKey: TEST_CHAIN_KEY });

async function verify(anchor?: { position: bigint; digest: string }): Promise<VerifyReport> {
  if (!canVerifyChains(store)) throw new Error('the KurrentDB adapter should verify its chains');
  return store.verifyChains(anchor ? { anchor } : {});
}

/** Interleaved appends to three streams, the access log with 'any' as the engine appends it. */
async function writeFixture(): Promise<void> {
  for (let i = 0; i < PER_STREAM; i++) {
    await Promise.all(
      STREAMS.map((stream) =>
        store.appendToStream(stream, [testEvent('Noted', { i, stream, note: `event ${i}` })], {
          expectedRevision: stream.startsWith('access-log-') ? 'any' : i === 0 ? 'no_stream' : i - 1,
        }),
      ),
    );
  }
}

function stored(streamId: string, revision: number): StoredEvent {
  const event = double.log.stream(streamId)?.find((e) => e.revision === BigInt(revision));
  if (!event) throw new Error(`no ${streamId}@${revision}`);
  return event;
}

beforeEach(async () => {
  double = await startKurrentDouble();
  store = await open();
});
afterEach(async () => {
  await Promise.all([store, ...others.splice(0)].map((s) => s.close()));
  await double.stop();
});

describe('appends keep a chain', () => {
  it('links every event of every stream to the one before it, and verification finds them intact', async () => {
    await writeFixture();
    await store.appendToStream('ref-a', [testEvent('Batch', { n: 1 }), testEvent('Batch', { n: 2 })], { expectedRevision: PER_STREAM - 1 });
    for (const streamId of STREAMS) {
      const events = double.log.stream(streamId)!;
      let prev = GENESIS_HASH;
      for (const event of events) {
        expect(linkOf(event).prevHash).toBe(prev);
        prev = linkOf(event).hash;
      }
    }
    const report = await verify();
    expect(report).toMatchObject({ ok: true, store: 'kurrentdb', streams: 3, events: 3 * PER_STREAM + 2, breaks: [], firstBreak: null, unchained: { events: 0, streams: 0 } });
    expect(report.headDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(BigInt(report.headPosition)).toBe(await store.headPosition());
    expect((await verify()).headDigest).toBe(report.headDigest);
    expect((await verify({ position: BigInt(report.headPosition), digest: report.headDigest })).anchor).toMatchObject({ matched: true });
  });

  it("keeps one linear chain when 'any' appends race from two clients", async () => {
    const other = await open();
    others.push(other);
    const writes = Array.from({ length: 24 }, (_, i) =>
      (i % 2 === 0 ? store : other).appendToStream('access-log-race', [testEvent('PersonalDataAccessed', { i })], { expectedRevision: 'any' }),
    );
    const results = await Promise.all(writes);
    expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(24);
    const events = double.log.stream('access-log-race')!;
    expect(events.map((e) => Number(e.revision))).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(new Set(events.map((e) => linkOf(e).prevHash)).size).toBe(24); // no two events link to the same predecessor
    expect(await verify()).toMatchObject({ ok: true, streams: 1, events: 24 });
  });

  it('a retried append returns the original result and writes nothing, also for any', async () => {
    const events = [testEvent('A'), testEvent('B')];
    const first = await store.appendToStream('ref-a', events, { expectedRevision: 'any' });
    await store.appendToStream('ref-a', [testEvent('C')], { expectedRevision: 'any' });
    expect(await store.appendToStream('ref-a', events, { expectedRevision: 'any' })).toEqual(first);
    expect(await store.appendToStream('ref-a', events, { expectedRevision: 'no_stream' })).toEqual(first);
    expect((await store.readStream('ref-a')).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('refuses metadata that carries the reserved integrity key', async () => {
    const event = testEvent();
    const forged = { ...event, metadata: { ...event.metadata, integrity: { prevHash: GENESIS_HASH, hash: GENESIS_HASH } } };
    await expect(store.appendToStream('ref-a', [forged])).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('reads', () => {
  it('hand back exactly the metadata appended, without the chain link', async () => {
    const event = testEvent('Shaped', { text: 'naïve ✓' });
    await store.appendToStream('ref-a', [event]);
    expect(decode(stored('ref-a', 0).customMetadata)).toHaveProperty('integrity');
    const [fromStream] = await store.readStream('ref-a');
    const [fromAll] = await store.readAll();
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ from: 'start', handle: async (events) => void seen.push(...events) });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    await subscription.stop();
    for (const read of [fromStream, fromAll, seen[0]]) expect(read!.metadata).toEqual(event.metadata);
  });
});

describe('tampering in the stored log', () => {
  beforeEach(writeFixture);

  it('an edited body is a content change at that revision', async () => {
    double.log.tamperWith('ref-a', 2, (e) => (e.data = encode({ ...decode(e.data), note: 'rewritten' })));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 2, found: linkOf(stored('ref-a', 2)).hash });
    expect(report.breaks).toHaveLength(1);
  });

  it('edited metadata (who did it) is a content change', async () => {
    double.log.tamperWith('access-log-2026-11-25', 0, (e) => (e.customMetadata = encode({ ...decode(e.customMetadata), actor: { kind: 'system', system: 'someone-else' } })));
    expect((await verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'access-log-2026-11-25', revision: 0 });
  });

  it('a deleted middle event breaks the stream at the event after it', async () => {
    double.log.tamperRemove('ref-b', 2);
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ kind: 'revision-out-of-sequence', streamId: 'ref-b', revision: 3, expected: 'revision 2', found: 'revision 3' });
    expect(report.brokenStreams).toBe(1);
  });

  it('two events with their bodies swapped break at the first of them', async () => {
    const [one, three] = [stored('ref-a', 1), stored('ref-a', 3)];
    [one.data, three.data] = [three.data, one.data];
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 1 });
    expect(report.breaks).toHaveLength(1); // one break per stream: the first
  });

  it('an edit whose own hash is recomputed without the key is a content change at that event', async () => {
    const original = linkOf(stored('ref-a', 1));
    let forged = '';
    double.log.tamperWith('ref-a', 1, (e) => {
      const data = { ...decode(e.data), note: 'forged' };
      const { integrity, ...metadata } = decode(e.customMetadata);
      forged = streamLinkHash(original.prevHash, { streamId: 'ref-a', revision: 1, type: e.type, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) });
      e.data = encode(data);
      e.customMetadata = encode({ ...metadata, integrity: { ...(integrity as Link), hash: forged } });
    });
    expect((await verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 1, found: forged });
  });

  it('a link removed from an event after the chain began is a content change', async () => {
    double.log.tamperWith('ref-b', 3, (e) => {
      const { integrity: _dropped, ...metadata } = decode(e.customMetadata);
      e.customMetadata = encode(metadata);
    });
    expect((await verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-b', revision: 3, found: '(none)' });
  });

  it('a cut-off tail passes the chains but not an anchor taken before', async () => {
    const before = await verify();
    double.log.tamperRemove('ref-a', PER_STREAM - 1);
    expect((await verify()).ok).toBe(true); // the documented limit: KurrentDB keeps no stream head of ours
    const anchored = await verify({ position: BigInt(before.headPosition), digest: before.headDigest });
    expect(anchored).toMatchObject({ ok: false, anchor: { matched: false, expected: before.headDigest } });
    expect(anchored.firstBreak).toMatchObject({ kind: 'anchor-mismatch' });
  });
});

describe('events written before the chain existed', () => {
  it('are counted as unchained at the start of a stream, and the chain starts after them', async () => {
    const legacy = [testEvent('Old', { i: 0 }), testEvent('Old', { i: 1 })].map((e) => ({
      eventId: e.metadata.eventId,
      type: e.type,
      contentType: 'application/json',
      data: encode(e.data),
      customMetadata: encode(e.metadata),
    }));
    double.log.append('ref-old', { kind: 'no_stream' }, legacy);
    await store.appendToStream('ref-old', [testEvent('New')], { expectedRevision: 1 });
    expect(linkOf(stored('ref-old', 2)).prevHash).toBe(GENESIS_HASH);
    const report = await verify();
    expect(report).toMatchObject({ ok: true, events: 3, unchained: { events: 2, streams: 1 } });
    double.log.tamperWith('ref-old', 0, (e) => (e.data = encode({ i: 99 })));
    const edited = await verify({ position: BigInt(report.headPosition), digest: report.headDigest });
    expect(edited.firstBreak).toMatchObject({ kind: 'anchor-mismatch' }); // unchained content is covered by the digest only
  });
});

describe('links written before the chains were keyed', () => {
  /** Events as the adapter chained them before it had a key: plain SHA-256 links, no `alg`. */
  function appendUnkeyed(streamId: string, count: number): void {
    let prev = GENESIS_HASH;
    const events = Array.from({ length: count }, (_, revision) => {
      const e = testEvent('Old', { revision });
      const hash = streamLinkHash(prev, { streamId, revision, type: e.type, dataJson: canonicalJson(e.data), metadataJson: canonicalJson(e.metadata) });
      const link = { prevHash: prev, hash };
      prev = hash;
      return { eventId: e.metadata.eventId, type: e.type, contentType: 'application/json', data: encode(e.data), customMetadata: encode({ ...e.metadata, integrity: link }) };
    });
    double.log.append(streamId, { kind: 'no_stream' }, events);
  }

  it('are counted as unkeyed before the first keyed link of a stream, and the keyed chain continues from them', async () => {
    appendUnkeyed('ref-old', 2);
    await store.appendToStream('ref-old', [testEvent('New')], { expectedRevision: 1 });
    expect(linkOf(stored('ref-old', 2))).toMatchObject({ prevHash: linkOf(stored('ref-old', 1)).hash, alg: 'hmac-sha256' });
    expect(await verify()).toMatchObject({ ok: true, events: 3, unkeyed: { events: 2 } });
  });

  it('a keyed link replaced by an unkeyed one recomputed without the key is a content change', async () => {
    await writeFixture();
    double.log.tamperWith('ref-a', 2, (e) => {
      const data = { ...decode(e.data), note: 'forged' };
      const { integrity, ...metadata } = decode(e.customMetadata);
      const prevHash = (integrity as Link).prevHash;
      const hash = streamLinkHash(prevHash, { streamId: 'ref-a', revision: 2, type: e.type, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) });
      e.data = encode(data);
      e.customMetadata = encode({ ...metadata, integrity: { prevHash, hash } });
    });
    expect((await verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 2, found: 'an unkeyed link after keyed ones' });
  });

  it('a whole stream rewritten with unkeyed links passes the chains but not the monitor, which counted them before', async () => {
    await writeFixture();
    const { dir, cleanup } = tempDir('hru-kurrent-monitor-');
    const monitor = testIntegrityMonitor(store as EventStore & ChainVerifier, dir);
    try {
      expect(await monitor.check()).toMatchObject({ ok: true, lastCheck: { fromPosition: null, events: 3 * PER_STREAM } });
      let prev = GENESIS_HASH;
      for (let revision = 0; revision < PER_STREAM; revision++) {
        double.log.tamperWith('ref-b', revision, (e) => {
          const { integrity: _keyed, ...metadata } = decode(e.customMetadata);
          const hash = streamLinkHash(prev, { streamId: 'ref-b', revision, type: e.type, dataJson: canonicalJson(decode(e.data)), metadataJson: canonicalJson(metadata) });
          e.customMetadata = encode({ ...metadata, integrity: { prevHash: prev, hash } });
          prev = hash;
        });
      }
      expect((await verify()).ok).toBe(true); // as events from before the key, on their own
      expect((await monitor.check()).breaks).toEqual([expect.objectContaining({ kind: 'links-downgraded', expected: '0 events without a keyed link', found: String(PER_STREAM) })]);
    } finally {
      await monitor.stop();
      cleanup();
    }
  });
});

describe('incremental checks of the integrity monitor', () => {
  it('read $all from the last digest boundary, continue each stream from its link before, and find a later edit', async () => {
    for (let i = 0; i < 6; i++) await store.appendToStream(`ref-${i % 3}`, Array.from({ length: 50 }, (_, n) => testEvent('Noted', { i, n })));
    const { dir, cleanup } = tempDir('hru-kurrent-incremental-');
    const monitor = testIntegrityMonitor(store as EventStore & ChainVerifier, dir);
    try {
      expect(await monitor.check()).toMatchObject({ ok: true, lastCheck: { fromPosition: null, events: 300 } });
      for (let i = 0; i < 3; i++) await store.appendToStream(`ref-${i}`, [testEvent('Later', { i })]);
      const second = await monitor.check();
      expect(second).toMatchObject({ ok: true, lastCheck: { events: 300 + 3 - 256 } });
      expect(second.lastCheck!.fromPosition).not.toBeNull();
      double.log.tamperWith('ref-2', 100, (e) => (e.data = encode({ rewritten: true })));
      expect((await monitor.check()).breaks).toEqual([expect.objectContaining({ kind: 'content-changed', streamId: 'ref-2', revision: 100 })]);
    } finally {
      await monitor.stop();
      cleanup();
    }
  });
});

describe('hru audit verify on KurrentDB', () => {
  it('exits 0 on an intact log and 4 with the first broken link after an edit', async () => {
    await writeFixture();
    const { dir, cleanup } = tempDir('hru-kurrent-cli-');
    const hru = () =>
      finished(spawnTs('services/cli/src/main.ts', ['audit', 'verify', '--json'], { HRU_DATA_DIR: dir, HRU_JWT_SECRET: 'x'.repeat(32), EVENTSTORE_URL: double.connectionString, HRU_CHAIN_KEY: TEST_CHAIN_KEY }));
    try {
      const ok = await hru();
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, store: 'kurrentdb', events: 3 * PER_STREAM });
      double.log.tamperWith('ref-b', 1, (e) => (e.data = encode({ note: 'rewritten' })));
      const broken = await hru();
      expect(broken.code, broken.stderr).toBe(4);
      expect(JSON.parse(broken.stdout).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-b', revision: 1 });
    } finally {
      cleanup();
    }
  }, 60_000);
});

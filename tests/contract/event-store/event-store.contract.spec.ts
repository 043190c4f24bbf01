/**
 * The event-store contract: every adapter must pass every case here. Adapters that cannot run on this
 * machine appear as skipped suites whose names carry the reason.
 */
import { partitionOf, type EventStore, type RawEvent, type RawReadOptions, type RecordedEvent } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, actorIdOf } from '@hru/events';
import { testEvent, uniqueStream } from '../../support/events.js';
import { finished, spawnTs } from '../../support/spawn-ts.js';
import { adapterCases, type StoreUnderTest } from './adapters.js';

const writerProcess = 'tests/contract/event-store/writer-process.ts';

function collect(store: EventStore, from: 'start' | { after: bigint }, filter?: { eventTypes?: string[]; streamPrefixes?: string[] }) {
  const seen: RecordedEvent[] = [];
  let caughtUp = 0;
  const subscription = store.subscribeToAll({
    from,
    filter,
    batchSize: 7,
    handle: async (events) => {
      seen.push(...events);
    },
    onCaughtUp: () => caughtUp++,
  });
  return { seen, subscription, caughtUpCount: () => caughtUp };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const adapter of adapterCases) {
  const suite = adapter.skipReason ? describe.skip : describe; // deliberate: shown as skipped, the title gives why
  const title = adapter.skipReason ? `event store contract: ${adapter.name} (skipped: ${adapter.skipReason})` : `event store contract: ${adapter.name}`;

  suite(title, () => {
    let sut: StoreUnderTest;
    let store: EventStore;
    beforeEach(async () => {
      sut = await adapter.open();
      store = sut.store;
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    describe('append with an expected revision', () => {
      it('creates a stream with no_stream and rejects a second no_stream with the actual revision', async () => {
        const stream = uniqueStream();
        const first = await store.appendToStream(stream, [testEvent(), testEvent()], { expectedRevision: 'no_stream' });
        expect(first.nextExpectedRevision).toBe(1);
        const error = await store.appendToStream(stream, [testEvent()], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1 });
      });

      it('accepts the exact revision and rejects a stale one, carrying expected and actual', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [testEvent()], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(stream, [testEvent()], { expectedRevision: 0 });
        expect(second.nextExpectedRevision).toBe(1);
        const error = await store.appendToStream(stream, [testEvent()], { expectedRevision: 0 }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: '0', actual: 1 });
      });

      it('stream_exists fails on a missing stream; any always appends', async () => {
        const stream = uniqueStream();
        const error = await store.appendToStream(stream, [testEvent()], { expectedRevision: 'stream_exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ actual: 'no_stream' });
        await store.appendToStream(stream, [testEvent()], { expectedRevision: 'any' });
        await store.appendToStream(stream, [testEvent()], { expectedRevision: 'stream_exists' });
        expect(await store.streamRevision(stream)).toBe(1);
        expect(await store.streamRevision(uniqueStream())).toBeUndefined();
      });

      it('lets exactly one of many concurrent writers win each revision', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [testEvent()], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, () => store.appendToStream(stream, [testEvent()], { expectedRevision: 0 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(failures.every((f) => f.reason instanceof ConcurrencyError)).toBe(true);
        expect(await store.streamRevision(stream)).toBe(1);
      });
    });

    describe('idempotent retries', () => {
      it('a retried append of the same event ids does not duplicate them', async () => {
        const stream = uniqueStream();
        const events = [testEvent('A'), testEvent('B')];
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(retry.position).toBe(first.position);
        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.type)).toEqual(['A', 'B']);
      });
    });

    describe('reading a stream', () => {
      it('reads forwards and backwards from a revision, with a maximum count', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [0, 1, 2, 3, 4].map((n) => testEvent('N', { n })));
        const all = await store.readStream(stream);
        expect(all.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
        expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        const middle = await store.readStream(stream, { fromRevision: 1, maxCount: 2 });
        expect(middle.map((e) => e.revision)).toEqual([1, 2]);
        const back = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(back.map((e) => e.revision)).toEqual([4, 3]);
        const backFrom = await store.readStream(stream, { direction: 'backwards', fromRevision: 2 });
        expect(backFrom.map((e) => e.revision)).toEqual([2, 1, 0]);
      });

      it('keeps the event exactly as written', async () => {
        const stream = uniqueStream();
        const event = testEvent('Shaped', { nested: { list: [1, 'two', null], flag: true }, text: 'naïve ✓' });
        await store.appendToStream(stream, [event]);
        const [stored] = await store.readStream(stream);
        expect(stored).toMatchObject({ streamId: stream, revision: 0, type: 'Shaped', eventId: event.metadata.eventId, data: event.data });
        expect(stored!.metadata).toMatchObject(event.metadata);
        expect(Number.isNaN(Date.parse(stored!.recordedAt))).toBe(false);
      });

      it('reads an empty list for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStream())).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('orders every event of every stream by position, forwards and backwards, with filters', async () => {
        const start = await store.headPosition();
        const prefix = uniqueStream('order-');
        const a = `${prefix}-a`;
        const b = `${prefix}-b`;
        await store.appendToStream(a, [testEvent('Alpha', { i: 0 })]);
        await store.appendToStream(b, [testEvent('Beta', { i: 1 }), testEvent('Alpha', { i: 2 })]);
        await store.appendToStream(a, [testEvent('Beta', { i: 3 })]);
        const forwards = (await store.readAll({ fromPosition: start + 1n })).filter((e) => e.streamId.startsWith(prefix));
        expect(forwards.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        const positions = forwards.map((e) => e.position);
        expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
        expect(new Set(positions).size).toBe(4);
        if (adapter.gaplessPositions) expect(positions.map((p) => Number(p - positions[0]!))).toEqual([0, 1, 2, 3]);
        const backwards = await store.readAll({ direction: 'backwards', maxCount: 4 });
        expect(backwards.map((e) => e.position)).toEqual([...positions].reverse());
        const alphas = await store.readAll({ fromPosition: start + 1n, filter: { eventTypes: ['Alpha'], streamPrefixes: [prefix] } });
        expect(alphas.map((e) => (e.data as { i: number }).i)).toEqual([0, 2]);
        const onlyB = await store.readAll({ fromPosition: start + 1n, filter: { streamPrefixes: [b] } });
        expect(onlyB.map((e) => (e.data as { i: number }).i)).toEqual([1, 2]);
        expect(await store.headPosition()).toBe(positions[3]);
      });

      it('two OS processes appending to the same streams: no lost update, no gap, no reordering', async () => {
        const streams = [uniqueStream('race-'), uniqueStream('race-')];
        const start = await store.headPosition();
        const count = 40;
        const runs = ['w1', 'w2'].map((writer) =>
          finished(spawnTs(writerProcess, [...sut.processArgs, '--writer', writer, '--count', String(count), ...streams])),
        );
        const outcomes = await Promise.all(runs);
        for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0);
        for (const stream of streams) {
          const events = await store.readStream(stream);
          expect(events).toHaveLength(2 * count);
          expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 2 * count }, (_, i) => i));
          for (const writer of ['w1', 'w2']) {
            const own = events.filter((e) => (e.data as { writer: string }).writer === writer).map((e) => (e.data as { i: number }).i);
            expect(own).toEqual(Array.from({ length: count }, (_, i) => i)); // each writer's order kept
          }
        }
        const log = (await store.readAll({ fromPosition: start + 1n })).filter((e) => streams.includes(e.streamId));
        expect(log).toHaveLength(4 * count);
        for (let i = 1; i < log.length; i++) expect(log[i]!.position > log[i - 1]!.position).toBe(true);
        if (adapter.gaplessPositions) expect(Number(log.at(-1)!.position - log[0]!.position)).toBe(log.length - 1);
      }, 60_000);
    });

    describe('raw reads of the global log (for replays)', () => {
      /** Types no other case writes, so the cases hold on a shared server's log too. */
      const uniqueTypes = (...names: string[]) => names.map((n) => `${n}${uniqueStream('').slice(0, 12)}`);

      /** Page after page from `options.fromPosition` until an empty page; every page but the last must be full. */
      async function readToEnd(options: RawReadOptions): Promise<RawEvent[]> {
        const out: RawEvent[] = [];
        for (let from = options.fromPosition; ; ) {
          const page = await store.readAllRaw({ ...options, fromPosition: from });
          if (page.length === 0) return out;
          out.push(...page);
          if (page.length < options.maxCount) {
            expect(await store.readAllRaw({ ...options, fromPosition: page.at(-1)!.position + 1n })).toEqual([]);
            return out;
          }
          from = page.at(-1)!.position + 1n;
        }
      }

      it('reads the chosen types from a position, in log order, with data as written and when and at which version', async () => {
        const [a, b, other] = uniqueTypes('RawA', 'RawB', 'RawOther');
        const start = await store.headPosition();
        const stream = uniqueStream('raw-');
        const older = testEvent(b!, { i: 1 });
        await store.appendToStream(stream, [testEvent(a!, { i: 0, nested: { list: [1, 'two', null] } }), { ...older, metadata: { ...older.metadata, schemaVersion: 3 } }]);
        await store.appendToStream(uniqueStream('raw-'), [testEvent(other!, { i: -1 }), testEvent(a!, { i: 2 }), testEvent(b!, { i: 3 })]);

        const recorded = await store.readAll({ fromPosition: start + 1n, filter: { eventTypes: [a!, b!] } });
        const expected = recorded.map((e) => ({
          position: e.position,
          type: e.type,
          data: e.data,
          metadata: { occurredAt: e.metadata.occurredAt, schemaVersion: e.metadata.schemaVersion, actorId: actorIdOf(e.metadata.actor) },
        }));
        const raw = await store.readAllRaw({ fromPosition: start + 1n, maxCount: 100, eventTypes: [a!, b!] });
        expect(raw).toEqual(expected);
        expect(raw.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        expect(raw.map((e) => e.metadata.schemaVersion)).toEqual([1, 3, 1, 1]);

        // At most maxCount; the start is inclusive; upTo is the inclusive end; past the end, an empty page.
        expect(await store.readAllRaw({ fromPosition: start + 1n, maxCount: 2, eventTypes: [a!, b!] })).toEqual(expected.slice(0, 2));
        expect(await store.readAllRaw({ fromPosition: raw[1]!.position, maxCount: 100, eventTypes: [a!, b!] })).toEqual(expected.slice(1));
        expect(await store.readAllRaw({ fromPosition: start + 1n, maxCount: 100, eventTypes: [a!, b!], upTo: raw[2]!.position })).toEqual(expected.slice(0, 3));
        expect(await store.readAllRaw({ fromPosition: start + 1n, maxCount: 100, eventTypes: [b!] })).toEqual([expected[1], expected[3]]);
        expect(await store.readAllRaw({ fromPosition: raw[3]!.position + 1n, maxCount: 100, eventTypes: [a!, b!] })).toEqual([]);
      });

      it('splits the log by stream into shares, each in log order and in full pages until the end', async () => {
        const [type, skipped] = uniqueTypes('RawShare', 'RawSkipped');
        const start = await store.headPosition();
        // Ids ending in digits, letters and characters beyond ASCII (one outside the Basic Multilingual Plane).
        const streams = [...'0123456789abcdefxé', '😀'].map((last) => `${uniqueStream('share-')}-${last}`);
        for (let round = 0; round < 3; round++) {
          for (const stream of streams) await store.appendToStream(stream, [testEvent(type!, { stream, round }), testEvent(skipped!)]);
        }
        const whole = await readToEnd({ fromPosition: start + 1n, maxCount: 4, eventTypes: [type!] });
        expect(whole).toHaveLength(3 * streams.length);

        const count = 3;
        const streamOf = (event: RawEvent) => (event.data as { stream: string }).stream;
        for (let index = 0; index < count; index++) {
          const share = await readToEnd({ fromPosition: start + 1n, maxCount: 4, eventTypes: [type!], partition: { index, count } });
          // Exactly the events of the streams `partitionOf` puts in this share (so whole streams), in log order.
          expect(share.length).toBeGreaterThan(0);
          expect(share).toEqual(whole.filter((event) => partitionOf(streamOf(event), count) === index));
        }
      });
    });

    describe('subscriptions to the global log', () => {
      it('catches up, says so once, then receives live events in order', async () => {
        const prefix = uniqueStream('sub-');
        await store.appendToStream(`${prefix}-1`, [testEvent('Old', { i: 0 }), testEvent('Old', { i: 1 })]);
        const { seen, subscription, caughtUpCount } = collect(store, 'start', { streamPrefixes: [prefix] });
        await until(() => caughtUpCount() === 1);
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1]);
        await store.appendToStream(`${prefix}-2`, [testEvent('New', { i: 2 })]);
        await store.appendToStream(`${prefix}-1`, [testEvent('New', { i: 3 })]);
        await until(() => seen.length === 4);
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        expect(caughtUpCount()).toBe(1);
        await subscription.stop();
      });

      it('sees events appended through another connection', async () => {
        const prefix = uniqueStream('other-');
        const other = await sut.openAnother();
        const { seen, subscription, caughtUpCount } = collect(store, 'start', { streamPrefixes: [prefix] });
        await until(() => caughtUpCount() === 1);
        await other.appendToStream(`${prefix}-x`, [testEvent('FromOther')]);
        await until(() => seen.length === 1);
        await subscription.stop();
      });

      it('filters by event type while live', async () => {
        const prefix = uniqueStream('filter-');
        const { seen, subscription, caughtUpCount } = collect(store, 'start', { eventTypes: ['Wanted'], streamPrefixes: [prefix] });
        await until(() => caughtUpCount() === 1);
        await store.appendToStream(`${prefix}-1`, [testEvent('Unwanted'), testEvent('Wanted', { i: 1 }), testEvent('Unwanted')]);
        await store.appendToStream(`${prefix}-2`, [testEvent('Wanted', { i: 2 })]);
        await until(() => seen.length === 2);
        await new Promise((r) => setTimeout(r, 100));
        expect(seen.map((e) => e.type)).toEqual(['Wanted', 'Wanted']);
        await subscription.stop();
      });

      it('resumes after a checkpoint with nothing lost and nothing repeated', async () => {
        const prefix = uniqueStream('resume-');
        for (let i = 0; i < 10; i++) await store.appendToStream(`${prefix}-${i % 3}`, [testEvent('E', { i })]);
        const first = collect(store, 'start', { streamPrefixes: [prefix] });
        await until(() => first.seen.length === 10);
        await first.subscription.stop();
        const checkpoint = first.seen[5]!.position; // as if the handler had committed only the first six
        for (let i = 10; i < 15; i++) await store.appendToStream(`${prefix}-${i % 3}`, [testEvent('E', { i })]);
        const second = collect(store, { after: checkpoint }, { streamPrefixes: [prefix] });
        await until(() => second.seen.length >= 9);
        await new Promise((r) => setTimeout(r, 100));
        expect(second.seen.map((e) => (e.data as { i: number }).i)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
        await second.subscription.stop();
      });

      it('stops for good and reports the error when the handler throws', async () => {
        const prefix = uniqueStream('fail-');
        await store.appendToStream(`${prefix}-1`, [testEvent()]);
        let reported: unknown;
        const subscription = store.subscribeToAll({
          from: 'start',
          filter: { streamPrefixes: [prefix] },
          handle: async () => {
            throw new Error('handler failed');
          },
          onError: (error) => (reported = error),
        });
        await subscription.done;
        expect(String(reported)).toContain('handler failed');
      });
    });
  });
}
